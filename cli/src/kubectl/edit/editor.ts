// Opening the user's editor as kubectl does: KUBE_EDITOR, else EDITOR, else vi. A command
// without spaces runs as is; one with spaces but no quotes or backslashes is split on spaces;
// anything else is handed to the shell. The file is the last argument. The editor gets the
// terminal (stdin, stdout, stderr), so `vi` works.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function editorCommand(env: NodeJS.ProcessEnv = process.env): {
  argv: string[];
  shell: boolean;
} {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (!editor.includes(' ')) return { argv: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { argv: editor.split(' '), shell: false };
  return { argv: [env.SHELL || '/bin/bash', '-c', editor], shell: true };
}

/** Writes `content` to a new `<prefix>*.yaml` temp file, runs the editor on it, reads it back. */
export async function launchTempFile(
  prefix: string,
  content: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ edited: string; file: string }> {
  const file = join(tmpdir(), `${prefix}${randomBytes(6).readUIntBE(0, 6)}.yaml`);
  await writeFile(file, content, { flag: 'wx', mode: 0o600 });
  const { argv, shell } = editorCommand(env);
  const args = shell
    ? [...argv.slice(0, -1), `${argv[argv.length - 1] ?? ''} ${JSON.stringify(file)}`]
    : [...argv, file];
  const [command, ...rest] = args;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command ?? 'vi', rest, { stdio: 'inherit', env });
    child.on('error', (err) =>
      reject(
        new Error(`unable to launch the editor ${JSON.stringify(argv.join(' '))}: ${err.message}`),
      ),
    );
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `there was a problem with the editor ${JSON.stringify(argv.join(' '))}${signal ? ` (${signal})` : ''}`,
          ),
        );
    });
  });
  return { edited: await readFile(file, 'utf8'), file };
}
