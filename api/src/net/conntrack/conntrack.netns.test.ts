// The conntrack tool on a real kernel, in a network namespace of the test's own: UDP sent to a
// "Service" address that nft DNATs to one of two local "endpoints" leaves entries that list()
// reads with the rewrite, and delete() removes exactly those its filter names. Needs root, `ip`,
// `nft` and `conntrack`: skipped outside CI without them, failed under CI.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conntrack, conntrackRunner, findConntrack } from './conntrack.js';

const ci = process.env.CI === 'true' || process.env.CI === '1';

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    findConntrack();
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

const why = unavailable();
if (why !== undefined && !ci) console.warn(`skipping the conntrack kernel tests: ${why}`);

const NS = `skiff-ct-${randomBytes(3).toString('hex')}`;
const SERVICE = '10.96.7.10';
const ENDPOINT_A = '10.9.0.1';
const ENDPOINT_B = '10.9.0.2';

const inNs = (...argv: string[]): string =>
  execFileSync('ip', ['netns', 'exec', NS, ...argv], { encoding: 'utf8' });

/** Sends one UDP datagram from the namespace, from `sport` to `dst:dport`. */
function sendUdp(dst: string, dport: number, sport: number): void {
  inNs(
    process.execPath,
    '-e',
    `const s=require('dgram').createSocket('udp4');s.bind(${sport},()=>s.send('x',${dport},'${dst}',()=>s.close()))`,
  );
}

/** Points the Service's UDP port 53 at `endpoint` (a fresh ruleset each time). */
function dnatTo(endpoint: string): void {
  execFileSync('ip', ['netns', 'exec', NS, 'nft', '-f', '-'], {
    input: [
      'flush ruleset',
      'table ip t {',
      '  chain out { type nat hook output priority -100; ip daddr ' +
        `${SERVICE} udp dport 53 dnat to ${endpoint}:5353; }`,
      '}',
    ].join('\n'),
  });
}

describe.skipIf(why !== undefined && !ci)('Conntrack on a real kernel', () => {
  const conntrack = new Conntrack(conntrackRunner(['ip', 'netns', 'exec', NS]));

  beforeAll(() => {
    if (why !== undefined) throw new Error(`${why}; CI must provide it`);
    execFileSync('ip', ['netns', 'add', NS]);
    inNs('ip', 'link', 'set', 'lo', 'up');
    inNs('ip', 'addr', 'add', `${ENDPOINT_A}/32`, 'dev', 'lo');
    inNs('ip', 'addr', 'add', `${ENDPOINT_B}/32`, 'dev', 'lo');
    inNs('ip', 'route', 'add', `${SERVICE}/32`, 'dev', 'lo');
  });
  afterAll(() => {
    if (why === undefined) execFileSync('ip', ['netns', 'del', NS]);
  });

  it('lists a DNATed UDP flow with the endpoint as the reply source', async () => {
    dnatTo(ENDPOINT_A);
    sendUdp(SERVICE, 53, 40001);
    const flows = await conntrack.list('udp');
    expect(flows).toContainEqual({
      protocol: 'udp',
      original: { src: expect.any(String) as string, dst: SERVICE, sport: 40001, dport: 53 },
      reply: { src: ENDPOINT_A, dst: expect.any(String) as string, sport: 5353, dport: 40001 },
    });
  });

  it('deletes only the flows its filter names, and finding none is no error', async () => {
    dnatTo(ENDPOINT_A);
    sendUdp(SERVICE, 53, 40002);
    dnatTo(ENDPOINT_B);
    sendUdp(SERVICE, 53, 40003);
    sendUdp(ENDPOINT_A, 6000, 40004);
    const sports = async (): Promise<(number | undefined)[]> =>
      (await conntrack.list('udp')).map((f) => f.original.sport);

    expect(
      await conntrack.delete({ protocol: 'udp', origDst: SERVICE, replySrc: ENDPOINT_A }),
    ).toBeGreaterThanOrEqual(1);
    expect(await sports()).not.toContain(40002);
    expect(await sports()).toEqual(expect.arrayContaining([40003, 40004]));

    expect(await conntrack.delete({ protocol: 'udp', origDstPort: 6000 })).toBe(1);
    expect(await sports()).not.toContain(40004);
    expect(await sports()).toContain(40003);

    expect(await conntrack.delete({ protocol: 'udp', origDstPort: 6000 })).toBe(0);
  });
});
