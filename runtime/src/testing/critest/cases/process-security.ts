// The process side of a container's security context, as the validation suite checks it:
// supplemental groups, no_new_privs, and a PID namespace shared with another container (mode
// TARGET, which ephemeral debug containers use to see the processes of the one they debug).
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import type { CriTarget } from '../cri-target.js';
import { shIn } from '../container-exec.js';
import {
  makeContainer,
  sharedPod,
  startContainer,
  startIn,
  waitForState,
  withSecurityContext,
} from '../pods.js';

export function processSecurityCases(target: () => CriTarget): void {
  const pod = sharedPod(target, 'process-security');

  it('gives the process its supplemental groups', async () => {
    const config = withSecurityContext(makeContainer(target(), 'groups', 'exec sleep 3600'), {
      supplemental_groups: [1234, 5678],
    });
    const id = await startIn(target(), pod, config);
    const groups = (await shIn(target(), id, 'id -G')).stdout.trim().split(' ');
    expect(groups).toEqual(expect.arrayContaining(['1234', '5678']));
  });

  it.each([
    { noNewPrivs: true, flag: '1' },
    { noNewPrivs: false, flag: '0' },
  ])('sets no_new_privs on the process: $noNewPrivs', async ({ noNewPrivs, flag }) => {
    const { pod: fixture, id: sandboxId } = await pod();
    const config = withSecurityContext(
      makeContainer(target(), `nnp-${noNewPrivs}`, 'grep NoNewPrivs /proc/self/status'),
      { no_new_privs: noNewPrivs },
    );
    const id = await startContainer(target(), sandboxId, fixture, config);
    const exited = await waitForState(target(), id, 'CONTAINER_EXITED');
    expect(await readFile(exited.log_path, 'utf8')).toMatch(
      new RegExp(`NoNewPrivs:\\s+${flag}$`, 'm'),
    );
  });

  it("shares the target container's PID namespace with mode TARGET", async () => {
    const targetId = await startIn(
      target(),
      pod,
      makeContainer(target(), 'pid-target', 'exec sleep 3601'),
    );
    const debugger_ = withSecurityContext(
      makeContainer(target(), 'pid-debugger', 'exec sleep 3602'),
      {
        namespace_options: { network: 'POD', pid: 'TARGET', ipc: 'POD', target_id: targetId },
      },
    );
    const id = await startIn(target(), pod, debugger_);
    // PID 1 of the shared namespace is the target's process; the debugger's own is in it too.
    const first = await shIn(target(), id, "tr '\\0' ' ' < /proc/1/cmdline");
    expect(first.stdout.trim()).toBe('sleep 3601');
    const all = await shIn(target(), id, "cat /proc/[0-9]*/cmdline | tr '\\0' ' '");
    expect(all.stdout).toContain('sleep 3602');
    // The target's view is the same namespace: it sees the debugger's process as well.
    expect(
      (await shIn(target(), targetId, "cat /proc/[0-9]*/cmdline | tr '\\0' ' '")).stdout,
    ).toContain('sleep 3602');
  });
}
