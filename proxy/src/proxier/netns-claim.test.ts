import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimNetns, NetnsClaimedError, netnsFile } from './netns-claim.js';

const root = process.getuid?.() === 0;

describe('claimNetns', () => {
  // A file of the test's own stands in for a namespace's file (the claim is named after its
  // inode), so a proxy running on this host meanwhile cannot disturb these cases.
  const dir = mkdtempSync(join(tmpdir(), 'skiff-netns-claim-'));
  const namespace = join(dir, 'net');
  writeFileSync(namespace, '');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second proxy in the same namespace, naming the first', async () => {
    const first = await claimNetns(namespace, 'pid 41: skiff up --state-dir=/a');
    try {
      const second = claimNetns(namespace, 'pid 42: skiff up --state-dir=/b');
      await expect(second).rejects.toThrow(NetnsClaimedError);
      await expect(second).rejects.toThrow(
        /^another proxy already programs the Service rules of network namespace \S+ \(inode \d+\): pid 41: skiff up --state-dir=\/a\. Two would erase each other's rules at every sync; stop it first$/,
      );
    } finally {
      await first.release();
    }
  });

  it('gives the namespace to the next proxy once the first has released it', async () => {
    const first = await claimNetns(namespace, 'first');
    await first.release();
    const next = await claimNetns(namespace, 'next');
    await next.release();
  });

  it('fails on a namespace that does not exist, without claiming anything', async () => {
    await expect(claimNetns(netnsFile('skiff-no-such-netns'), 'x')).rejects.toThrow(/ENOENT/);
  });

  it.skipIf(!root)(
    'claims a namespace under /run/netns by its own identity, apart from any other',
    async () => {
      const ns = `skp-claim-${randomBytes(3).toString('hex')}`;
      execFileSync('ip', ['netns', 'add', ns]);
      try {
        const first = await claimNetns(namespace, 'first');
        const other = await claimNetns(netnsFile(ns), 'other');
        await expect(claimNetns(netnsFile(ns), 'again')).rejects.toThrow(/: other\. Two would/);
        await Promise.all([first.release(), other.release()]);
      } finally {
        execFileSync('ip', ['netns', 'delete', ns]);
      }
    },
  );
});
