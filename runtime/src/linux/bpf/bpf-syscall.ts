// bpf(2) through koffi: the handful of commands skiff uses — load a program (with the
// verifier's log when it refuses), pin it in the BPF filesystem and open it again by path, create
// an array map and read it, and run a program once on a packet (BPF_PROG_TEST_RUN, which is how
// the programs' tests feed them packets without a network). Each command takes a `union bpf_attr`
// laid out by include/uapi/linux/bpf.h; pointers in it are the addresses of Buffers that stay
// referenced for the call.
import { readFileSync } from 'node:fs';
import type { Libc } from '../libc.js';
import { describeErrno, libcCalls } from '../libc.js';

const SYS_BPF_X86_64 = 321;
const SYS_BPF_ARM64 = 280;

const BPF_MAP_CREATE = 0;
const BPF_MAP_LOOKUP_ELEM = 1;
const BPF_PROG_LOAD = 5;
const BPF_OBJ_PIN = 6;
const BPF_OBJ_GET = 7;
const BPF_PROG_TEST_RUN = 10;

export const BPF_PROG_TYPE_SCHED_CLS = 3;
export const BPF_MAP_TYPE_PERCPU_ARRAY = 6;

/** Large enough for every layout used here; the kernel checks that bytes it does not know are 0. */
const ATTR_SIZE = 160;
const VERIFIER_LOG_SIZE = 1 << 20;

interface Calls {
  readonly bpf: (cmd: number, attr: Buffer) => number;
  readonly close: (fd: number) => number;
  readonly address: (buffer: Buffer) => bigint;
  readonly errno: () => number;
}

const loadCalls = libcCalls('BPF programs cannot be loaded', (c: Libc): Calls => {
  const syscall = c.lib.func('long syscall(long number, ...)');
  const close = c.lib.func('int close(int fd)');
  const number = process.arch === 'arm64' ? SYS_BPF_ARM64 : SYS_BPF_X86_64;
  return {
    bpf: (cmd, attr) => Number(syscall(number, 'int', cmd, 'void *', attr, 'uint', attr.length)),
    close: (fd) => Number(close(fd)),
    address: c.address,
    errno: c.errno,
  };
});

async function calls(): Promise<Calls> {
  const c = await loadCalls();
  if (c === null) throw new Error('bpf(2) needs koffi, which cannot load here');
  return c;
}

/** Whether bpf(2) can be called from here at all (koffi loads). */
export async function bpfAvailable(): Promise<boolean> {
  return (await loadCalls()) !== null;
}

export interface ProgramSpec {
  readonly type: number;
  /** Assembled instructions (assembler.ts). */
  readonly instructions: Buffer;
  /** What the kernel is told; kernel functions (kfuncs) are only for GPL-compatible programs. */
  readonly license: string;
  /** Shown by `bpftool prog` and in the verifier's messages (15 characters at most). */
  readonly name: string;
}

/** Loads a program; its file descriptor, or an error carrying the verifier's log. */
export async function loadProgram(spec: ProgramSpec): Promise<number> {
  const c = await calls();
  const license = Buffer.from(`${spec.license}\0`);
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(spec.type, 0);
  attr.writeUInt32LE(spec.instructions.length / 8, 4);
  attr.writeBigUInt64LE(c.address(spec.instructions), 8);
  attr.writeBigUInt64LE(c.address(license), 16);
  attr.write(objectName('program', spec.name), 48, 'latin1');
  const fd = c.bpf(BPF_PROG_LOAD, attr);
  if (fd >= 0) return fd;
  const errno = c.errno();
  // Load again with the verifier's log: only a refused program pays for it.
  const log = Buffer.alloc(VERIFIER_LOG_SIZE);
  attr.writeUInt32LE(1, 24);
  attr.writeUInt32LE(log.length, 28);
  attr.writeBigUInt64LE(c.address(log), 32);
  const retry = c.bpf(BPF_PROG_LOAD, attr);
  if (retry >= 0) return retry;
  const text = log.toString('utf8', 0, Math.max(0, log.indexOf(0))).trim();
  throw new Error(
    `loading BPF program ${spec.name}: ${describeErrno(errno)}${text ? `\n${lastLines(text, 12)}` : ''}`,
  );
}

/** Creates a per-CPU array map of `entries` u64 counters; its file descriptor. */
export async function createCounterMap(name: string, entries: number): Promise<number> {
  const c = await calls();
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(BPF_MAP_TYPE_PERCPU_ARRAY, 0);
  attr.writeUInt32LE(4, 4);
  attr.writeUInt32LE(8, 8);
  attr.writeUInt32LE(entries, 12);
  attr.write(objectName('map', name), 28, 'latin1');
  const fd = c.bpf(BPF_MAP_CREATE, attr);
  if (fd < 0) throw new Error(`creating BPF map ${name}: ${describeErrno(c.errno())}`);
  return fd;
}

