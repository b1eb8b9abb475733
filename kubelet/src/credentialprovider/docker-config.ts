// Registry credentials from a pod's image pull secrets (Kubernetes' MakeDockerKeyring): a
// `kubernetes.io/dockerconfigjson` secret holds a config.json (`{"auths": {<registry>: entry}}`)
// under `.dockerconfigjson`, a `kubernetes.io/dockercfg` secret the older ~/.dockercfg
// (`{<registry>: entry}`) under `.dockercfg`; other secrets, or those without the key, add
// nothing. An entry's `auth` is base64 of `username:password` and wins over the separate fields.
// A secret whose JSON cannot be read fails the pull with the reason, as upstream's does.
import type { Secret } from '@skiff/api';
import { DockerKeyring, type DockerConfig, type RegistryCredential } from './keyring.js';

export const SECRET_TYPE_DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
export const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';
export const SECRET_TYPE_DOCKERCFG = 'kubernetes.io/dockercfg';
export const DOCKERCFG_KEY = '.dockercfg';

export class DockerConfigError extends Error {
  override readonly name = 'DockerConfigError';
}

/** A keyring of every docker config among `secrets` (in their order). */
export function makeDockerKeyring(secrets: readonly Readonly<Secret>[]): DockerKeyring {
  const keyring = new DockerKeyring();
  for (const secret of secrets) {
    const json = secretValue(secret, SECRET_TYPE_DOCKER_CONFIG_JSON, DOCKER_CONFIG_JSON_KEY);
    if (json !== undefined) {
      const parsed = parseJson(json) as { auths?: unknown };
      keyring.add(dockerConfig(parsed.auths ?? {}));
      continue;
    }
    const cfg = secretValue(secret, SECRET_TYPE_DOCKERCFG, DOCKERCFG_KEY);
    if (cfg !== undefined) keyring.add(dockerConfig(parseJson(cfg)));
  }
  return keyring;
}

function secretValue(secret: Readonly<Secret>, type: string, key: string): string | undefined {
  const base64 = secret.type === type ? secret.data?.[key] : undefined;
  if (base64 === undefined || base64 === '') return undefined;
  return Buffer.from(base64, 'base64').toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DockerConfigError((err as Error).message, { cause: err });
  }
}

function dockerConfig(value: unknown): DockerConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DockerConfigError('a docker config must be a JSON object of registries');
  }
  const config = new Map<string, RegistryCredential>();
  for (const [location, entry] of Object.entries(value as Record<string, unknown>)) {
    config.set(location, credentialOf(entry));
  }
  return config;
}

function credentialOf(entry: unknown): RegistryCredential {
  const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
    string,
    unknown
  >;
  const text = (name: string): string => {
    const v = fields[name];
    return typeof v === 'string' ? v : '';
  };
  const auth = text('auth');
  if (auth === '') return { username: text('username'), password: text('password') };
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    throw new DockerConfigError(
      'unable to parse auth field, must be formatted as base64(username:password)',
    );
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
