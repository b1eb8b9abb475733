// Where kubeconfigs come from, in kubectl's order: `--kubeconfig <file>` (that file alone, which
// must exist); else every file in KUBECONFIG (colon-separated, missing ones skipped, merged);
// else ~/.kube/config if it exists. So the file `skiff up` writes works for kubectl and for
// every skiff component alike.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createClient, type Client } from '../rest/client.js';
import type { RestConfig } from '../rest/config.js';
import { mergeKubeconfigs } from './merge.js';
import { KubeconfigError, parseKubeconfig } from './parse.js';
import { resolveRestConfig, type KubeconfigOverrides } from './resolve.js';
import type { Kubeconfig } from './types.js';

export interface KubeconfigSource {
  /** `--kubeconfig`: use only this file. */
  readonly kubeconfig?: string;
  /** Where KUBECONFIG and HOME are read (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type LoadOptions = KubeconfigSource & KubeconfigOverrides;

/** The files that would be read, in precedence order. */
export function kubeconfigPaths(source: KubeconfigSource = {}): {
  paths: string[];
  mustExist: boolean;
} {
  if (source.kubeconfig) return { paths: [source.kubeconfig], mustExist: true };
  const env = source.env ?? process.env;
  const list = env.KUBECONFIG;
  if (list) {
    const paths = [...new Set(list.split(delimiter).filter((p) => p !== ''))];
    return { paths, mustExist: false };
  }
  return { paths: [join(env.HOME || homedir(), '.kube', 'config')], mustExist: false };
}

/** Reads and merges the kubeconfig files; `found` lists those that existed. */
export async function loadKubeconfig(
  source: KubeconfigSource = {},
): Promise<{ config: Kubeconfig; found: string[] }> {
  const { paths, mustExist } = kubeconfigPaths(source);
  const configs: Kubeconfig[] = [];
  const found: string[] = [];
  for (const path of paths) {
    const text = await readIfPresent(path, mustExist);
    if (text === undefined) continue;
    configs.push(parseKubeconfig(text, path));
    found.push(path);
  }
  return { config: mergeKubeconfigs(configs), found };
}

/** The RestConfig kubectl would use with the same files, environment and flags. */
export async function loadRestConfig(options: LoadOptions = {}): Promise<RestConfig> {
  const { config, found } = await loadKubeconfig(options);
  if (found.length === 0 && !options.server) {
    const { paths } = kubeconfigPaths(options);
    throw new KubeconfigError(
      `no kubeconfig found (looked for ${paths.join(', ')}) and no server given`,
    );
  }
  return resolveRestConfig(config, options);
}

/**
 * A client from the kubeconfig kubectl would use. `tuning` sets what a kubeconfig does not
 * say: qps, burst, retries, timeouts, the clock.
 */
export async function clientFromKubeconfig(
  options: LoadOptions = {},
  tuning: Omit<RestConfig, 'server' | 'tls' | 'credentials' | 'namespace'> = {},
): Promise<Client> {
  return createClient({ ...(await loadRestConfig(options)), ...tuning });
}

async function readIfPresent(path: string, mustExist: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as { code?: unknown }).code === 'ENOENT';
    if (missing && !mustExist) return undefined;
    throw new KubeconfigError(`kubeconfig ${path}: cannot read it`, { cause: err });
  }
}
