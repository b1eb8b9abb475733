// Upstream resolvers: where names outside the cluster go. By default the host's own, from
// /etc/resolv.conf, as CoreDNS's `forward . /etc/resolv.conf`.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { HostPort } from '../host-port.js';

export type Upstream = HostPort;

/** The `nameserver` lines of a resolv.conf, in order (comments and other options ignored). */
export function nameserversOf(resolvConf: string): Upstream[] {
  return resolvConf.split('\n').flatMap((line) => {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    // A link-local IPv6 nameserver carries its interface (`fe80::1%eth0`): not addressable here.
    return m?.[1] && isIP(m[1]) !== 0 ? [{ host: m[1], port: 53 }] : [];
  });
}

export async function hostUpstreams(path = '/etc/resolv.conf'): Promise<Upstream[]> {
  return nameserversOf(await readFile(path, 'utf8'));
}
