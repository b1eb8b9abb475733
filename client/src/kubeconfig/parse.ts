// Reads one kubeconfig file's text (YAML; JSON is YAML too) into ./types.ts, with errors that
// name the file and the field, and with relative paths made absolute against the file's folder.
import { dirname, isAbsolute, resolve } from 'node:path';
import { errorMessage } from '@skiff/api';
import { parse } from 'yaml';
import type { Kubeconfig, KubeconfigCluster, KubeconfigContext, KubeconfigUser } from './types.js';

export class KubeconfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeconfigError';
  }
}

type Fields = Record<string, unknown>;

/** `file` names the source in errors and anchors relative paths. */
export function parseKubeconfig(text: string, file: string): Kubeconfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new KubeconfigError(`kubeconfig ${file}: not valid YAML: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  // An empty file is an empty kubeconfig, as kubectl treats it.
  if (doc === null || doc === undefined) doc = {};
  const root = asFields(doc, `kubeconfig ${file}`);
  const read = new Reader(file);
  return {
    clusters: read.named(root, 'clusters', 'cluster', (f, at) => read.cluster(f, at)),
    users: read.named(root, 'users', 'user', (f, at) => read.user(f, at)),
    contexts: read.named(root, 'contexts', 'context', (f, at) => read.context(f, at)),
    currentContext: read.string(root, 'current-context', 'current-context') || undefined,
  };
}

class Reader {
  private readonly dir: string;

  constructor(private readonly file: string) {
    this.dir = dirname(resolve(file));
  }

  /** `clusters: [{name: a, cluster: {...}}, ...]` → Map a → entry. */
  named<T>(
    root: Fields,
    list: string,
    inner: string,
    read: (fields: Fields, at: string) => T,
    parent?: string,
  ): Map<string, T> {
    const entries = new Map<string, T>();
    const value = root[list];
    const where = parent === undefined ? list : `${parent}.${list}`;
    if (value === undefined || value === null) return entries;
    if (!Array.isArray(value)) throw this.error(where, 'must be a list');
    value.forEach((item: unknown, i) => {
      const at = `${where}[${i}]`;
      const fields = asFields(item, this.where(at));
      const name = this.string(fields, 'name', at);
      if (!name) throw this.error(`${at}.name`, 'is required');
      // Within one file a repeated name is a mistake; kubectl keeps the first, so do we.
      if (entries.has(name)) return;
      entries.set(name, read(asFields(fields[inner] ?? {}, this.where(`${at}.${inner}`)), at));
    });
    return entries;
  }

  cluster(f: Fields, at: string): KubeconfigCluster {
    const p = `${at}.cluster`;
    return {
      server: this.string(f, 'server', p),
      certificateAuthority: this.path(f, 'certificate-authority', p),
      certificateAuthorityData: this.string(f, 'certificate-authority-data', p),
      insecureSkipTlsVerify: this.bool(f, 'insecure-skip-tls-verify', p),
      tlsServerName: this.string(f, 'tls-server-name', p),
      extensions: this.named(f, 'extensions', 'extension', (fields) => fields, p),
    };
  }

  user(f: Fields, at: string): KubeconfigUser {
    const p = `${at}.user`;
    const plugin = ['exec', 'auth-provider'].find((key) => f[key] !== undefined && f[key] !== null);
    return {
      token: this.string(f, 'token', p),
      tokenFile: this.path(f, 'tokenFile', p),
      clientCertificate: this.path(f, 'client-certificate', p),
      clientCertificateData: this.string(f, 'client-certificate-data', p),
      clientKey: this.path(f, 'client-key', p),
      clientKeyData: this.string(f, 'client-key-data', p),
      username: this.string(f, 'username', p),
      password: this.string(f, 'password', p),
      unsupported: plugin,
    };
  }

  context(f: Fields, at: string): KubeconfigContext {
    const p = `${at}.context`;
    return {
      cluster: this.string(f, 'cluster', p),
      user: this.string(f, 'user', p),
      namespace: this.string(f, 'namespace', p),
    };
  }

  string(f: Fields, key: string, at: string): string | undefined {
    const value = f[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.error(`${at}.${key}`, 'must be a string');
    return value;
  }

  bool(f: Fields, key: string, at: string): boolean | undefined {
    const value = f[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw this.error(`${at}.${key}`, 'must be true or false');
    return value;
  }

  path(f: Fields, key: string, at: string): string | undefined {
    const value = this.string(f, key, at);
    if (!value) return undefined;
    return isAbsolute(value) ? value : resolve(this.dir, value);
  }

  private where(at: string): string {
    return `kubeconfig ${this.file}: ${at}`;
  }

  private error(at: string, problem: string): KubeconfigError {
    return new KubeconfigError(`${this.where(at)} ${problem}`);
  }
}

function asFields(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KubeconfigError(`${where} must be a mapping`);
  }
  return value as Fields;
}
