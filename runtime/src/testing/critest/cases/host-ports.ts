// hostPort, as the CRI validation suite checks it ("port mapping with host port and container
// port"): a sandbox's port_mappings with a host_port make a server in the pod answer on that port
// of the node, from localhost and from the node's own address; once the sandbox is stopped the
// port is no longer forwarded. containerd does it through the CNI portmap plugin (in the suite's
// CNI config), skiff runtime itself.
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { expect, it } from 'vitest';
import { eventually } from '@skiff/api/testing';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, makePod, runPod, startContainer, type PodFixture } from '../pods.js';

export const page = 'hello from the pod';

/** GET http://host:port/ with a short timeout; resolves with the body. */
export function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${host}:${port} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** An IPv4 address of this node other than loopback: what another machine would connect to. */
function nodeAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found !== undefined) return found.address;
  }
  throw new Error('this node has no IPv4 address besides loopback');
}

/** A pod whose httpd serves `page` on container port 8080, forwarded from a random host port. */
export async function startWebPod(
  target: CriTarget,
): Promise<{ readonly hostPort: number; readonly sandboxId: string }> {
  // A port unlikely to be taken, different for each run; below the kernel's ephemeral range
  // (32768+), where servers listening on port 0 land, so "refused" means no forward.
  const hostPort = 20000 + Math.floor(Math.random() * 12000);
  const base = makePod(target, 'host-port');
  const pod: PodFixture = {
    ...base,
    config: {
      ...base.config,
      port_mappings: [{ protocol: 'TCP', container_port: 8080, host_port: hostPort }],
    },
  };
  const sandboxId = await runPod(target, pod);
  const server = makeContainer(
    target,
    'web',
    `mkdir -p /www && echo '${page}' > /www/index.html && exec httpd -f -p 8080 -h /www`,
  );
  await startContainer(target, sandboxId, pod, server);
  return { hostPort, sandboxId };
}

export function hostPortCases(target: () => CriTarget): void {
  it('forwards a host port to the pod, from localhost and the node address, until the pod stops', async () => {
    const { hostPort, sandboxId } = await startWebPod(target());
    const fromLocalhost = await eventually('the page through 127.0.0.1', () =>
      httpGet('127.0.0.1', hostPort),
    );
    expect(fromLocalhost.trim()).toBe(page);
    expect((await httpGet(nodeAddress(), hostPort)).trim()).toBe(page);

    await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: sandboxId });
    await expect(httpGet('127.0.0.1', hostPort)).rejects.toThrow(/ECONNREFUSED/);
    await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: sandboxId });
  });
}
