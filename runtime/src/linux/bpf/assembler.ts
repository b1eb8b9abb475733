// A BPF program written as TypeScript calls, one per instruction, assembled into the bytecode
// bpf(BPF_PROG_LOAD) takes (the kernel's eBPF instruction set, Documentation/bpf/
// standardization/instruction-set.rst). It replaces a C compiler for the few short programs skiff
// loads: no clang or libbpf on the node, the program's constants (addresses, BTF ids) filled in
// when it is assembled, and every instruction in plain view for whoever reads it.
//
// An instruction is 8 bytes: opcode, destination and source registers (4 bits each), a signed
// 16-bit offset and a signed 32-bit immediate. Jumps name a label; `assemble()` turns it into
// the offset the kernel wants (in instructions, from the one after the jump).

export type Register = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export type Size = 1 | 2 | 4 | 8;
export type Condition = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'set';
export type AluOp = 'add' | 'sub' | 'and' | 'or' | 'lsh' | 'rsh' | 'xor' | 'mov';

/** The frame pointer: read-only, the top of the program's 512-byte stack. */
export const FP: Register = 10;

const CLASS = { ldx: 0x01, st: 0x02, stx: 0x03, jmp: 0x05, jmp32: 0x06, alu64: 0x07 } as const;
const SIZE: Readonly<Record<Size, number>> = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 };
const MODE_MEM = 0x60;
const SOURCE_REG = 0x08;
const ALU: Readonly<Record<AluOp, number>> = {
  add: 0x00,
  sub: 0x10,
  or: 0x40,
  and: 0x50,
  lsh: 0x60,
  rsh: 0x70,
  xor: 0xa0,
  mov: 0xb0,
};
const JUMP: Readonly<Record<Condition, number>> = {
  eq: 0x10,
  gt: 0x20,
  ge: 0x30,
  set: 0x40,
  ne: 0x50,
  lt: 0xa0,
  le: 0xb0,
};
const JA = 0x00;
const CALL = 0x80;
const EXIT = 0x90;
const LD_IMM64 = 0x18;
const PSEUDO_MAP_FD = 1;
const PSEUDO_KFUNC_CALL = 2;

interface Instruction {
  readonly opcode: number;
  readonly dst: Register;
  readonly src: number;
  readonly offset: number;
  readonly imm: number;
  /** A jump's target, resolved into `offset` by assemble(). */
  readonly label?: string;
}

export class Assembler {
  private readonly code: Instruction[] = [];
  private readonly labels = new Map<string, number>();

  /** Marks the next instruction as `name`'s target. */
  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`);
    this.labels.set(name, this.code.length);
    return this;
  }

  /** dst = imm (64-bit; the immediate is sign-extended). */
  movImm(dst: Register, imm: number): this {
    return this.emit(CLASS.alu64 | ALU.mov, dst, 0, 0, imm);
  }

  /** dst = src. */
  mov(dst: Register, src: Register): this {
    return this.emit(CLASS.alu64 | ALU.mov | SOURCE_REG, dst, src, 0, 0);
  }

  /** dst = the map whose file descriptor is `fd` (the kernel swaps in its address at load). */
  loadMap(dst: Register, fd: number): this {
    // The one 16-byte instruction: the second slot carries the upper half of the immediate.
    this.emit(LD_IMM64, dst, PSEUDO_MAP_FD, 0, fd);
    return this.emit(0, 0, 0, 0, 0);
  }

  /** dst op= imm (64-bit). */
  aluImm(op: AluOp, dst: Register, imm: number): this {
    return this.emit(CLASS.alu64 | ALU[op], dst, 0, 0, imm);
  }

  /** dst op= src (64-bit). */
  alu(op: AluOp, dst: Register, src: Register): this {
    return this.emit(CLASS.alu64 | ALU[op] | SOURCE_REG, dst, src, 0, 0);
  }

  /** dst = *(size *)(src + offset), zero-extended. */
  load(size: Size, dst: Register, src: Register, offset: number): this {
    return this.emit(CLASS.ldx | MODE_MEM | SIZE[size], dst, src, offset, 0);
  }

  /** *(size *)(dst + offset) = src. */
  store(size: Size, dst: Register, offset: number, src: Register): this {
    return this.emit(CLASS.stx | MODE_MEM | SIZE[size], dst, src, offset, 0);
  }

  /** *(size *)(dst + offset) = imm. */
  storeImm(size: Size, dst: Register, offset: number, imm: number): this {
    return this.emit(CLASS.st | MODE_MEM | SIZE[size], dst, 0, offset, imm);
  }

  /** if (dst cond imm) goto label — unsigned, on the 32-bit halves when `wide` is false. */
  jumpImm(cond: Condition, dst: Register, imm: number, label: string, wide = true): this {
    return this.emit((wide ? CLASS.jmp : CLASS.jmp32) | JUMP[cond], dst, 0, 0, imm, label);
  }

  /** if (dst cond src) goto label — unsigned, 64-bit. */
  jump(cond: Condition, dst: Register, src: Register, label: string): this {
    return this.emit(CLASS.jmp | JUMP[cond] | SOURCE_REG, dst, src, 0, 0, label);
  }

  goto(label: string): this {
    return this.emit(CLASS.jmp | JA, 0, 0, 0, 0, label);
  }

  /** r0 = helper(r1…r5); r1–r5 are clobbered. */
  call(helper: number): this {
    return this.emit(CLASS.jmp | CALL, 0, 0, 0, helper);
  }

  /** r0 = kernel function (by its BTF id in vmlinux) (r1…r5); r1–r5 are clobbered. */
  callKernel(btfId: number): this {
    return this.emit(CLASS.jmp | CALL, 0, PSEUDO_KFUNC_CALL, 0, btfId);
  }

  /** return r0. */
  exit(): this {
    return this.emit(CLASS.jmp | EXIT, 0, 0, 0, 0);
  }

  /** return imm. */
  returnImm(imm: number): this {
    return this.movImm(0, imm).exit();
  }

  /** The bytecode: 8 bytes per instruction, little-endian, as bpf(BPF_PROG_LOAD) takes it. */
  assemble(): Buffer {
    const out = Buffer.alloc(this.code.length * 8);
    this.code.forEach((insn, index) => {
      let offset = insn.offset;
      if (insn.label !== undefined) {
        const target = this.labels.get(insn.label);
        if (target === undefined) throw new Error(`jump to undefined label ${insn.label}`);
        offset = target - index - 1;
      }
      out.writeUInt8(insn.opcode, index * 8);
      out.writeUInt8((insn.src << 4) | insn.dst, index * 8 + 1);
      out.writeInt16LE(offset, index * 8 + 2);
      out.writeInt32LE(insn.imm, index * 8 + 4);
    });
    return out;
  }

  get length(): number {
    return this.code.length;
  }

  private emit(
    opcode: number,
    dst: Register,
    src: number,
    offset: number,
    imm: number,
    label?: string,
  ): this {
    if (!Number.isInteger(imm) || imm < -0x80000000 || imm > 0xffffffff) {
      throw new Error(`immediate ${imm} does not fit 32 bits`);
    }
    this.code.push({ opcode, dst, src, offset, imm: imm | 0, label });
    return this;
  }
}
