import { describe, expect, it } from 'vitest';
import type { PodNamespaceModes } from './namespaces-spec.js';
import { checkPodSysctls } from './sysctls.js';

const ownNamespaces: PodNamespaceModes = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' };
const hostNetwork: PodNamespaceModes = { ...ownNamespaces, network: 'NODE' };
const hostIpc: PodNamespaceModes = { ...ownNamespaces, ipc: 'NODE' };

describe('checkPodSysctls', () => {
  it.each([
    ['kernel.shm_rmid_forced', ownNamespaces],
    ['kernel.msgmax', ownNamespaces],
    ['fs.mqueue.msg_max', ownNamespaces],
    ['net.ipv4.ip_unprivileged_port_start', ownNamespaces],
    ['net/ipv4/ip_local_port_range', ownNamespaces],
    ['kernel.domainname', ownNamespaces],
    ['kernel.sem', hostNetwork],
    ['net.core.somaxconn', hostIpc],
  ])('accepts %s', (name, modes) => {
    expect(() => checkPodSysctls({ [name]: '1' }, modes)).not.toThrow();
  });

  it.each([
    ['vm.swappiness', ownNamespaces, 'is not in a separate kernel namespace'],
    ['kernel.hostname', ownNamespaces, 'is not in a separate kernel namespace'],
    ['kernel.pid_max', ownNamespaces, 'is not in a separate kernel namespace'],
    ['net.ipv4.ip_forward', hostNetwork, 'belongs to the network namespace'],
    ['kernel.domainname', hostNetwork, 'belongs to the uts namespace'],
    ['kernel.shmmax', hostIpc, 'belongs to the ipc namespace'],
  ])('refuses %s', (name, modes, why) => {
    expect(() => checkPodSysctls({ [name]: '1' }, modes)).toThrow(`sysctl "${name}" ${why}`);
  });
});
