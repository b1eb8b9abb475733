// rtnetlink against the real kernel (root only): a network namespace of the test's own with a
// veth pair in it, read and changed from this process without entering it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readlink } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listLinkSizes, rtnetlinkAvailable, setLinkIpv4GsoGroMaxSize } from './rtnetlink.js';

const asRoot = process.getuid?.() === 0;
const ip = (args: readonly string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

describe.skipIf(!asRoot)('rtnetlink link sizes', () => {
  let ns = '';
  let path = '';
  beforeEach(() => {
    ns = `skiff-rtnl-${randomBytes(3).toString('hex')}`;
    path = `/run/netns/${ns}`;
    ip(['netns', 'add', ns]);
    ip(['-n', ns, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb']);
    ip(['-n', ns, 'link', 'set', 'va', 'alias', 'an alias', 'up']);
  });
  afterEach(() => {
    ip(['netns', 'del', ns]);
  });

  it('can run here (koffi loads on this platform)', async () => {
    expect(await rtnetlinkAvailable()).toBe(true);
  });

  it("lists a namespace's links with their flags, kind, alias and the kernel's default 64 KiB", async () => {
    const links = await listLinkSizes(path);
    expect(links.map((l) => l.name).sort()).toEqual(['lo', 'va', 'vb']);
    const va = links.find((l) => l.name === 'va');
    expect(va).toMatchObject({ up: true, loopback: false, kind: 'veth', alias: 'an alias' });
    expect(va?.gsoIpv4MaxSize).toBe(65536);
    expect(va?.groIpv4MaxSize).toBe(65536);
    expect(links.find((l) => l.name === 'lo')).toMatchObject({ loopback: true, kind: undefined });
  });

  it('sets the IPv4 GSO and GRO sizes of one link, and this thread stays in its own namespace', async () => {
    const own = await readlink('/proc/thread-self/ns/net');
    await setLinkIpv4GsoGroMaxSize('vb', 185000, path);
    expect(await readlink('/proc/thread-self/ns/net')).toBe(own);
    const links = await listLinkSizes(path);
    expect(links.find((l) => l.name === 'vb')).toMatchObject({
      gsoIpv4MaxSize: 185000,
      groIpv4MaxSize: 185000,
    });
    expect(links.find((l) => l.name === 'va')?.gsoIpv4MaxSize).toBe(65536);
    // This process's own namespace was not the one read or changed.
    expect(
      (await listLinkSizes()).some((l) => l.name === 'vb' && l.gsoIpv4MaxSize === 185000),
    ).toBe(false);
  });

  it("says which link and why when the kernel refuses (a size beyond the device's TSO limit, a missing link)", async () => {
    await expect(setLinkIpv4GsoGroMaxSize('vb', 1 << 30, path)).rejects.toThrow(
      /setting the IPv4 GSO\/GRO size of vb to 1073741824: EINVAL/,
    );
    await expect(setLinkIpv4GsoGroMaxSize('nothere', 185000, path)).rejects.toThrow(
      /of nothere .*ENODEV/,
    );
  });
});
