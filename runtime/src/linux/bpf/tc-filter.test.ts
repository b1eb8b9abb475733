// BPF programs on a link's ingress (root only), in two network namespaces of the test's own
// joined by a veth pair: the filter is put on the receiving end from this process, without
// entering its namespace, then checked three ways — our own dump, iproute2's `tc filter show`,
// and TCP connections from the other end that the program lets through or drops.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findExecutable, run } from '../../network/exec.js';
import {
  failIfUnavailable,
  kernelTestsUnavailable,
  skipOutsideCi,
} from '../../network/kernel-test-kit.js';
import { RtnetlinkError } from '../rtnetlink-exchange.js';
import { Assembler } from './assembler.js';
import { BPF_PROG_TYPE_SCHED_CLS, bpfAvailable, closeFd, loadProgram } from './bpf-syscall.js';
import {
  attachIngressProgram,
  detachIngressProgram,
  listIngressPrograms,
  TC_ACT_OK,
  TC_ACT_SHOT,
  type IngressFilter,
} from './tc-filter.js';

const unavailable =
  kernelTestsUnavailable() ??
  (findExecutable('tc', process.env.PATH ?? '') === undefined
    ? '`tc` is missing (Debian: apt-get install -y iproute2)'
    : undefined);

const SENDER_IP = '192.0.2.1';
const RECEIVER_IP = '192.0.2.2';
const ENODEV = 19;

const filter: IngressFilter = { priority: 0x5c1f, name: 'skiff_test' };

/** The kernel's id of the program behind `fd` (what a filter dump reports). */
function programId(fd: number): number {
  const match = /^prog_id:\s*(\d+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`fd ${fd} is not a BPF program`);
  return Number(match[1]);
}

const returning = (verdict: number, name: string): Promise<number> =>
  loadProgram({
    type: BPF_PROG_TYPE_SCHED_CLS,
    instructions: new Assembler().returnImm(verdict).assemble(),
    license: 'GPL',
    name,
  });

