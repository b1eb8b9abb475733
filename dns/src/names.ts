// Domain names and IP addresses as the Kubernetes DNS schema spells them: names compared
// case-insensitively without the root dot, pod and endpoint IPs written with dashes
// (`10-1-2-3`), and the reverse names PTR queries ask for (`3.2.1.10.in-addr.arpa`).
import { isIPv4, isIPv6 } from 'node:net';

/** The form names are looked up in: lower case, no trailing root dot. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** `10.1.2.3` → `10-1-2-3`, `fd00::1` → `fd00--1`: an IP as one DNS label. */
export function dashedIP(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

/** The IP a dashed label spells (`10-1-2-3` → `10.1.2.3`), or undefined if it spells none. */
export function ipFromDashed(label: string): string | undefined {
  const v4 = label.replace(/-/g, '.');
  if (isIPv4(v4)) return v4;
  const v6 = label.replace(/-/g, ':');
  return isIPv6(v6) ? v6 : undefined;
}

export type Family = 'IPv4' | 'IPv6';

export function familyOf(ip: string): Family | undefined {
  if (isIPv4(ip)) return 'IPv4';
  return isIPv6(ip) ? 'IPv6' : undefined;
}

export const REVERSE_ZONES = ['in-addr.arpa', 'ip6.arpa'] as const;

/** `10.1.2.3` → `3.2.1.10.in-addr.arpa`; IPv6 → its 32 nibbles under `ip6.arpa`. */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${expandIPv6(ip).split('').reverse().join('.')}.ip6.arpa`;
}

/**
 * The address a full reverse name stands for, in the form `net` writes it (`10.1.2.3`,
 * `fd00::1`), or undefined for anything shorter or malformed (a classless delegation label,
 * a partial zone): those are not one address.
 */
export function ipFromReverseName(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const octets = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9]\d{0,2})$/.test(o))) return undefined;
    const ip = octets.reverse().join('.');
    return isIPv4(ip) ? ip : undefined;
  }
  if (name.endsWith('.ip6.arpa')) {
    const nibbles = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((n) => /^[0-9a-f]$/.test(n))) return undefined;
    const hex = nibbles.reverse().join('');
    const groups = hex.match(/.{4}/g) ?? [];
    return compressIPv6(groups.join(':'));
  }
  return undefined;
}

/** One address in one spelling, so `fd00:0::1` and `fd00::1` meet in the same map key. */
export function normalizeIP(ip: string): string {
  return isIPv6(ip) ? compressIPv6(expandIPv6Groups(ip).join(':')) : ip;
}

function expandIPv6(ip: string): string {
  return expandIPv6Groups(ip)
    .map((g) => g.padStart(4, '0'))
    .join('');
}

function expandIPv6Groups(ip: string): string[] {
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) is two more groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  let text = ip.toLowerCase();
  if (v4?.[1]) {
    const o = v4[1].split('.').map(Number);
    const hi = (((o[0] ?? 0) << 8) | (o[1] ?? 0)).toString(16);
    const lo = (((o[2] ?? 0) << 8) | (o[3] ?? 0)).toString(16);
    text = `${text.slice(0, -v4[1].length)}${hi}:${lo}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

/** RFC 5952's canonical text: the longest run (≥ 2) of zero groups becomes `::`. */
function compressIPv6(full: string): string {
  const groups = full.split(':').map((g) => g.replace(/^0+(?=.)/, ''));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  if (best.length < 2) return groups.join(':');
  const left = groups.slice(0, best.start).join(':');
  const right = groups.slice(best.start + best.length).join(':');
  return `${left}::${right}`;
}
