// Real namespaces (root only): pinned by this process, inspected with util-linux's nsenter.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMountPoint } from './mountinfo.js';
import {
  canPinNamespaces,
  pinNamespaces,
  readNetDevIn,
  unpinNamespaces,
  type PinnedNamespaces,
} from './namespace-pins.js';

const asRoot = process.getuid?.() === 0;

function nsenter(args: readonly string[]): string {
  return execFileSync('nsenter', args, { encoding: 'utf8' }).trim();
}

describe.skipIf(!asRoot)('pinned pod namespaces', () => {
  let dir = '';
  let pins: PinnedNamespaces = {};
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-pins-'));
    pins = {};
  });
  afterEach(async () => {
    await unpinNamespaces(pins);
    await rm(dir, { recursive: true, force: true });
  });

  it('can be made here (koffi loads on this platform)', async () => {
    expect(await canPinNamespaces()).toBe(true);
  });

  it('makes new IPC and UTS namespaces with the hostname and sysctls, and leaves this thread in its own', async () => {
    const ownUts = await readlink('/proc/thread-self/ns/uts');
    const ownIpc = await readlink('/proc/thread-self/ns/ipc');
    pins = await pinNamespaces({
      dir,
      ipc: true,
      hostname: 'pinned-pod',
      netnsPath: undefined,
      sysctls: { 'kernel.shmmni': '2048', 'kernel.domainname': 'pods.example' },
    });
    expect(pins).toEqual({ ipc: join(dir, 'ipc'), uts: join(dir, 'uts') });
    expect(await isMountPoint(join(dir, 'uts'))).toBe(true);
    expect(nsenter([`--uts=${join(dir, 'uts')}`, 'hostname'])).toBe('pinned-pod');
    expect(nsenter([`--uts=${join(dir, 'uts')}`, 'cat', '/proc/sys/kernel/domainname'])).toBe(
      'pods.example',
    );
    expect(nsenter([`--ipc=${join(dir, 'ipc')}`, 'cat', '/proc/sys/kernel/shmmni'])).toBe('2048');
    // This process is where it was.
    expect(await readlink('/proc/thread-self/ns/uts')).toBe(ownUts);
    expect(await readlink('/proc/thread-self/ns/ipc')).toBe(ownIpc);
    expect(hostname()).not.toBe('pinned-pod');
  });

  it('pins only what is asked: no UTS namespace without a hostname', async () => {
    pins = await pinNamespaces({
      dir,
      ipc: true,
      hostname: undefined,
      netnsPath: undefined,
      sysctls: {},
    });
    expect(pins).toEqual({ ipc: join(dir, 'ipc') });
    expect(await isMountPoint(join(dir, 'uts'))).toBe(false);
  });

  it('sets net.* sysctls in the pod network namespace and reads its interfaces', async () => {
    const ns = `skiff-pins-${process.pid}`;
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      pins = await pinNamespaces({
        dir,
        ipc: false,
        hostname: 'net-pod',
        netnsPath: `/run/netns/${ns}`,
        sysctls: { 'net.ipv4.ip_unprivileged_port_start': '80' },
      });
      expect(
        execFileSync(
          'ip',
          ['netns', 'exec', ns, 'cat', '/proc/sys/net/ipv4/ip_unprivileged_port_start'],
          { encoding: 'utf8' },
        ).trim(),
      ).toBe('80');
      const netDev = await readNetDevIn(`/run/netns/${ns}`);
      expect(netDev).toMatch(/^\s*lo:/m);
      expect(netDev).not.toMatch(/^\s*eth0:/m);
    } finally {
      execFileSync('ip', ['netns', 'delete', ns]);
    }
  });

  it('refuses an unknown sysctl, naming it, and leaves nothing pinned', async () => {
    await expect(
      pinNamespaces({
        dir,
        ipc: true,
        hostname: 'bad',
        netnsPath: undefined,
        sysctls: { 'kernel.shm_no_such': '1' },
      }),
    ).rejects.toThrow(/kernel\.shm_no_such/);
    expect(await isMountPoint(join(dir, 'ipc'))).toBe(false);
    expect(await isMountPoint(join(dir, 'uts'))).toBe(false);
  });

  it('unpins, and unpinning again is harmless', async () => {
    pins = await pinNamespaces({
      dir,
      ipc: true,
      hostname: 'x',
      netnsPath: undefined,
      sysctls: {},
    });
    await unpinNamespaces(pins);
    expect(await isMountPoint(join(dir, 'ipc'))).toBe(false);
    await unpinNamespaces(pins);
  });
});