describe.skipIf(skipOutsideCi(unavailable, 'the tc BPF filter tests'))('tc ingress filters', () => {
  const tag = randomBytes(3).toString('hex');
  const sender = `skiff-tc-${tag}-a`;
  const receiver = `skiff-tc-${tag}-b`;
  const netnsPath = `/run/netns/${receiver}`;
  let ifindex = 0;
  const open: number[] = [];
  const program = async (verdict: number, name: string): Promise<number> => {
    const fd = await returning(verdict, name);
    open.push(fd);
    return fd;
  };

  /** What a TCP connection from the sender to a closed port on the receiver meets. */
  const connectAcross = async (): Promise<string> => {
    // A port nobody listens on answers at once with a reset when the SYN arrives. Dropped SYNs
    // (the first and its retry a second later) get nothing; two seconds leave a loaded machine
    // room to answer when nothing drops.
    const script = [
      `const s = require('node:net').connect({ host: '${RECEIVER_IP}', port: 9 });`,
      "s.setTimeout(2000, () => { console.log('no answer'); process.exit(0); });",
      "s.on('error', (e) => { console.log(e.code); process.exit(0); });",
    ].join(' ');
    return (await run('ip', ['netns', 'exec', sender, 'node', '-e', script])).trim();
  };

  const tcFilterShow = (): Promise<string> =>
    run('ip', ['netns', 'exec', receiver, 'tc', 'filter', 'show', 'dev', 'vb', 'ingress']);

  beforeAll(async () => {
    failIfUnavailable(unavailable);
    if (!(await bpfAvailable())) failIfUnavailable('koffi does not load here');
  });
  beforeEach(async () => {
    await run('ip', ['netns', 'add', sender]);
    await run('ip', ['netns', 'add', receiver]);
    await run('ip', ['-n', sender, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb']);
    await run('ip', ['-n', sender, 'link', 'set', 'vb', 'netns', receiver]);
    await run('ip', ['-n', sender, 'addr', 'add', `${SENDER_IP}/24`, 'dev', 'va']);
    await run('ip', ['-n', receiver, 'addr', 'add', `${RECEIVER_IP}/24`, 'dev', 'vb']);
    await run('ip', ['-n', sender, 'link', 'set', 'va', 'up']);
    await run('ip', ['-n', receiver, 'link', 'set', 'vb', 'up']);
    const links = JSON.parse(
      await run('ip', ['-n', receiver, '-j', 'link', 'show', 'dev', 'vb']),
    ) as { ifindex: number }[];
    ifindex = links[0]?.ifindex ?? 0;
  });
  afterEach(async () => {
    for (const fd of open.splice(0)) await closeFd(fd);
    await run('ip', ['netns', 'del', sender]);
    await run('ip', ['netns', 'del', receiver]);
  });

  it("attaches a program that the link's filter dump and `tc filter show` both list", async () => {
    // A program name past the kernel's 15 characters is cut, not refused.
    const fd = await program(TC_ACT_OK, 'pass_all_the_packets');
    expect(await listIngressPrograms(ifindex, netnsPath)).toEqual([]);
    await attachIngressProgram(ifindex, filter, fd, netnsPath);
    expect(await listIngressPrograms(ifindex, netnsPath)).toEqual([
      { priority: filter.priority, name: filter.name, programId: programId(fd) },
    ]);
    const shown = await tcFilterShow();
    expect(shown).toMatch(
      new RegExp(
        `protocol ip pref ${filter.priority} bpf .*handle 0x1 ${filter.name} direct-action .*id ${programId(fd)} name pass_all_the_pa tag `,
      ),
    );
  });

  it('swaps in another program when attached again, still one filter', async () => {
    const first = await program(TC_ACT_OK, 'first');
    const second = await program(TC_ACT_OK, 'second');
    await attachIngressProgram(ifindex, filter, first, netnsPath);
    await attachIngressProgram(ifindex, filter, second, netnsPath);
    expect(await listIngressPrograms(ifindex, netnsPath)).toEqual([
      { priority: filter.priority, name: filter.name, programId: programId(second) },
    ]);
    expect((await tcFilterShow()).match(/handle 0x1 /g)).toHaveLength(1);
  });

  it('leaves filters at other priorities alone when attaching or detaching its own', async () => {
    const other: IngressFilter = { priority: 7, name: 'someone_else' };
    const theirs = await program(TC_ACT_OK, 'theirs');
    const ours = await program(TC_ACT_OK, 'ours');
    await attachIngressProgram(ifindex, other, theirs, netnsPath);
    await attachIngressProgram(ifindex, filter, ours, netnsPath);
    expect((await listIngressPrograms(ifindex, netnsPath)).map((f) => f.name).sort()).toEqual([
      filter.name,
      other.name,
    ]);
    expect(await detachIngressProgram(ifindex, filter, netnsPath)).toBe(true);
    expect(await listIngressPrograms(ifindex, netnsPath)).toEqual([
      { priority: other.priority, name: other.name, programId: programId(theirs) },
    ]);
  });

  it("drops the link's IPv4 packets with TC_ACT_SHOT, even after the loader closed its fd, until detached", async () => {
    expect(await connectAcross()).toBe('ECONNREFUSED');
    const fd = await returning(TC_ACT_SHOT, 'drop_all');
    await attachIngressProgram(ifindex, filter, fd, netnsPath);
    // The filter holds the program now.
    await closeFd(fd);
    expect(await connectAcross()).toBe('no answer');
    expect(await detachIngressProgram(ifindex, filter, netnsPath)).toBe(true);
    expect(await connectAcross()).toBe('ECONNREFUSED');
  });

  it('detaches once: true while the filter is there, false after, and false on a link never given one', async () => {
    await attachIngressProgram(ifindex, filter, await program(TC_ACT_OK, 'once'), netnsPath);
    expect(await detachIngressProgram(ifindex, filter, netnsPath)).toBe(true);
    expect(await detachIngressProgram(ifindex, filter, netnsPath)).toBe(false);
    expect(await listIngressPrograms(ifindex, netnsPath)).toEqual([]);
    // A link without even the clsact qdisc (the kernel says EINVAL there, not ENOENT).
    const lo = JSON.parse(await run('ip', ['-n', receiver, '-j', 'link', 'show', 'dev', 'lo'])) as {
      ifindex: number;
    }[];
    expect(await detachIngressProgram(lo[0]?.ifindex ?? 0, filter, netnsPath)).toBe(false);
  });

  it.each<[string, (fd: number, missing: number) => Promise<unknown>, string]>([
    [
      'attaching',
      (fd, missing) => attachIngressProgram(missing, filter, fd, netnsPath),
      'adding a clsact qdisc to link 999999: ENODEV',
    ],
    [
      'detaching',
      (_fd, missing) => detachIngressProgram(missing, filter, netnsPath),
      `removing BPF filter ${filter.name} from link 999999: ENODEV`,
    ],
  ])('says what it was doing when %s on a link that does not exist', async (_, act, message) => {
    const fd = await program(TC_ACT_OK, 'nowhere');
    const error = await act(fd, 999999).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof Error && error.message.startsWith(message)).toBe(true);
    const cause = error instanceof Error ? error.cause : undefined;
    expect(cause).toBeInstanceOf(RtnetlinkError);
    expect(cause instanceof RtnetlinkError && cause.errno).toBe(ENODEV);
  });

  it('names the program and the link when the kernel refuses the filter (an fd that is no program)', async () => {
    await expect(attachIngressProgram(ifindex, filter, 1 << 20, netnsPath)).rejects.toThrow(
      `attaching BPF program ${filter.name} to link ${ifindex}'s ingress: EBADF`,
    );
  });

  it.each([0, 0x10000, 1.5])(
    'refuses priority %s, outside tc’s 1–65535, before changing the link',
    async (priority) => {
      const fd = await program(TC_ACT_OK, 'badprio');
      await expect(
        attachIngressProgram(ifindex, { priority, name: 'x' }, fd, netnsPath),
      ).rejects.toThrow(`invalid tc filter priority ${priority}`);
      // Not even the clsact qdisc was added.
      expect(
        await run('ip', ['netns', 'exec', receiver, 'tc', 'qdisc', 'show', 'dev', 'vb']),
      ).not.toMatch(/clsact/);
    },
  );
});
