// bpf(2) against the real kernel (root only): programs assembled here are loaded, refused by the
// verifier, run on packets with BPF_PROG_TEST_RUN, count into a map and are pinned in a BPF
// filesystem — each test closing what it opened, the pins in a directory of the file's own.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failIfUnavailable, skipOutsideCi } from '../../network/kernel-test-kit.js';
import { Assembler, FP } from './assembler.js';
import {
  BPF_PROG_TYPE_SCHED_CLS,
  bpfAvailable,
  closeFd,
  createCounterMap,
  loadProgram,
  openPinned,
  pinObject,
  readCounter,
  testRunProgram,
} from './bpf-syscall.js';
import { TC_ACT_REDIRECT, TC_ACT_SHOT, TC_ACT_UNSPEC } from './tc-filter.js';

const notRoot =
  process.getuid?.() === 0 ? undefined : 'bpf(2) tests load programs: run them as root';

const BPF_FS = '/sys/fs/bpf';
const BPF_FUNC_MAP_LOOKUP_ELEM = 1;
/** struct __sk_buff: mark, data and data_end (include/uapi/linux/bpf.h). */
const SKB_MARK = 8;
const SKB_DATA = 76;
const SKB_DATA_END = 80;

/** An Ethernet frame carrying a (nonsense) IPv4 header and a few payload bytes. */
const packet = Buffer.concat([
  Buffer.from('02000000000102000000000208004500', 'hex'),
  Buffer.alloc(40, 0x5a),
]);

const load = (name: string, code: Assembler): Promise<number> =>
  loadProgram({
    type: BPF_PROG_TYPE_SCHED_CLS,
    instructions: code.assemble(),
    license: 'GPL',
    name,
  });

