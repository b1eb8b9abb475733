// The kubeconfig `skiff up` writes beside its state: one cluster, one user, one context, all
// named `skiff`, pointing at the apiserver it started. Plain HTTP with no credentials for now
// (authentication arrives with its own issue); real kubectl and every skiff component read it.
import { rename, writeFile } from 'node:fs/promises';

export const KUBECONFIG_CONTEXT = 'skiff';

export function kubeconfigText(server: string): string {
  // JSON strings are valid YAML scalars: quoting this way needs no YAML library.
  const q = (s: string): string => JSON.stringify(s);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(KUBECONFIG_CONTEXT)}`,
    '  cluster:',
    `    server: ${q(server)}`,
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
export async function writeKubeconfig(path: string, server: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, kubeconfigText(server), { mode: 0o600 });
  await rename(tmp, path);
}
