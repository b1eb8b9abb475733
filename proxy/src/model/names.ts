// Chain and set names. Each carries a hash of what it is for, so names never collide and a
// changed Service port or endpoint gets a fresh chain; nftables names also carry the readable
// service-port key (nft allows 256 characters), iptables names only the hash (28 characters).
import { createHash } from 'node:crypto';
import { endpointKey, type EndpointInfo } from './endpoint.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Names are asked for again and again (every sync of a Service names its chains anew), and a
// sha256 costs microseconds: 10,000 endpoints take most of a full sync's rule generation.
// Remembered, and forgotten wholesale when the cache grows past what a big cluster needs.
const cache = new Map<string, string>();
const CACHE_LIMIT = 200_000;

/** The first `length` RFC 4648 base32 characters of sha256(text). */
export function hashName(text: string, length: number): string {
  const id = `${length}:${text}`;
  const known = cache.get(id);
  if (known !== undefined) return known;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const name = computeHashName(text, length);
  cache.set(id, name);
  return name;
}

function computeHashName(text: string, length: number): string {
  const bytes = createHash('sha256').update(text).digest();
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  return out;
}

const endpointId = (svcKey: string, endpoint: EndpointInfo): string =>
  `${svcKey}__${endpointKey(endpoint)}`;

/** nftables: `service-ULMVA6XW-ns1/svc1/tcp/p80`, Kubernetes' nftables naming. */
export const nftNames = {
  cluster: (key: string) => `service-${hashName(key, 8)}-${key}`,
  local: (key: string) => `local-${hashName(key, 8)}-${key}`,
  external: (key: string) => `external-${hashName(key, 8)}-${key}`,
  endpoint: (key: string, e: EndpointInfo) =>
    `endpoint-${hashName(endpointId(key, e), 8)}-${endpointId(key, e)}`,
  affinity: (key: string, e: EndpointInfo) =>
    `affinity-${hashName(endpointId(key, e), 8)}-${endpointId(key, e)}`,
};

/** iptables: `KUBE-SVC-<16 base32>`, Kubernetes' iptables naming. */
export const iptablesNames = {
  cluster: (key: string) => `KUBE-SVC-${hashName(key, 16)}`,
  local: (key: string) => `KUBE-SVL-${hashName(key, 16)}`,
  external: (key: string) => `KUBE-EXT-${hashName(key, 16)}`,
  endpoint: (key: string, e: EndpointInfo) => `KUBE-SEP-${hashName(endpointId(key, e), 16)}`,
};
