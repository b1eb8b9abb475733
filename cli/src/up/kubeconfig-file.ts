// The kubeconfig `skiff up` writes beside its state: one cluster, one user, one context, all
// named `skiff`, pointing at the apiserver it started. Plain HTTP with no credentials for now
// (authentication arrives with its own issue); real kubectl and every skiff component read it.
// Once its scheduler serves, `up` writes it again with the cluster's `skiff` extension naming
// where (kubectl keeps a cluster's extensions as they are), so `skiff explain pod NAME` finds
// the scheduler of whatever cluster the kubeconfig points at, with no flag.
import { rename, writeFile } from 'node:fs/promises';

export const KUBECONFIG_CONTEXT = 'skiff';

/** The name of the cluster extension skiff keeps its own addresses in. */
export const SKIFF_EXTENSION = 'skiff';

/** What the `skiff` extension of a kubeconfig cluster says. */
export interface SkiffClusterExtension {
  /** The base URL of the scheduler's HTTP server (/debug/decisions, /healthz). */
  readonly scheduler?: string;
}

/** The extension as written, or nothing for anything else found under its name. */
export function readSkiffExtension(value: unknown): SkiffClusterExtension {
  if (typeof value !== 'object' || value === null) return {};
  const scheduler = (value as Record<string, unknown>).scheduler;
  return typeof scheduler === 'string' ? { scheduler } : {};
}

export function kubeconfigText(server: string, extension?: SkiffClusterExtension): string {
  // JSON strings are valid YAML scalars: quoting this way needs no YAML library.
  const q = (s: string): string => JSON.stringify(s);
  const extensionLines =
    extension?.scheduler === undefined
      ? []
      : [
          '    extensions:',
          `    - name: ${q(SKIFF_EXTENSION)}`,
          '      extension:',
          `        scheduler: ${q(extension.scheduler)}`,
        ];
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(KUBECONFIG_CONTEXT)}`,
    '  cluster:',
    `    server: ${q(server)}`,
    // There is no TLS to verify on plain HTTP, and @kubernetes/client-node refuses an http://
    // server unless the cluster says so; kubectl ignores it for http://.
    ...(server.startsWith('http:') ? ['    insecure-skip-tls-verify: true'] : []),
    ...extensionLines,
    'users:',
    `- name: ${q(KUBECONFIG_CONTEXT)}`,
    '  user: {}',
    'contexts:',
    `- name: ${q(KUBECONFIG_CONTEXT)}`,
    '  context:',
    `    cluster: ${q(KUBECONFIG_CONTEXT)}`,
    `    user: ${q(KUBECONFIG_CONTEXT)}`,
    '    namespace: default',
    `current-context: ${q(KUBECONFIG_CONTEXT)}`,
    '',
  ].join('\n');
}

/** Writes it atomically, so a kubectl reading it meanwhile never sees half a file. */
export async function writeKubeconfig(
  path: string,
  server: string,
  extension?: SkiffClusterExtension,
): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, kubeconfigText(server, extension), { mode: 0o600 });
  await rename(tmp, path);
}
