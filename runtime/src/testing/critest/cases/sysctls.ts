// Pod sysctls, as the validation suite checks them: namespaced ones, safe (kernel.shm_rmid_forced)
// and unsafe (kernel.msgmax) alike, are set in the pod's namespaces, where its containers read
// them; a sysctl of the whole node (vm.swappiness) fails RunPodSandbox and names itself.
import { expect, it } from 'vitest';
import { grpcError, runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { shIn } from '../container-exec.js';
import { makeContainer, makePod, runPod, startContainer, type PodFixture } from '../pods.js';

function withSysctls(pod: PodFixture, sysctls: Record<string, string>): PodFixture {
  const linux = pod.config.linux ?? {};
  return { ...pod, config: { ...pod.config, linux: { ...linux, sysctls } } };
}

export function sysctlCases(target: () => CriTarget): void {
  it('sets namespaced sysctls in the pod, where its containers see them', async () => {
    const pod = withSysctls(makePod(target(), 'sysctls'), {
      'kernel.shm_rmid_forced': '1',
      'kernel.msgmax': '10000',
      'net.ipv4.ip_unprivileged_port_start': '0',
    });
    const sandboxId = await runPod(target(), pod);
    const id = await startContainer(
      target(),
      sandboxId,
      pod,
      makeContainer(target(), 'reader', 'exec sleep 3600'),
    );
    const read = await shIn(
      target(),
      id,
      'cat /proc/sys/kernel/shm_rmid_forced /proc/sys/kernel/msgmax /proc/sys/net/ipv4/ip_unprivileged_port_start',
    );
    expect(read.stdout).toBe('1\n10000\n0\n');
    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: sandboxId });
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: sandboxId });
  });

  it('refuses a sysctl that is not namespaced, naming it', async () => {
    const pod = withSysctls(makePod(target(), 'node-sysctl'), { 'vm.swappiness': '10' });
    const err = await grpcError(runPod(target(), pod));
    // containerd 1.6 answers UNKNOWN with runc's words, skiff INVALID_ARGUMENT with its own.
    expect(err.details).toContain('vm.swappiness');
    expect(err.details).toMatch(/not in a separate kernel namespace/);
  });
}
