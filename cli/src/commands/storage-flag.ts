// `--storage embedded:<dir>` or `--storage etcd:<url>[,<url>...]`: which store the apiserver
// runs on. The default is an embedded store in $SKIFF_STATE_DIR or ./.skiff/state.
import { resolve } from 'node:path';

export type StorageChoice =
  | { readonly kind: 'embedded'; readonly dir: string }
  | { readonly kind: 'etcd'; readonly endpoints: readonly string[] };

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SKIFF_STATE_DIR || '.skiff/state');
}

export function parseStorageFlag(
  value: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): StorageChoice {
  if (value === undefined || value === '') return { kind: 'embedded', dir: defaultStateDir(env) };
  const colon = value.indexOf(':');
  const scheme = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? '' : value.slice(colon + 1);
  if (scheme === 'embedded')
    return { kind: 'embedded', dir: rest ? resolve(rest) : defaultStateDir(env) };
  if (scheme === 'etcd') {
    const endpoints = rest
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    if (endpoints.length === 0)
      throw new Error('--storage etcd: needs at least one URL, e.g. etcd:http://127.0.0.1:2379');
    for (const endpoint of endpoints) {
      if (!/^https?:\/\/[^/]+/.test(endpoint)) {
        throw new Error(`--storage etcd: ${JSON.stringify(endpoint)} is not an http(s) URL`);
      }
    }
    return { kind: 'etcd', endpoints };
  }
  throw new Error(
    `--storage ${JSON.stringify(value)}: expected embedded:<dir> or etcd:<url>[,<url>...]`,
  );
}

export function describeStorage(choice: StorageChoice): string {
  return choice.kind === 'embedded'
    ? `embedded:${choice.dir}`
    : `etcd:${choice.endpoints.join(',')}`;
}
