// Where a registry lives and whether it is spoken to over TLS. As Docker does: HTTPS always,
// except for registries on the loopback interface and those the operator lists as insecure,
// which get plain HTTP. Docker Hub's API is served from registry-1.docker.io.
import { isIP } from 'node:net';
import { DEFAULT_DOMAIN } from '../reference.js';

const DOCKER_HUB_API = 'registry-1.docker.io';

export interface RegistryEndpoint {
  /** e.g. `https://registry-1.docker.io`, `http://127.0.0.1:5000` (no trailing slash). */
  readonly baseUrl: string;
  readonly insecure: boolean;
}

/**
 * `insecureRegistries` holds `host[:port]` entries (a bare host matches every port), as in
 * Docker's `insecure-registries` setting, minus CIDR ranges.
 */
export function registryEndpoint(
  domain: string,
  insecureRegistries: readonly string[] = [],
): RegistryEndpoint {
  const host = domain === DEFAULT_DOMAIN ? DOCKER_HUB_API : domain;
  const hostname = hostOf(host);
  const insecure =
    isLoopback(hostname) ||
    insecureRegistries.some((entry) => entry === host || entry === hostname);
  return { baseUrl: `${insecure ? 'http' : 'https'}://${host}`, insecure };
}

/** The host without port or IPv6 brackets. */
function hostOf(domain: string): string {
  if (domain.startsWith('[')) return domain.slice(1, domain.indexOf(']'));
  const colon = domain.lastIndexOf(':');
  return colon < 0 ? domain : domain.slice(0, colon);
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (isIP(hostname) === 4) return hostname.startsWith('127.');
  if (isIP(hostname) === 6) return hostname === '::1' || hostname === '0:0:0:0:0:0:0:1';
  return false;
}
