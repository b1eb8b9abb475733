// Running nft, iptables-restore and friends. A prefix (e.g. `ip netns exec node-1`) runs them in
// another network namespace, which is how the tests and `skiff lab` program a node that is not
// the host; the proxy itself never changes namespace.
import { spawn } from 'node:child_process';

/** Runs `argv` with `input` on stdin; resolves with stdout, rejects with stderr on failure. */
export type CommandRunner = (argv: readonly string[], input?: string) => Promise<string>;

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${argv.join(' ')}: exit ${exitCode ?? 'signal'}: ${stderr.trim().slice(0, 2000)}`);
  }
}

export function commandRunner(prefix: readonly string[] = []): CommandRunner {
  return (argv, input) =>
    new Promise((resolve, reject) => {
      const full = [...prefix, ...argv];
      const [file, ...args] = full;
      if (file === undefined) {
        reject(new Error('empty command'));
        return;
      }
      const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(Buffer.concat(out).toString());
        else reject(new CommandError(full, code, Buffer.concat(err).toString()));
      });
      // A command that exits before reading its input (not found, bad flag) closes the pipe.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input ?? '');
    });
}
