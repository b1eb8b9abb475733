// Image references, parsed and normalized the way Docker does it, so `busybox`, `library/busybox`
// and `docker.io/library/busybox:latest` all name one image and a pod spec written for Docker or
// containerd means the same thing here.
//
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [ domain "/" ] path-component { "/" path-component }
//   domain    := host [ ":" port ]          (host: DNS name, IPv4, or [IPv6])
//
// The first component is a domain only if it contains "." or ":" or is "localhost"; otherwise the
// image is on Docker Hub, and a single-component Hub name lives under "library/".
import { parseDigest, type Digest } from './digest.js';
import { ImageError, messageOf } from './errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DOMAIN_NAME_RE =
  /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
const IPV6_RE = /^\[[a-fA-F0-9:.]+\]$/;
const PORT_RE = /^[0-9]+$/;
const IMAGE_ID_RE = /^[a-f0-9]{64}$/;

/** A normalized reference: always a domain; a tag, a digest, or both. */
export interface ImageReference {
  /** Registry host and optional port, e.g. `docker.io`, `localhost:5000`, `[::1]:5000`. */
  readonly domain: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

/**
 * Parses and normalizes `input`. A reference with neither tag nor digest gets `:latest`, as
 * `docker pull busybox` does. Throws ImageError('InvalidArgument') saying what is wrong.
 */
export function parseReference(input: string): ImageReference {
  const fail = (why: string): never => {
    throw new ImageError(
      'InvalidArgument',
      `invalid image reference ${JSON.stringify(input)}: ${why}`,
    );
  };
  if (input === '') fail('it is empty');
  if (IMAGE_ID_RE.test(input)) {
    fail('a 64-character hex string is an image ID, not a repository name');
  }

  let rest = input;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    try {
      digest = parseDigest(rest.slice(at + 1));
    } catch (err) {
      fail(messageOf(err));
    }
    rest = rest.slice(0, at);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) {
      fail(`tag ${JSON.stringify(tag)} must be 1-128 of [A-Za-z0-9_.-] and not start with . or -`);
    }
  }
  if (rest === '') fail('the repository name is empty');

  let { domain, path } = splitDomain(rest);
  if (domain !== undefined) checkDomain(domain, fail);
  domain ??= DEFAULT_DOMAIN;
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;

  for (const component of path.split('/')) {
    if (component === '') fail('the repository path has an empty component');
    if (component !== component.toLowerCase()) fail('repository name must be lowercase');
    if (!PATH_COMPONENT_RE.test(component)) {
      fail(
        `path component ${JSON.stringify(component)} must be lowercase letters and digits ` +
          'separated by ".", "_", "__" or dashes',
      );
    }
  }
  if (domain.length + 1 + path.length > MAX_NAME_LENGTH) {
    fail(`the name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  if (tag === undefined && digest === undefined) tag = DEFAULT_TAG;
  return {
    domain,
    path,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
  };
}

/** `domain/path`, the repository the reference names. */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The normalized text form: `domain/path[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  let text = repositoryOf(ref);
  if (ref.tag !== undefined) text += `:${ref.tag}`;
  if (ref.digest !== undefined) text += `@${ref.digest}`;
  return text;
}

/** `domain/path:tag`, or undefined for a digest-only reference. */
export function taggedName(ref: ImageReference): string | undefined {
  return ref.tag === undefined ? undefined : `${repositoryOf(ref)}:${ref.tag}`;
}

function splitDomain(name: string): { domain: string | undefined; path: string } {
  const slash = name.indexOf('/');
  if (slash < 0) return { domain: undefined, path: name };
  const first = name.slice(0, slash);
  // Docker's rule: a first component is a host only if it could not be a Hub user name.
  const looksLikeHost =
    first.includes('.') ||
    first.includes(':') ||
    first === 'localhost' ||
    first !== first.toLowerCase();
  return looksLikeHost
    ? { domain: first, path: name.slice(slash + 1) }
    : { domain: undefined, path: name };
}

function checkDomain(domain: string, fail: (why: string) => never): void {
  let host = domain;
  const portColon = domain.startsWith('[')
    ? domain.indexOf(':', domain.indexOf(']'))
    : domain.indexOf(':');
  if (portColon >= 0) {
    host = domain.slice(0, portColon);
    const port = domain.slice(portColon + 1);
    if (!PORT_RE.test(port) || Number(port) > 65535)
      fail(`port ${JSON.stringify(port)} is not a port number`);
  }
  if (!DOMAIN_NAME_RE.test(host) && !IPV6_RE.test(host)) {
    fail(`registry host ${JSON.stringify(host)} is not a valid host name`);
  }
}