/** The sum over CPUs of counter `index` in a per-CPU array map of u64. */
export async function readCounter(mapFd: number, index: number): Promise<bigint> {
  const c = await calls();
  const key = Buffer.alloc(4);
  key.writeUInt32LE(index, 0);
  // A per-CPU map hands back one 8-byte slot per possible CPU.
  const value = Buffer.alloc(8 * possibleCpus());
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(mapFd, 0);
  attr.writeBigUInt64LE(c.address(key), 8);
  attr.writeBigUInt64LE(c.address(value), 16);
  if (c.bpf(BPF_MAP_LOOKUP_ELEM, attr) !== 0) {
    throw new Error(`reading BPF map entry ${index}: ${describeErrno(c.errno())}`);
  }
  let sum = 0n;
  for (let offset = 0; offset < value.length; offset += 8) sum += value.readBigUInt64LE(offset);
  return sum;
}

/** Pins the object behind `fd` at `path` in a BPF filesystem (the path must not exist). */
export async function pinObject(fd: number, path: string): Promise<void> {
  const c = await calls();
  const name = Buffer.from(`${path}\0`);
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeBigUInt64LE(c.address(name), 0);
  attr.writeUInt32LE(fd, 8);
  if (c.bpf(BPF_OBJ_PIN, attr) !== 0) {
    throw new Error(`pinning BPF object at ${path}: ${describeErrno(c.errno())}`);
  }
}

/** Opens the object pinned at `path`; its file descriptor, or undefined when nothing is there. */
export async function openPinned(path: string): Promise<number | undefined> {
  const c = await calls();
  const name = Buffer.from(`${path}\0`);
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeBigUInt64LE(c.address(name), 0);
  const fd = c.bpf(BPF_OBJ_GET, attr);
  if (fd >= 0) return fd;
  const errno = c.errno();
  if (errno === ENOENT) return undefined;
  throw new Error(`opening the BPF object pinned at ${path}: ${describeErrno(errno)}`);
}

export async function closeFd(fd: number): Promise<void> {
  const c = await calls();
  if (c.close(fd) !== 0) throw new Error(`closing fd ${fd}: ${describeErrno(c.errno())}`);
}

export interface TestRun {
  /** What the program returned, signed (TC_ACT_UNSPEC, TC_ACT_OK, TC_ACT_REDIRECT…). */
  readonly result: number;
  /** The packet as the program left it. */
  readonly packet: Buffer;
}

/**
 * Runs a loaded program once on `packet` (from its Ethernet header), with `context` as the
 * leading fields of its `struct __sk_buff` (e.g. ingress_ifindex) — BPF_PROG_TEST_RUN.
 */
export async function testRunProgram(
  fd: number,
  packet: Buffer,
  context?: Buffer,
): Promise<TestRun> {
  const c = await calls();
  const out = Buffer.alloc(packet.length + 256);
  const attr = Buffer.alloc(ATTR_SIZE);
  attr.writeUInt32LE(fd, 0);
  attr.writeUInt32LE(packet.length, 8);
  attr.writeUInt32LE(out.length, 12);
  attr.writeBigUInt64LE(c.address(packet), 16);
  attr.writeBigUInt64LE(c.address(out), 24);
  attr.writeUInt32LE(1, 32);
  if (context !== undefined) {
    attr.writeUInt32LE(context.length, 40);
    attr.writeBigUInt64LE(c.address(context), 48);
  }
  if (c.bpf(BPF_PROG_TEST_RUN, attr) !== 0) {
    throw new Error(`test-running BPF program: ${describeErrno(c.errno())}`);
  }
  // retval is a __u32 in bpf_attr, but a tc program returns an int: TC_ACT_UNSPEC is -1.
  return { result: attr.readInt32LE(4), packet: out.subarray(0, attr.readUInt32LE(12)) };
}

const ENOENT = 2;

let cpus: number | undefined;

/** Possible CPUs (/sys/devices/system/cpu/possible, e.g. `0-3`): a per-CPU map's slot count. */
function possibleCpus(): number {
  if (cpus !== undefined) return cpus;
  const text = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim();
  let count = 0;
  for (const range of text.split(',')) {
    const [first, last] = range.split('-').map(Number);
    count += (last ?? first ?? 0) - (first ?? 0) + 1;
  }
  cpus = count;
  return count;
}

/**
 * A program's or map's name as the kernel stores it: 15 characters at most, and only letters,
 * digits, `_` and `.` (anything else is a bare EINVAL from bpf(2), before any verifier log).
 */
function objectName(what: string, name: string): string {
  if (!/^[A-Za-z0-9_.]*$/.test(name)) {
    throw new Error(`BPF ${what} name ${name}: only letters, digits, _ and . are allowed`);
  }
  return name.slice(0, 15);
}

function lastLines(text: string, count: number): string {
  return text.split('\n').slice(-count).join('\n');
}