describe.skipIf(skipOutsideCi(notRoot, 'the bpf(2) tests'))('bpf(2)', () => {
  const open: number[] = [];
  const keep = (fd: number): number => {
    open.push(fd);
    return fd;
  };

  beforeAll(async () => {
    failIfUnavailable(notRoot);
    if (!(await bpfAvailable())) failIfUnavailable('koffi does not load here');
  });
  afterEach(async () => {
    for (const fd of open.splice(0)) await closeFd(fd);
  });

  it('loads a program that returns 7, and a test run gets 7 and the packet back unchanged', async () => {
    const fd = keep(await load('seven', new Assembler().returnImm(7)));
    const run = await testRunProgram(fd, packet);
    expect(run.result).toBe(7);
    expect(run.packet.equals(packet)).toBe(true);
  });

  it.each([
    ['TC_ACT_UNSPEC', TC_ACT_UNSPEC],
    ['TC_ACT_SHOT', TC_ACT_SHOT],
    ['TC_ACT_REDIRECT', TC_ACT_REDIRECT],
  ])('reports a verdict of %s as the constant tc-filter exports', async (_, verdict) => {
    const fd = keep(await load('verdict', new Assembler().returnImm(verdict)));
    expect((await testRunProgram(fd, packet)).result).toBe(verdict);
  });

  it('hands the program the context given (the mark of its __sk_buff)', async () => {
    const fd = keep(await load('mark', new Assembler().load(4, 0, 1, SKB_MARK).exit()));
    const context = Buffer.alloc(SKB_MARK + 4);
    context.writeUInt32LE(42, SKB_MARK);
    expect((await testRunProgram(fd, packet, context)).result).toBe(42);
    expect((await testRunProgram(fd, packet)).result).toBe(0);
  });

  it('returns the packet as the program changed it', async () => {
    // Overwrites the first byte of the destination MAC, after the bounds check the verifier wants.
    const code = new Assembler()
      .load(4, 2, 1, SKB_DATA)
      .load(4, 3, 1, SKB_DATA_END)
      .mov(4, 2)
      .aluImm('add', 4, 14)
      .jump('gt', 4, 3, 'out')
      .storeImm(1, 2, 0, 0xff)
      .label('out')
      .returnImm(0);
    const fd = keep(await load('rewrite', code));
    const run = await testRunProgram(fd, packet);
    expect(run.packet.length).toBe(packet.length);
    expect(run.packet[0]).toBe(0xff);
    expect(run.packet.subarray(1).equals(packet.subarray(1))).toBe(true);
  });

  it.each<[string, Assembler, string, RegExp]>([
    ['an exit that never set r0', new Assembler().exit(), 'EACCES', /\(95\) exit\nR0 !read_ok/],
    [
      'a read of an uninitialised register',
      new Assembler().mov(0, 5).exit(),
      'EACCES',
      /r0 = r5\nR5 !read_ok/,
    ],
    [
      'a jump past the end',
      new Assembler().jumpImm('eq', 1, 0, 'end').returnImm(0).label('end'),
      'EINVAL',
      /jump out of range from insn 0 to 3/,
    ],
  ])(
    'refuses %s, naming the program and quoting the verifier',
    async (_, code, errno, verifier) => {
      const error = await load('refused', code).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(Error);
      const message = error instanceof Error ? error.message : '';
      expect(message.startsWith(`loading BPF program refused: ${errno} `)).toBe(true);
      expect(message).toMatch(verifier);
    },
  );

  it('refuses a name the kernel would refuse with a bare EINVAL, saying what it takes', async () => {
    await expect(load('to-nodes', new Assembler().returnImm(0))).rejects.toThrow(
      'BPF program name to-nodes: only letters, digits, _ and . are allowed',
    );
    await expect(createCounterMap('my map', 1)).rejects.toThrow('BPF map name my map: only');
  });

  it('counts into a per-CPU map: N test runs add N to the entry the program looks up', async () => {
    const map = keep(await createCounterMap('runs', 2));
    const code = new Assembler()
      .storeImm(4, FP, -4, 0)
      .mov(2, FP)
      .aluImm('add', 2, -4)
      .loadMap(1, map)
      .call(BPF_FUNC_MAP_LOOKUP_ELEM)
      .jumpImm('eq', 0, 0, 'out')
      .load(8, 1, 0, 0)
      .aluImm('add', 1, 1)
      .store(8, 0, 0, 1)
      .label('out')
      .returnImm(0);
    const fd = keep(await load('count', code));
    expect(await readCounter(map, 0)).toBe(0n);
    for (let i = 0; i < 5; i++) expect((await testRunProgram(fd, packet)).result).toBe(0);
    expect(await readCounter(map, 0)).toBe(5n);
    expect(await readCounter(map, 1)).toBe(0n);
    await expect(readCounter(map, 2)).rejects.toThrow(/^reading BPF map entry 2: ENOENT/);
  });

  it('says which fd when closing one that is not open', async () => {
    await expect(closeFd(1 << 20)).rejects.toThrow(/^closing fd 1048576: EBADF/);
  });

  describe('pins', () => {
    let dir = '';
    beforeAll(async () => {
      await ensureBpfFs();
      dir = await mkdtemp(join(BPF_FS, 'skiff-test-'));
    });
    afterAll(async () => {
      if (dir !== '') await rm(dir, { recursive: true, force: true });
    });

    it('pins a program that outlives its fd, and openPinned gives a working fd for it', async () => {
      const path = join(dir, 'seven');
      const fd = await load('pinned', new Assembler().returnImm(7));
      try {
        await pinObject(fd, path);
      } finally {
        await closeFd(fd);
      }
      const again = await openPinned(path);
      expect(again).toBeTypeOf('number');
      if (again === undefined) return;
      keep(again);
      expect((await testRunProgram(again, packet)).result).toBe(7);
    });

    it('refuses to pin over an existing pin, naming the path', async () => {
      const path = join(dir, 'twice');
      const fd = keep(await load('twice', new Assembler().returnImm(0)));
      await pinObject(fd, path);
      await expect(pinObject(fd, path)).rejects.toThrow(`pinning BPF object at ${path}: EEXIST`);
    });

    it('opens nothing where nothing is pinned', async () => {
      expect(await openPinned(join(dir, 'missing'))).toBeUndefined();
    });

    it('says which path when it is not a BPF object', async () => {
      const scratch = await mkdtemp(join(tmpdir(), 'skiff-bpf-'));
      try {
        const path = join(scratch, 'plain-file');
        await writeFile(path, 'not a pin');
        await expect(openPinned(path)).rejects.toThrow(
          `opening the BPF object pinned at ${path}: `,
        );
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    });
  });
});

/** Mounts a BPF filesystem at /sys/fs/bpf when there is none (systemd usually has). */
async function ensureBpfFs(): Promise<void> {
  const { stdout } = await promisify(execFile)('findmnt', ['-n', '-o', 'FSTYPE', BPF_FS]).catch(
    (err: unknown) => {
      // findmnt exits 1 when nothing is mounted there.
      if ((err as { code?: unknown }).code === 1) return { stdout: '' };
      throw err;
    },
  );
  if (stdout.trim() !== 'bpf') await promisify(execFile)('mount', ['-t', 'bpf', 'bpf', BPF_FS]);
}
