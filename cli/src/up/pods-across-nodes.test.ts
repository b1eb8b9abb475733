// `skiff up --nodes 2`: both kubelets and runtimes share this machine's network namespace, each
// runtime with a bridge and pod range of its own. Routing between the nodes' pods is then the
// kernel's own: each bridge holds its range's gateway address, so the host has a connected route
// to every node's pods and forwards between the bridges — no pod network (podnet) is needed, and
// host-gw's route "via the node's InternalIP" would even replace that connected route (every node
// has the host's address). This test shows a pod on one node reaching a pod on the other by IP.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '@skiff/api';
import { eventually } from '@skiff/api/testing';
import { clientFromKubeconfig } from '@skiff/client';
import { RemoteCri } from '@skiff/kubelet';
import { describe, expect, it } from 'vitest';
import {
  freePort,
  keptOnFailureStateDir,
  realClusterUnavailable,
  removeBridgeAndRules,
  removeIfUnmounted,
  startUp,
  stopUp,
  unusedPodCidr,
} from '../testing/up-cluster.js';

const why = realClusterUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';

function pinned(name: string, node: string, command: string[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'main',
          image: 'skiff.local/busybox:latest',
          imagePullPolicy: 'IfNotPresent',
          command,
        },
      ],
    },
  };
}

describe.skipIf(why !== undefined && !ci)('skiff up --nodes 2 (real processes, root)', () => {
  it('a pod on the second node reaches a pod on the first by its IP', async () => {
    if (why !== undefined) throw new Error(`${why}; CI must provide it`);
    const dir = await keptOnFailureStateDir();
    const bridge = `sku${Math.random().toString(16).slice(2, 10)}`;
    const [first, second] = [hostname().toLowerCase(), `${hostname().toLowerCase()}-2`];
    const up = await startUp([
      '--state-dir',
      dir,
      '--port',
      String(await freePort()),
      '--nodes',
      '2',
      '--bridge',
      bridge,
      '--pod-cidr',
      await unusedPodCidr(2),
    ]);
    const client = await clientFromKubeconfig({ kubeconfig: join(dir, 'kubeconfig') });
    try {
      const pods = client.pods('default');
      await pods.create(
        pinned('server', first, [
          'sh',
          '-c',
          'echo pong > /tmp/i && exec httpd -f -p 8080 -h /tmp',
        ]),
      );
      await pods.create(pinned('client', second, ['sleep', '3600']));
      const running = (name: string): Promise<Pod> =>
        eventually(`pod ${name} Running`, async () => {
          const pod = await pods.get(name);
          return pod.status?.phase === 'Running' && pod.status.podIP !== undefined && pod;
        });
      const server = await running('server');
      const caller = await running('client');
      const id = (caller.status?.containerStatuses?.[0]?.containerID ?? '').replace(
        /^\w+:\/\//,
        '',
      );
      const cri = new RemoteCri(`unix://${join(dir, 'nodes', second, 'runtime.sock')}`);
      try {
        const url = `http://${server.status?.podIP ?? ''}:8080/i`;
        const result = await cri.execSync(id, ['timeout', '5', 'wget', '-q', '-O', '-', url], 10);
        expect(Buffer.from(result.stdout).toString()).toBe('pong\n');
      } finally {
        cri.close();
      }
      for (const name of ['server', 'client']) await pods.delete(name);
      await eventually('both pods gone', async () => (await pods.list()).items.length === 0);
    } finally {
      client.close();
    }
    await stopUp(up);
    await removeBridgeAndRules(bridge);
    await removeBridgeAndRules(`${bridge.slice(0, 12)}_2`);
    await removeIfUnmounted(dir);
  }, 600_000);
});
