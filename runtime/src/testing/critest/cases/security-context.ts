// The container security context as containerd applies it: capabilities within what the runtime
// itself holds, and a user the runtime can name.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { grpcError } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import {
  createContainer,
  makeContainer,
  privileged,
  sharedPod,
  startContainer,
  waitForState,
  withSecurityContext,
} from '../pods.js';

/** The Cap<set> line of a /proc/<pid>/status text (or a CRI log of one), as hex. */
function capabilityMask(status: string, set: 'CapBnd' | 'CapEff'): string {
  return new RegExp(`\\b${set}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1] ?? '';
}

export function securityContextCases(target: () => CriTarget): void {
  const podAllowingPrivileged = sharedPod(target, 'privileged', privileged);

  const capabilitiesOf = async (
    name: string,
    securityContext: object,
  ): Promise<{ bounding: string; effective: string }> => {
    const { pod, id: sandboxId } = await podAllowingPrivileged();
    const config = makeContainer(target(), name, 'cat /proc/self/status');
    const id = await startContainer(
      target(),
      sandboxId,
      pod,
      withSecurityContext(config, securityContext),
    );
    const exited = await waitForState(target(), id, 'CONTAINER_EXITED');
    expect(exited.exit_code).toBe(0);
    const log = await readFile(exited.log_path, 'utf8');
    return { bounding: capabilityMask(log, 'CapBnd'), effective: capabilityMask(log, 'CapEff') };
  };

  // The runtime runs as root on this host, as the suite does: its bounding set is ours. On hosts
  // that withhold a capability (this project's VMs lack CAP_SYS_RESOURCE), asking runc for all
  // the kernel knows fails the container; containerd grants what it holds.
  const ownBoundingSet = async (): Promise<string> =>
    capabilityMask(await readFile('/proc/self/status', 'utf8'), 'CapBnd');

  it.each([
    { what: 'a privileged container', context: { privileged: true } },
    { what: 'capabilities add ALL', context: { capabilities: { add_capabilities: ['ALL'] } } },
  ])("gives $what every capability of the runtime's bounding set", async ({ what, context }) => {
    const name = what.includes('privileged') ? 'caps-privileged' : 'caps-all';
    const caps = await capabilitiesOf(name, context);
    const own = await ownBoundingSet();
    expect(caps).toEqual({ bounding: own, effective: own });
  });

  it('refuses RunAsGroup without RunAsUser at create, as containerd does', async () => {
    const { pod, id: sandboxId } = await podAllowingPrivileged();
    const config = withSecurityContext(makeContainer(target(), 'group-only', 'id'), {
      run_as_group: { value: 1234 },
    });
    const err = await grpcError(createContainer(target(), sandboxId, pod, config));
    // containerd 1.6 answers UNKNOWN, skiff INVALID_ARGUMENT: the message is the contract here.
    expect(err.details).toContain('user group "1234" is specified without user');
  });
}
