// The runtime can die (kill -9) without its containers noticing: conmon is their parent, not the
// runtime. A new runtime process finds them again, and a container that exited while no runtime
// was running is reported with its real exit code and finish time.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  skipLinuxTests,
  startLinuxTestRuntime,
  type LinuxTestRuntime,
} from './testing/linux-test-kit.js';

const childScript = fileURLToPath(new URL('./testing/runtime-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface ChildIds {
  readonly sandboxId: string;
  readonly long: string;
  readonly short: string;
}

describe.skipIf(skipLinuxTests())('linux runtime restart', () => {
  let rt: LinuxTestRuntime;

  beforeAll(async () => {
    rt = await startLinuxTestRuntime();
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  it('keeps containers running across kill -9 and reports exits that happened while it was down', async () => {
    const options = {
      root: rt.root,
      stateDir: rt.net.stateDir,
      bridgeName: rt.net.bridgeName,
      podCidr: rt.net.podCidr,
      shortSeconds: 1,
    };
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', childScript, JSON.stringify(options)],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const ids = await new Promise<ChildIds>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line !== undefined) resolve(JSON.parse(line) as ChildIds);
      });
      child.once('exit', (code) =>
        reject(new Error(`the runtime child exited with ${code}: ${stderr}`)),
      );
    });
    const killedAtNs = BigInt(Date.now()) * 1_000_000n;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // With no runtime at all, the short container ends and conmon records it.
    await eventually('the short container to exit', async () =>
      existsSync(`${rt.root}/exits/${ids.short}`) ? true : undefined,
    );
    const longPid = Number(await readFile(`${rt.root}/containers/${ids.long}/pid`, 'utf8'));
    expect(existsSync(`/proc/${longPid}`)).toBe(true);

    const restartedAtNs = BigInt(Date.now()) * 1_000_000n;
    const backend = await rt.reopen();
    expect((await backend.podSandboxStatus(ids.sandboxId)).state).toBe('SANDBOX_READY');
    const long = await backend.containerStatus(ids.long);
    expect(long.state).toBe('CONTAINER_RUNNING');
    const short = await backend.containerStatus(ids.short);
    expect(short.state).toBe('CONTAINER_EXITED');
    expect(short.exit_code).toBe(3);
    expect(BigInt(short.finished_at)).toBeGreaterThan(killedAtNs - 2_000_000_000n);
    expect(BigInt(short.finished_at)).toBeLessThan(restartedAtNs);

    // The restarted runtime fully controls what it found.
    const exec = await backend.execSync(ids.long, ['echo', 'still here'], 5);
    expect(exec.stdout.toString()).toBe('still here\n');
    await backend.stopContainer(ids.long, 1);
    expect((await backend.containerStatus(ids.long)).state).toBe('CONTAINER_EXITED');
  });

  it('removes what a creation cut short by a crash left behind when it starts', async () => {
    const leftover = `${rt.root}/containers/${'f'.repeat(64)}`;
    await mkdir(`${leftover}/rootfs`, { recursive: true });
    const backend = await rt.reopen();
    expect(existsSync(leftover)).toBe(false);
    expect(await backend.listContainers({ id: 'f'.repeat(64) })).toEqual([]);
  });
});
