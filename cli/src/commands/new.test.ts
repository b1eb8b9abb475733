// `skiff new controller` as a student uses it: scaffold a project in a folder of its own (outside
// the repo), run its three commands — its tests on the fake client, the type-check, and the
// controller itself against a real apiserver — and watch it reconcile a custom resource.
import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startVerbCluster } from '../kubectl/testing/verb-harness.js';
import { controllerNames, pluralOf } from '../new-controller/names.js';
import { tempDir } from '../testing/skiff-process.js';
import { newCommand } from './new.js';

/** The environment of a child that is not part of this vitest run. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')),
  );
  return { ...env, ...extra };
}

function run(cwd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: plainEnv(), timeout: 180_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr });
      },
    );
  });
}

describe('controller names', () => {
  it.each([
    ['greeting', 'greetings'],
    ['box', 'boxes'],
    ['policy', 'policies'],
    ['gateway', 'gateways'],
    ['match', 'matches'],
  ])('the plural of %s is %s', (singular, plural) => {
    expect(pluralOf(singular)).toBe(plural);
  });

  it.each([
    ['greeting', 'course.example.com', 'v1', /--kind "greeting"/],
    ['Greeting', 'example', 'v1', /--group "example"/],
    ['Greeting', 'course.example.com', '1', /--version "1"/],
  ])('refuses kind %s, group %s, version %s', (kind, group, version, message) => {
    expect(() => controllerNames(kind, group, version)).toThrow(message);
  });
});

describe('skiff new controller', () => {
  it('makes a project whose tests pass, which type-checks, and which reconciles on a real cluster', async () => {
    const home = await tempDir('skiff-student-');
    const dir = join(home, 'lesson-controller');
    const out: string[] = [];
    const io = {
      out: { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream,
      err: process.stderr,
    };
    expect(
      await newCommand.run(
        ['controller', dir, '--kind', 'Lesson', '--group', 'course.example.com', '--version', 'v1'],
        io,
      ),
    ).toBe(0);
    expect(out.join('')).toContain('npm test');
    expect(await readFile(join(dir, 'crd.yaml'), 'utf8')).toContain(
      'name: lessons.course.example.com',
    );

    const tests = await run(dir, ['node_modules/vitest/vitest.mjs', 'run']);
    expect(tests.output).toContain('3 passed');
    expect(tests.code).toBe(0);
    const typecheck = await run(dir, ['node_modules/typescript/bin/tsc', '--noEmit']);
    expect(typecheck).toEqual({ code: 0, output: '' });

    const cluster = await startVerbCluster();
    onTestFinished(() => cluster.close());
    expect((await cluster.skiff('apply', '-f', join(dir, 'crd.yaml'))).code).toBe(0);
    const controller = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd: dir,
        env: plainEnv({ KUBECONFIG: cluster.kubeconfig }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let logs = '';
    controller.stdout.on('data', (d: Buffer) => (logs += d.toString()));
    controller.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    const exited = new Promise((resolve) => controller.on('exit', resolve));
    onTestFinished(async () => {
      controller.kill('SIGTERM');
      await exited;
    });
    const lesson = join(dir, 'lesson.yaml');
    expect(await readFile(lesson, 'utf8')).toContain('kind: Lesson');
    // The CRD is served a moment after it is created.
    await expect
      .poll(async () => (await cluster.skiff('apply', '-f', lesson)).code, { timeout: 20_000 })
      .toBe(0);
    await expect
      .poll(
        async () =>
          (await cluster.skiff('get', 'cm', 'hello-lesson', '-o', 'jsonpath={.data.message}')).out,
        {
          timeout: 60_000,
        },
      )
      .toBe('Hello from my own controller!');
    const owner = await cluster.skiff(
      'get',
      'cm',
      'hello-lesson',
      '-o',
      'jsonpath={.metadata.ownerReferences[0].kind}',
    );
    expect(owner.out).toBe('Lesson');
    const status = await cluster.skiff(
      'get',
      'lessons',
      'hello',
      '-o',
      'jsonpath={.status.configMap}',
    );
    expect(status.out, logs).toBe('hello-lesson');

    // Edited by hand, the ConfigMap is put back: the controller owns it.
    await writeFile(join(dir, 'edit.json'), '{"data":{"message":"tampered"}}');
    await cluster.skiff(
      'patch',
      'cm',
      'hello-lesson',
      '--type=merge',
      '--patch-file',
      join(dir, 'edit.json'),
    );
    await expect
      .poll(
        async () =>
          (await cluster.skiff('get', 'cm', 'hello-lesson', '-o', 'jsonpath={.data.message}')).out,
        {
          timeout: 30_000,
        },
      )
      .toBe('Hello from my own controller!');
  }, 300_000);
});
