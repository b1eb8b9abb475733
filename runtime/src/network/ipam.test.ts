import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePodCidr } from './pod-cidr.js';
import { Ipam, IpamExhaustedError } from './ipam.js';

// IPAM against real files in a temp dir: no kernel, no root.

describe('Ipam', () => {
  let dir: string;
  let file: string;
  const ipam = (cidr = '10.1.0.0/24'): Ipam => new Ipam(file, parsePodCidr(cidr));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-ipam-test-'));
    file = join(dir, 'state', 'ipam.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts after the gateway and never hands out network, gateway or broadcast', async () => {
    const small = ipam('10.1.0.0/29');
    const ips = [];
    for (let i = 0; i < 5; i++) ips.push((await small.allocate(`s${i}`)).ip);
    expect(ips).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6']);
  });

  it('gives 50 concurrent callers 50 different addresses, also across two objects on one file', async () => {
    const a = ipam();
    const b = ipam();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).allocate(`sandbox-${i}`)),
    );
    expect(new Set(results.map((r) => r.ip)).size).toBe(50);
    expect((await ipam().allocations()).size).toBe(50);
  });

  it('returns the address a sandbox already holds instead of a second one', async () => {
    const first = await ipam().allocate('web');
    const again = await ipam().allocate('web');
    expect(first.allocatedNow).toBe(true);
    expect(again).toEqual({ ip: first.ip, allocatedNow: false });
  });

  it('fails clearly when a /29 is exhausted, and allocates again after a release', async () => {
    const small = ipam('10.1.0.0/29');
    for (let i = 0; i < 5; i++) await small.allocate(`s${i}`);
    const error = await small.allocate('one-too-many').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(IpamExhaustedError);
    expect((error as Error).message).toBe(
      'no free pod IP in 10.1.0.0/29: all 5 addresses are allocated (network, gateway and ' +
        'broadcast are reserved); tear down pods or give the node a larger podCIDR',
    );
    expect(await small.release('s2')).toBe('10.1.0.4');
    expect(await small.allocate('one-too-many')).toEqual({ ip: '10.1.0.4', allocatedNow: true });
  });

  it('survives a new object (a restarted runtime) and reuses a freed address last', async () => {
    const before = ipam();
    const web = await before.allocate('web');
    const db = await before.allocate('db');
    await before.release('web');

    const after = ipam();
    expect(await after.lookup('db')).toBe(db.ip);
    expect(await after.lookup('web')).toBeUndefined();
    const next = await after.allocate('cache');
    expect(next.ip).not.toBe(web.ip);
    expect(next.ip).not.toBe(db.ip);
  });

  it('keeps only the state file in its directory: temp files are renamed or removed', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => ipam().allocate(`s${i}`)));
    expect(readdirSync(join(dir, 'state'))).toEqual(['ipam.json']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1 });
  });

  it('returns undefined when releasing a sandbox that holds nothing', async () => {
    expect(await ipam().release('never-seen')).toBeUndefined();
  });

  it.each([
    { content: '{not json', error: 'is not valid JSON' },
    { content: '{"version":2,"allocations":{}}', error: 'is malformed: unknown version 2' },
    { content: '{"version":1}', error: 'is malformed: no "allocations" object' },
    {
      content: '{"version":1,"allocations":{"a":7}}',
      error: 'is malformed: allocation of a is not a string',
    },
  ])('refuses a damaged state file ($error) instead of guessing', async ({ content, error }) => {
    await ipam().allocate('creates-the-dir');
    writeFileSync(file, content);
    await expect(ipam().allocate('x')).rejects.toThrow(`IPAM state ${file} ${error}`);
  });
});
