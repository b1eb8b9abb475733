// Where `skiff up` keeps a cluster, and how that directory is laid out. One directory holds all
// of it — the store, each node's runtime and kubelet state, the logs and the kubeconfig — so a
// second `skiff up` on it resumes the same cluster, and `rm -rf` of it (pods stopped) forgets it.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** root: /var/lib/skiff, as k3s uses /var/lib/rancher/k3s; anyone else: ~/.skiff. */
export function defaultUpStateDir(
  env: NodeJS.ProcessEnv = process.env,
  uid: number | undefined = process.getuid?.(),
): string {
  return uid === 0 ? '/var/lib/skiff' : join(env.HOME || homedir(), '.skiff');
}

export interface NodeLayout {
  readonly name: string;
  readonly runtimeSocket: string;
  readonly runtimeRoot: string;
  readonly kubeletRoot: string;
  readonly podLogs: string;
}

export interface StateLayout {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly lock: string;
  readonly store: string;
  readonly logs: string;
  node(name: string): NodeLayout;
  log(component: string): string;
}

export function stateLayout(stateDir: string): StateLayout {
  const dir = resolve(stateDir);
  const logs = join(dir, 'logs');
  return {
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    lock: join(dir, 'up.sock'),
    store: join(dir, 'store'),
    logs,
    node: (name) => {
      const nodeDir = join(dir, 'nodes', name);
      return {
        name,
        runtimeSocket: join(nodeDir, 'runtime.sock'),
        runtimeRoot: join(nodeDir, 'runtime'),
        kubeletRoot: join(nodeDir, 'kubelet'),
        podLogs: join(nodeDir, 'pod-logs'),
      };
    },
    log: (component) => join(logs, `${component}.log`),
  };
}

/** Creates the state dir and its logs dir; throws a message naming the dir if it can't be written. */
export async function prepareStateDir(layout: StateLayout): Promise<void> {
  try {
    await mkdir(layout.logs, { recursive: true, mode: 0o700 });
    await access(layout.dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(
      `state dir ${layout.dir} is not writable (${code}); choose another with --state-dir` +
        (process.getuid?.() === 0 ? '' : ' or run as root'),
      { cause: err },
    );
  }
}

/** A kubelet's directories, made before it starts (`skiff kubelet` expects them to exist). */
export async function prepareNodeDirs(node: NodeLayout): Promise<void> {
  await mkdir(node.kubeletRoot, { recursive: true });
  await mkdir(node.podLogs, { recursive: true });
}
