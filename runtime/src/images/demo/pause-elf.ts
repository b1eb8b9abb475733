// The pause process as a 296-byte static ELF, written here instruction by instruction, so a
// sandbox holds its namespaces with one process of a few kilobytes instead of a busybox shell
// and its sleep child (about 3 MB of RSS, twice mapping a 2 MB binary). It does what
// Kubernetes' pause.c does, with three system calls and no libc:
//
//   - SIGCHLD is ignored (SIG_IGN), so the kernel reaps any child it is given — in a pod with
//     shareProcessNamespace, orphans are reparented to this PID 1 — without a wait loop;
//   - SIGTERM and SIGINT run a handler that exits 0 (PID 1 has no default handlers, so without
//     one these signals would be ignored and every stop would wait for SIGKILL);
//   - otherwise it sleeps in pause(2), forever.
//
// x86-64 only: on any other machine the pause image keeps its busybox script (demo-images.ts).
// `objdump -D -b binary -m i386:x86-64 --start-address=0x78` prints the code back.

const LOAD_ADDRESS = 0x400000;
const ELF_HEADER_SIZE = 64;
const PROGRAM_HEADER_SIZE = 56;
/** The code starts right after the two headers, in the one loaded segment. */
const CODE_OFFSET = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE;

// x86-64 Linux system call numbers and constants.
const SYS_RT_SIGACTION = 13;
const SYS_RT_SIGRETURN = 15;
const SYS_PAUSE = 34;
const SYS_EXIT_GROUP = 231;
const SIGINT = 2;
const SIGTERM = 15;
const SIGCHLD = 17;
const SIG_IGN = 1n;
/** The kernel refuses to deliver a signal to a handler on x86-64 without a restorer. */
const SA_RESTORER = 0x04000000n;
/** sizeof(sigset_t) as the kernel counts it: rt_sigaction's last argument. */
const SIGSET_SIZE = 8;

type Label = 'ignore' | 'terminate' | 'sleep' | 'exit' | 'restorer';

/** One instruction (or datum): its size is fixed, its bytes may depend on where labels are. */
interface Piece {
  readonly label?: Label;
  readonly size: number;
  readonly bytes: (at: number, labels: ReadonlyMap<Label, number>) => number[];
}

const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const u64 = (n: bigint): number[] => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(n);
  return [...out];
};
const fixed = (bytes: number[], label?: Label): Piece => ({
  ...(label === undefined ? {} : { label }),
  size: bytes.length,
  bytes: () => bytes,
});
const address = (labels: ReadonlyMap<Label, number>, label: Label): number => {
  const offset = labels.get(label);
  if (offset === undefined) throw new Error(`pause ELF: no label ${label}`);
  return LOAD_ADDRESS + offset;
};

const movEax = (n: number, label?: Label): Piece => fixed([0xb8, ...u32(n)], label);
const movEdi = (n: number): Piece => fixed([0xbf, ...u32(n)]);
const movR10d = (n: number): Piece => fixed([0x41, 0xba, ...u32(n)]);
const xorEdxEdx = fixed([0x31, 0xd2]);
const xorEdiEdi = (label?: Label): Piece => fixed([0x31, 0xff], label);
const syscall = fixed([0x0f, 0x05]);
/** lea rsi, [rip + (label - next instruction)] */
const leaRsi = (target: Label): Piece => ({
  size: 7,
  bytes: (at, labels) => [0x48, 0x8d, 0x35, ...u32(address(labels, target) - (at + 7))],
});
/** jmp short back (or on) to `target`. */
const jmpShort = (target: Label): Piece => ({
  size: 2,
  bytes: (at, labels) => [0xeb, (address(labels, target) - (at + 2)) & 0xff],
});
/** A struct kernel_sigaction: handler, flags, restorer, mask. */
const sigaction = (
  label: Label,
  handler: (labels: ReadonlyMap<Label, number>) => bigint,
  flags: bigint,
  restorer?: Label,
): Piece => ({
  label,
  size: 32,
  bytes: (_at, labels) => [
    ...u64(handler(labels)),
    ...u64(flags),
    ...u64(restorer === undefined ? 0n : BigInt(address(labels, restorer))),
    ...u64(0n),
  ],
});
const align8 = (offset: number): Piece =>
  fixed(new Array<number>((8 - (offset % 8)) % 8).fill(0xcc));

