// From a (merged) kubeconfig and kubectl-style overrides to the RestConfig of one context:
// pick the context, its cluster and user, apply --server/--namespace/… on top, and read the
// certificate, key and CA files it points at. Contradictions are errors, as in kubectl, rather
// than a silent choice the user did not expect.
import { readFile } from 'node:fs/promises';
import type { RestConfig, TlsConfig, Credentials } from '../rest/config.js';
import { KubeconfigError } from './parse.js';
import type { Kubeconfig, KubeconfigCluster, KubeconfigUser } from './types.js';

/** kubectl's global flags of the same names. */
export interface KubeconfigOverrides {
  readonly context?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly server?: string;
  readonly namespace?: string;
  readonly token?: string;
  readonly insecureSkipTlsVerify?: boolean;
}

/** The context kubectl would use and the cluster and user it names, after the overrides. */
function selectEntries(config: Kubeconfig, overrides: KubeconfigOverrides) {
  const contextName = overrides.context || config.currentContext;
  const context = contextName === undefined ? {} : config.contexts.get(contextName);
  if (!context) throw new KubeconfigError(`context "${contextName}" does not exist`);
  const cluster = pick(config.clusters, overrides.cluster || context.cluster, 'cluster');
  const user = pick(config.users, overrides.user || context.user, 'user');
  return { contextName, context, cluster, user };
}

/** The cluster entry kubectl would talk to: for what tools keep in its `extensions`. */
export function resolveCluster(
  config: Kubeconfig,
  overrides: KubeconfigOverrides = {},
): Partial<KubeconfigCluster> {
  return selectEntries(config, overrides).cluster;
}

export async function resolveRestConfig(
  config: Kubeconfig,
  overrides: KubeconfigOverrides = {},
): Promise<RestConfig> {
  const { contextName, context, cluster, user } = selectEntries(config, overrides);

  const server = overrides.server || cluster.server;
  if (!server) {
    throw new KubeconfigError(
      contextName === undefined
        ? 'no server to talk to: the kubeconfig has no current context; give a server or a context'
        : `context "${contextName}" has no cluster with a server`,
    );
  }
  if (user.unsupported) {
    throw new KubeconfigError(
      `the user of context "${contextName}" authenticates with "${user.unsupported}", which skiff does not support: use a token or a client certificate`,
    );
  }
  return {
    server,
    tls: await tlsConfig(cluster, user, overrides.insecureSkipTlsVerify),
    credentials: credentials(user, overrides.token),
    namespace: overrides.namespace || context.namespace || 'default',
  };
}

function pick<T extends object>(
  entries: ReadonlyMap<string, T>,
  name: string | undefined,
  what: string,
): Partial<T> {
  if (name === undefined || name === '') return {};
  const entry = entries.get(name);
  if (!entry) throw new KubeconfigError(`${what} "${name}" does not exist`);
  return entry;
}

async function tlsConfig(
  cluster: Partial<KubeconfigCluster>,
  user: Partial<KubeconfigUser>,
  insecureOverride: boolean | undefined,
): Promise<TlsConfig> {
  const insecure = insecureOverride ?? cluster.insecureSkipTlsVerify ?? false;
  // The flag drops the file's CA; a file that says both is contradicting itself.
  const ca = insecureOverride
    ? undefined
    : await pem(
        'certificate-authority',
        cluster.certificateAuthorityData,
        cluster.certificateAuthority,
      );
  if (insecure && ca !== undefined) {
    throw new KubeconfigError(
      'specifying a root certificates file with the insecure flag is not allowed',
    );
  }
  const cert = await pem('client-certificate', user.clientCertificateData, user.clientCertificate);
  const key = await pem('client-key', user.clientKeyData, user.clientKey);
  if ((cert === undefined) !== (key === undefined)) {
    throw new KubeconfigError('client-certificate and client-key must be given together');
  }
  return {
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && { cert }),
    ...(key !== undefined && { key }),
    ...(insecure && { insecureSkipTlsVerify: true }),
    ...(cluster.tlsServerName && { serverName: cluster.tlsServerName }),
  };
}

function credentials(user: Partial<KubeconfigUser>, tokenOverride?: string): Credentials {
  if (tokenOverride) return { token: tokenOverride };
  if (user.token) return { token: user.token };
  if (user.tokenFile) return { tokenFile: user.tokenFile };
  if (user.username !== undefined || user.password !== undefined) {
    return { username: user.username, password: user.password };
  }
  return {};
}

/** PEM text from `<field>-data` (base64) or from the file `<field>` names; never both. */
async function pem(
  field: string,
  data: string | undefined,
  file: string | undefined,
): Promise<string | undefined> {
  if (data && file) {
    throw new KubeconfigError(`${field}-data and ${field} are both specified; give one`);
  }
  let text: string;
  if (data) {
    text = Buffer.from(data, 'base64').toString('utf8');
    if (!text.includes('-----BEGIN')) {
      throw new KubeconfigError(`${field}-data is not the base64 of a PEM block`);
    }
    return text;
  }
  if (!file) return undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new KubeconfigError(`${field}: cannot read ${file}`, { cause: err });
  }
  return text;
}
