// The nftables backend keeps one nf_tables netlink socket between partial syncs; a proxy that
// stops must let go of it (a process that starts and stops proxies, like the tests or a course's
// lab, would otherwise leak one socket and one reference to the network namespace per proxy).
// The socket is counted where the kernel lists it: the namespace's /proc/net/netlink, matched
// against this process's open fds. Needs root and nft; skipped otherwise.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleContext } from '../model/context.js';
import { commandRunner } from '../proxier/command.js';
import { canBuildLab } from '../testing/netns-lab.js';
import { planOf, WEB_KEY, webService, webSlice } from '../testing/fixtures.js';
import { NftablesBackend } from './backend.js';

const NETLINK_NETFILTER = 12;
const ctx: RuleContext = { clusterCIDR: '10.244.0.0/16', nodePortAddresses: [] };

/** The socket inodes among this process's open fds. */
function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch (err) {
      // The fd readdir itself used is closed by the time it is read.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined) inodes.add(inode);
  }
  return inodes;
}

describe.skipIf(!canBuildLab())('the nftables backend closing', () => {
  const ns = `skp-close-${randomBytes(3).toString('hex')}`;
  /** This process's NETLINK_NETFILTER sockets in the namespace. */
  const ownNetfilterSockets = (): number => {
    const own = ownSocketInodes();
    const rows = execFileSync('ip', ['netns', 'exec', ns, 'cat', '/proc/net/netlink'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/));
    return rows.filter((cols) => Number(cols[1]) === NETLINK_NETFILTER && own.has(cols[9] ?? ''))
      .length;
  };

  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns]);
  });
  afterAll(() => {
    execFileSync('ip', ['netns', 'delete', ns]);
  });

  it('lets go of its netlink socket, and opens another for the next partial sync', async () => {
    const backend = new NftablesBackend(commandRunner(['ip', 'netns', 'exec', ns]), {
      netlink: { netns: ns },
    });
    const web = (ip: string) => new Map([[WEB_KEY, planOf(webService().obj(), webSlice(ip))]]);
    await backend.sync('initial', ctx, web('10.244.1.2'));
    expect(ownNetfilterSockets()).toBe(0); // full syncs go to nft

    await backend.sync('partial', ctx, web('10.244.1.3'));
    expect(ownNetfilterSockets()).toBe(1);
    await backend.close();
    expect(ownNetfilterSockets()).toBe(0);

    await backend.sync('partial', ctx, web('10.244.1.4'));
    expect(ownNetfilterSockets()).toBe(1);
    await backend.close();
    await backend.close(); // twice is harmless: a proxy's stop after a failed start
    expect(ownNetfilterSockets()).toBe(0);
  });
});