/** rt_sigaction(signal, &action, NULL, sizeof(sigset_t)) */
const setAction = (signal: number, action: Label): Piece[] => [
  movEax(SYS_RT_SIGACTION),
  movEdi(signal),
  leaRsi(action),
  xorEdxEdx,
  movR10d(SIGSET_SIZE),
  syscall,
];

function program(): Piece[] {
  const code: Piece[] = [
    ...setAction(SIGCHLD, 'ignore'),
    ...setAction(SIGTERM, 'terminate'),
    ...setAction(SIGINT, 'terminate'),
    movEax(SYS_PAUSE, 'sleep'),
    syscall,
    jmpShort('sleep'),
    // The SIGTERM/SIGINT handler: exit_group(0).
    xorEdiEdi('exit'),
    movEax(SYS_EXIT_GROUP),
    syscall,
    // Never reached (the handler exits), but the kernel wants somewhere for a handler to return.
    movEax(SYS_RT_SIGRETURN, 'restorer'),
    syscall,
  ];
  const codeSize = code.reduce((sum, piece) => sum + piece.size, 0);
  return [
    ...code,
    align8(CODE_OFFSET + codeSize),
    sigaction('ignore', () => SIG_IGN, 0n),
    sigaction('terminate', (labels) => BigInt(address(labels, 'exit')), SA_RESTORER, 'restorer'),
  ];
}

function assemble(pieces: readonly Piece[]): number[] {
  const labels = new Map<Label, number>();
  let offset = CODE_OFFSET;
  for (const piece of pieces) {
    if (piece.label !== undefined) labels.set(piece.label, offset);
    offset += piece.size;
  }
  const out: number[] = [];
  for (const piece of pieces) {
    const bytes = piece.bytes(LOAD_ADDRESS + CODE_OFFSET + out.length, labels);
    if (bytes.length !== piece.size) throw new Error('pause ELF: a piece changed size');
    out.push(...bytes);
  }
  return out;
}

/** The whole file: ELF header, one PT_LOAD program header (read + execute), then the code. */
export function pauseElf(): Buffer {
  const body = assemble(program());
  const size = CODE_OFFSET + body.length;
  const file = Buffer.alloc(size);
  // e_ident: magic, 64-bit, little-endian, version 1, System V ABI.
  file.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  file.writeUInt16LE(2, 16); // e_type: ET_EXEC
  file.writeUInt16LE(0x3e, 18); // e_machine: EM_X86_64
  file.writeUInt32LE(1, 20); // e_version
  file.writeBigUInt64LE(BigInt(LOAD_ADDRESS + CODE_OFFSET), 24); // e_entry
  file.writeBigUInt64LE(BigInt(ELF_HEADER_SIZE), 32); // e_phoff
  file.writeUInt16LE(ELF_HEADER_SIZE, 52); // e_ehsize
  file.writeUInt16LE(PROGRAM_HEADER_SIZE, 54); // e_phentsize
  file.writeUInt16LE(1, 56); // e_phnum (no section headers: e_shoff, e_shnum stay 0)
  const ph = ELF_HEADER_SIZE;
  file.writeUInt32LE(1, ph); // p_type: PT_LOAD
  file.writeUInt32LE(5, ph + 4); // p_flags: PF_R | PF_X
  file.writeBigUInt64LE(0n, ph + 8); // p_offset: the whole file, headers included
  file.writeBigUInt64LE(BigInt(LOAD_ADDRESS), ph + 16); // p_vaddr
  file.writeBigUInt64LE(BigInt(LOAD_ADDRESS), ph + 24); // p_paddr
  file.writeBigUInt64LE(BigInt(size), ph + 32); // p_filesz
  file.writeBigUInt64LE(BigInt(size), ph + 40); // p_memsz
  file.writeBigUInt64LE(0x1000n, ph + 48); // p_align
  file.set(body, CODE_OFFSET);
  return file;
}

/** Whether this machine runs the pause ELF (Node's name for x86-64). */
export function pauseElfRunsOn(arch: string): boolean {
  return arch === 'x64';
}
