// `skiff config` over kubeconfig files, beside real kubectl 1.33 on copies of the same files:
// view (redacted and --raw, --minify), get-contexts, current-context and use-context.
import { execFile } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlBinary } from '../kubectl/testing/verb-harness.js';
import { tempDir } from '../testing/skiff-process.js';
import { configCommand } from './config.js';

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: QUJD
- name: home
  cluster:
    server: http://127.0.0.1:6443
contexts:
- name: student
  context: { cluster: lab, user: student, namespace: course }
- name: local
  context: { cluster: home, user: me }
users:
- name: student
  user: { token: s3cret, client-key-data: S0VZ }
- name: me
  user: {}
current-context: local
`;

const binary = kubectlBinary('1.33');

async function skiffConfig(file: string, args: string[]) {
  let out = '';
  let err = '';
  const io = {
    out: { write: (s: string) => (out += s) } as unknown as NodeJS.WritableStream,
    err: { write: (s: string) => (err += s) } as unknown as NodeJS.WritableStream,
  };
  const code = await configCommand.run(['--kubeconfig', file, ...args], io);
  return { code, out, err };
}

function kubectlConfig(
  file: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(binary ?? 'kubectl', ['--kubeconfig', file, 'config', ...args], (error, out, err) => {
      resolve({
        code: error ? Number(error.code ?? 1) : 0,
        out,
        err: err.replaceAll('kubectl', 'skiff'),
      });
    });
  });
}

describe.skipIf(binary === undefined)('skiff config prints what kubectl 1.33 prints', () => {
  it.each(
    [
      ['view'],
      ['view', '--raw'],
      ['view', '--minify'],
      ['get-contexts'],
      ['get-contexts', 'student'],
      ['get-contexts', 'nope'],
      ['current-context'],
      ['use-context', 'nope'],
    ].map((a) => [a.join(' '), a]),
  )('config %s', async (_, args) => {
    const dir = await tempDir();
    const file = join(dir, 'config');
    await writeFile(file, kubeconfig);
    expect(await skiffConfig(file, args)).toEqual(await kubectlConfig(file, args));
  });

  it('use-context switches the current context in the file', async () => {
    const dir = await tempDir();
    const [ours, theirs] = [join(dir, 'ours'), join(dir, 'theirs')];
    await writeFile(ours, kubeconfig);
    await copyFile(ours, theirs);
    expect(await skiffConfig(ours, ['use-context', 'student'])).toEqual(
      await kubectlConfig(theirs, ['use-context', 'student']),
    );
    expect((await skiffConfig(ours, ['current-context'])).out).toBe('student\n');
    expect(await readFile(ours, 'utf8')).toContain('current-context: student');
  });
});
