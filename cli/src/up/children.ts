// The components `skiff up --split` runs as processes of their own, the runtime included, each as
// the `skiff <component>` a lab would run on another machine. (Without --split they all run in
// `up`'s process: ./in-process.ts, ./runtime-in-process.ts.)
import { mkdir } from 'node:fs/promises';
import { RemoteCri } from '@skiff/kubelet/cri';
import type { RunningComponent } from './component.js';
import { freePort } from './free-port.js';
import type { KubeletDns } from './in-process.js';
import { startSkiffChild, waitForChild, type SkiffChild } from './skiff-child.js';
import type { NodeLayout } from './state-dir.js';

function asComponent(child: SkiffChild): RunningComponent {
  let stopping = false;
  return {
    name: child.name,
    logFile: child.logFile,
    failed: child.exit.then((code) =>
      stopping
        ? new Promise<never>(() => undefined)
        : Promise.reject(new Error(`${child.name} exited (${code}); see ${child.logFile}`)),
    ),
    stop: () => {
      stopping = true;
      return child.stop();
    },
  };
}

export interface NodeRuntimeOptions {
  readonly node: NodeLayout;
  readonly bridge: string;
  readonly podCidr: string;
  readonly logFile: string;
}

/** `skiff runtime` for one node; resolves once it answers CRI Version on its socket. */
export async function startRuntimeChild(options: NodeRuntimeOptions): Promise<RunningComponent> {
  const { node } = options;
  await mkdir(node.runtimeRoot, { recursive: true });
  const child = startSkiffChild(
    `runtime ${node.name}`,
    [
      'runtime',
      '--socket',
      node.runtimeSocket,
      '--root',
      node.runtimeRoot,
      '--bridge',
      options.bridge,
      '--pod-cidr',
      options.podCidr,
    ],
    options.logFile,
  );
  const cri = new RemoteCri(`unix://${node.runtimeSocket}`);
  try {
    await waitForChild(child, 'CRI answer', async () => {
      await cri.version();
      return true;
    });
  } catch (err) {
    await child.stop();
    throw err;
  } finally {
    cri.close();
  }
  return asComponent(child);
}

/** Plain HTTP GET `url` answers 200. */
async function answers200(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  await response.body?.cancel();
  return response.ok;
}

export async function startApiServerChild(options: {
  readonly storage: string;
  readonly host: string;
  readonly port: number;
  readonly logFile: string;
}): Promise<RunningComponent & { readonly url: string }> {
  const child = startSkiffChild(
    'apiserver',
    [
      'apiserver',
      '--storage',
      options.storage,
      '--bind',
      options.host,
      '--port',
      String(options.port),
    ],
    options.logFile,
  );
  const url = `http://${options.host}:${options.port}`;
  try {
    await waitForChild(child, `an answer on ${url}/readyz`, () => answers200(`${url}/readyz`));
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { ...asComponent(child), url };
}

/**
 * A control-plane component or kubelet as `skiff <args>`. These have no readiness of their own
 * that `up` needs: the node turning Ready (waited for next) proves the kubelet works, and the
 * scheduler and controllers show themselves in the demo.
 */
export function startComponentChild(
  name: string,
  args: readonly string[],
  logFile: string,
): RunningComponent {
  return asComponent(startSkiffChild(name, args, logFile));
}

/** `skiff scheduler` or `skiff controller-manager` for `up --split` (leader election off, as in one process). */
export function startControlPlaneChild(
  component: 'scheduler' | 'controller-manager',
  kubeconfig: string,
  logFile: string,
  port = 0,
): RunningComponent {
  const args = ['--kubeconfig', kubeconfig, '--leader-elect=false', '--port', String(port)];
  return startComponentChild(
    component,
    [component, ...args, '--bind-address', '127.0.0.1'],
    logFile,
  );
}

/**
 * `skiff scheduler` for `up --split` on a port chosen here, since `up` writes the scheduler's
 * URL into the kubeconfig before the child could say which port it took.
 */
export async function startSchedulerChild(
  kubeconfig: string,
  logFile: string,
): Promise<RunningComponent & { readonly url: string }> {
  const port = await freePort();
  const component = startControlPlaneChild('scheduler', kubeconfig, logFile, port);
  return { ...component, url: `http://127.0.0.1:${port}` };
}

export function kubeletChildArgs(
  kubeconfig: string,
  node: NodeLayout,
  criEndpoint: string,
  dns: KubeletDns,
): string[] {
  return [
    'kubelet',
    '--kubeconfig',
    kubeconfig,
    '--hostname-override',
    node.name,
    '--container-runtime-endpoint',
    criEndpoint,
    '--root-dir',
    node.kubeletRoot,
    '--pod-logs-dir',
    node.podLogs,
    '--port',
    '0',
    ...(dns.clusterDNS.length > 0 ? ['--cluster-dns', dns.clusterDNS.join(',')] : []),
    '--cluster-domain',
    dns.clusterDomain,
  ];
}
