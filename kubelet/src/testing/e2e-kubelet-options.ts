// The options every end-to-end kubelet of these tests and benchmarks shares: a node named by the
// caller on 127.0.0.1 (where the apiserver reaches its port), the runtime's temp dir as its root
// and pod log dir, a free port, no host resolv.conf, and quiet logs. Each caller adds what it is
// about (eviction thresholds, a manifest path, …).
import type { Client } from '@skiff/client';
import type { KubeletOptions } from '../kubelet.js';
import type { E2eRuntime } from './e2e-runtime.js';

export function e2eKubeletOptions(
  client: Client,
  runtime: Pick<E2eRuntime, 'cri' | 'dir'>,
  nodeName: string,
) {
  return {
    client,
    cri: runtime.cri,
    nodeName,
    hostname: nodeName,
    nodeIP: '127.0.0.1',
    rootDir: runtime.dir,
    podLogsDirectory: `${runtime.dir}/pods`,
    address: '127.0.0.1',
    port: 0,
    resolvConf: '',
    log: () => undefined,
  } satisfies KubeletOptions;
}
