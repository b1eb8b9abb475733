// Isolation, asserted from inside a container: it is PID 1 of its own PID namespace, has the
// pod's hostname, cannot see the host's processes, and sees its image's root, not the host's.
import { expect, it } from 'vitest';
import { eventually } from '@skiff/api/testing';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, sharedPod, startIn } from '../pods.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export function isolationCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'isolated');
  let running: Promise<string> | undefined;
  const container = (): Promise<string> =>
    (running ??= startIn(
      target(),
      shared,
      makeContainer(target(), 'inside', 'echo "pid=$$"; exec sleep 3600'),
    ));
  const exec = async (script: string): Promise<{ out: string; code: number }> => {
    const result = await runtimeCall(target(), 'ExecSync', {
      container_id: await container(),
      cmd: ['sh', '-c', script],
      timeout: 10,
    });
    return { out: result.stdout.toString().trim(), code: result.exit_code };
  };

  it('runs the container command as PID 1', async () => {
    await container();
    const { pod } = await shared();
    const log = await eventually('the pid line', async () => {
      const text = await readFile(join(pod.logDirectory, 'inside.log'), 'utf8');
      return text.includes('pid=') ? text : undefined;
    });
    expect(log).toMatch(/ stdout F pid=1$/m);
    expect((await exec('cat /proc/1/comm')).out).toBe('sleep');
  });

  it("has the pod's hostname", async () => {
    expect((await exec('hostname')).out).toBe('isolated');
  });

  it("cannot see the host's processes", async () => {
    // PID 1 (sleep), the exec'd shell and ls: a handful, where the host has hundreds.
    const count = Number((await exec("ls /proc | grep -c '^[0-9][0-9]*$'")).out);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(10);
  });

  it("sees the image's root filesystem, not the host's", async () => {
    // The busybox image has /bin/busybox and no /etc/os-release; the host is the opposite.
    expect((await exec('test -x /bin/busybox && test ! -e /etc/os-release')).code).toBe(0);
    expect((await exec('touch /critest-was-here && test -e /critest-was-here')).code).toBe(0);
    expect(
      await readFile('/critest-was-here').catch((err: NodeJS.ErrnoException) => err.code),
    ).toBe('ENOENT');
  });
}
