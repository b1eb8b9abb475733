// How a kubectl-like verb reaches the cluster: the kubeconfig kubectl would use (--kubeconfig,
// else KUBECONFIG, else ~/.kube/config) and, when none of those exists, the one `skiff up`
// wrote in its default state dir, so `skiff get pods` works right after `skiff up` without a
// flag. One RestClient serves every request of the command; the RESTMapper comes from
// discovery, so custom resources resolve as soon as their CRD is served.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  RESTMapper,
  RestClient,
  RestResourceClient,
  kubeconfigPaths,
  loadRestConfig,
  serverResources,
  type GroupVersionResource,
  type KubeObject,
  type ResourceClient,
  type Unstructured,
} from '@skiff/client';
import { defaultUpStateDir } from '../up/state-dir.js';

/** The flags every verb takes to find its cluster (kubectl's names). */
export const connectionOptions = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  cluster: { type: 'string' },
  user: { type: 'string' },
  server: { type: 'string', short: 's' },
  token: { type: 'string' },
  'insecure-skip-tls-verify': { type: 'boolean' },
  namespace: { type: 'string', short: 'n' },
  'request-timeout': { type: 'string' },
} as const;

export interface ConnectionFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly server?: string;
  readonly token?: string;
  readonly 'insecure-skip-tls-verify'?: boolean;
  readonly namespace?: string;
}

export interface Connection {
  readonly rest: RestClient;
  /** -n, else the context's namespace, else `default`. */
  readonly namespace: string;
  /** Discovery, read once per command on first use. */
  mapper(): Promise<RESTMapper>;
  /** The dynamic client of a resource; namespace undefined for cluster scope and all namespaces. */
  resource<T extends KubeObject = Unstructured>(
    gvr: GroupVersionResource,
    namespace: string | undefined,
  ): ResourceClient<T>;
  close(): void;
}

export async function connect(flags: ConnectionFlags, env = process.env): Promise<Connection> {
  const kubeconfig = flags.kubeconfig ?? (await upKubeconfigIfNoOther(env));
  const config = await loadRestConfig({
    kubeconfig,
    env,
    context: flags.context,
    cluster: flags.cluster,
    user: flags.user,
    server: flags.server,
    token: flags.token,
    insecureSkipTlsVerify: flags['insecure-skip-tls-verify'],
    namespace: flags.namespace,
  });
  // A command line waits for an answer as kubectl does: no client-side rate limit to speak of.
  const rest = new RestClient({ ...config, qps: 50, burst: 100, userAgent: 'skiff-cli/0.1' });
  let mapper: Promise<RESTMapper> | undefined;
  return {
    rest,
    namespace: rest.namespace,
    mapper: () => (mapper ??= serverResources(rest).then((d) => RESTMapper.fromDiscovery(d))),
    resource: <T extends KubeObject = Unstructured>(
      gvr: GroupVersionResource,
      namespace: string | undefined,
    ) => new RestResourceClient<T>(rest, gvr, namespace),
    close: () => rest.close(),
  };
}

/** `<default state dir>/kubeconfig` when kubectl's own places hold no kubeconfig. */
export async function upKubeconfigIfNoOther(
  env: NodeJS.ProcessEnv,
  uid: number | undefined = process.getuid?.(),
): Promise<string | undefined> {
  if (env.KUBECONFIG) return undefined;
  const [home] = kubeconfigPaths({ env }).paths;
  if (home !== undefined && (await exists(home))) return undefined;
  const up = join(defaultUpStateDir(env, uid), 'kubeconfig');
  return (await exists(up)) ? up : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
