// What a container may see and change of the kernel's files and of its own root, as the
// validation suite checks it: masked_paths (hidden: a file reads as /dev/null, a directory as an
// empty tmpfs), readonly_paths, none at all for a privileged container, and readonly_rootfs.
// (What an empty list means differs: containerd 1.6 masks nothing — the kubelet sends its own
// defaults — while skiff keeps the defaults; skiff-only.ts checks skiff's.)
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { shIn } from '../container-exec.js';
import {
  makeContainer,
  makeProcessSharingPod,
  privileged,
  runPod,
  sharedPod,
  startContainer,
  startIn,
  waitForState,
  withSecurityContext,
} from '../pods.js';

const sleeper = 'exec sleep 3600';
/** Whether /proc/timer_list is hidden: the kernel's file is a regular one, /dev/null is not. */
export const timerListMasked =
  'if [ -c /proc/timer_list ]; then echo masked; else echo visible; fi';
/** Whether /proc/sys is mounted read-only, from the container's own mount table. */
export const procSysReadonly =
  'grep -q " /proc/sys [^ ]* ro[, ]" /proc/self/mounts && echo ro || echo rw';

export function filesystemProtectionCases(target: () => CriTarget): void {
  const pod = sharedPod(target, 'fs-protection');
  const privilegedPod = sharedPod(target, 'fs-privileged', privileged);
  const running = (name: string, security: object = {}): Promise<string> =>
    startIn(target(), pod, withSecurityContext(makeContainer(target(), name, sleeper), security));

  it('masks the paths it is given: a masked file reads as empty', async () => {
    // Not a binary, as the validation suite masks /bin/ls: in this image every command is a link
    // to /bin/busybox, and masking a link masks what it points to, shell included.
    const id = await running('masked', { masked_paths: ['/etc/group'] });
    const result = await shIn(target(), id, 'test -c /etc/group && wc -c < /etc/group');
    expect(result).toMatchObject({ exitCode: 0, stdout: '0\n' });
  });

  it('makes the paths it is given read-only', async () => {
    const id = await running('readonly', { readonly_paths: ['/tmp'] });
    const result = await shIn(target(), id, 'touch /tmp/test');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('Read-only file system');
  });

  it('masks nothing for a privileged container', async () => {
    const { pod: fixture, id: sandboxId } = await privilegedPod();
    const config = withSecurityContext(makeContainer(target(), 'unmasked', sleeper), {
      privileged: true,
    });
    const id = await startContainer(target(), sandboxId, fixture, config);
    expect((await shIn(target(), id, timerListMasked)).stdout.trim()).toBe('visible');
    expect((await shIn(target(), id, procSysReadonly)).stdout.trim()).toBe('rw');
  });

  it.each([
    { readonly: true, expected: 'Read-only file system' },
    { readonly: false, expected: 'written' },
  ])('honours readonly_rootfs: $readonly', async ({ readonly, expected }) => {
    const { pod: fixture, id: sandboxId } = await pod();
    const config = withSecurityContext(
      makeContainer(target(), `rootfs-ro-${readonly}`, 'touch /written 2>&1 && echo written'),
      { readonly_rootfs: readonly },
    );
    const id = await startContainer(target(), sandboxId, fixture, config);
    const exited = await waitForState(target(), id, 'CONTAINER_EXITED');
    expect(await readFile(exited.log_path, 'utf8')).toContain(expected);
  });

  it("gives the sandbox's pause container the sandbox's readonly_rootfs (a pod that shares its PIDs has one)", async () => {
    const base = makeProcessSharingPod(target(), 'ro-sandbox');
    const linux = base.config.linux ?? {};
    const pod = {
      ...base,
      config: {
        ...base.config,
        linux: {
          ...linux,
          security_context: { ...linux.security_context, readonly_rootfs: true },
        },
      },
    };
    const id = await runPod(target(), pod);
    // The pause container's OCI spec, as verbose PodSandboxStatus shows it (crictl inspectp).
    const { info } = await runtimeCall(target(), 'PodSandboxStatus', {
      pod_sandbox_id: id,
      verbose: true,
    });
    const document = JSON.parse(info.info ?? '{}') as {
      runtimeSpec?: { root?: { readonly?: boolean } };
    };
    expect(document.runtimeSpec?.root?.readonly).toBe(true);
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: id });
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: id });
  });
}
