// Which registry credentials apply to an image (Kubernetes' pkg/credentialprovider keyring).
// Each docker config entry is keyed by its registry location — a host with an optional port and
// path, scheme dropped, `/v1/` or `/v2/` meaning the host itself — and an image matches a key
// when the port is the same, the host has as many dot-separated parts and each part matches its
// glob (`*.example.com`), and the key's path is a prefix of the image's repository. Keys are
// tried most specific first (reverse-sorted, so `quay.io/team` before `quay.io`); every match's
// credentials are returned, in that order, so the puller can try each (rotation). When none
// match, an image on Docker Hub gets the `index.docker.io` credentials, as `docker login` stores
// them under `https://index.docker.io/v1/`.

/** One registry login, as a docker config entry holds it (`auth` already split). */
export interface RegistryCredential {
  readonly username: string;
  readonly password: string;
}

/** A docker config's entries by registry location. */
export type DockerConfig = ReadonlyMap<string, RegistryCredential>;

const DEFAULT_REGISTRY_HOST = 'index.docker.io';

export class DockerKeyring {
  private readonly creds = new Map<string, RegistryCredential[]>();
  private index: string[] = [];

  add(config: DockerConfig): void {
    for (const [location, credential] of config) {
      const key = keyOf(location);
      if (key === undefined) continue; // Not a URL: upstream logs it and ignores the entry.
      const list = this.creds.get(key) ?? [];
      list.push(credential);
      this.creds.set(key, list);
    }
    this.index = [...this.creds.keys()].sort().reverse();
  }

  /** The credentials for `repository` (a normalized image name without tag or digest). */
  lookup(repository: string): RegistryCredential[] {
    const found = this.index
      .filter((key) => urlsMatch(key, repository))
      .flatMap((key) => this.creds.get(key) ?? []);
    if (found.length > 0) return found;
    if (isDefaultRegistryMatch(repository)) return this.creds.get(DEFAULT_REGISTRY_HOST) ?? [];
    return [];
  }
}

/** `https://host:port/v1/path` → `host:port/path`; undefined when it is no URL at all. */
function keyOf(location: string): string | undefined {
  const withScheme = /^https?:\/\//.test(location) ? location : `https://${location}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch (err) {
    if (err instanceof TypeError) return undefined; // Not a URL.
    throw err;
  }
  let path = decodeURIComponent(parsed.pathname);
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return path !== '' && path !== '/' ? `${hostOf(withScheme)}${path}` : hostOf(withScheme);
}

/**
 * The host[:port] exactly as written: WHATWG URL would drop a default port (`:443`) and
 * lowercase or punycode the name, where Go's url.Parse keeps what was written.
 */
function hostOf(url: string): string {
  const afterScheme = url.slice(url.indexOf('//') + 2);
  const end = afterScheme.search(/[/?#]/);
  const authority = end < 0 ? afterScheme : afterScheme.slice(0, end);
  return authority.slice(authority.lastIndexOf('@') + 1);
}

function splitHostPort(location: string): { parts: string[]; port: string; path: string } {
  const slash = location.indexOf('/');
  const hostPort = slash < 0 ? location : location.slice(0, slash);
  const path = slash < 0 ? '' : location.slice(slash);
  const colon = hostPort.lastIndexOf(':');
  // A port only after the last colon of a host:port (IPv6 literals come bracketed).
  const hasPort = colon >= 0 && /^\d*$/.test(hostPort.slice(colon + 1)) && !hostPort.endsWith(']');
  const host = hasPort ? hostPort.slice(0, colon) : hostPort;
  return { parts: host.split('.'), port: hasPort ? hostPort.slice(colon + 1) : '', path };
}

/** Whether `target` falls under the keyring key `glob` (wildcards in host parts only). */
export function urlsMatch(glob: string, target: string): boolean {
  const g = splitHostPort(glob);
  const t = splitHostPort(target);
  if (g.port !== t.port || g.parts.length !== t.parts.length) return false;
  if (!t.path.startsWith(g.path)) return false;
  return g.parts.every((part, i) => globMatch(part, t.parts[i] ?? ''));
}

/** Go's filepath.Match within one host label: `*`, `?` and `[…]` classes. */
function globMatch(pattern: string, name: string): boolean {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) return false; // A malformed pattern matches nothing, as upstream's error.
      const body = pattern.slice(i + 1, close);
      source += `[${body.startsWith('^') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${source}$`).test(name);
}

/** Whether the image is pulled from Docker Hub, going by its name. */
function isDefaultRegistryMatch(image: string): boolean {
  const slash = image.indexOf('/');
  const first = slash < 0 ? image : image.slice(0, slash);
  if (first === '') return false;
  if (slash < 0) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  // A first component with a dot or a port names a registry, else it is a Hub user or org.
  return !/[.:]/.test(first);
}
