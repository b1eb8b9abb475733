// The assembler against the kernel's documented encodings (Documentation/bpf/standardization/
// instruction-set.rst): opcode byte, registers (src in the high nibble, dst in the low), a
// little-endian 16-bit offset and 32-bit immediate. Each row is one instruction and its 8 bytes.
import { describe, expect, it } from 'vitest';
import { Assembler, FP } from './assembler.js';

const hex = (buffer: Buffer): string[] =>
  Array.from({ length: buffer.length / 8 }, (_, i) =>
    buffer.subarray(i * 8, i * 8 + 8).toString('hex'),
  );

describe('Assembler encodings', () => {
  it.each<[string, (a: Assembler) => Assembler, string]>([
    ['mov r0, 0', (a) => a.movImm(0, 0), 'b700000000000000'],
    ['mov r1, -1 (sign bits kept)', (a) => a.movImm(1, -1), 'b7010000ffffffff'],
    ['mov r2, 0xffffffff (same bits as -1)', (a) => a.movImm(2, 0xffffffff), 'b7020000ffffffff'],
    ['mov r3, 0x12345678 (little-endian)', (a) => a.movImm(3, 0x12345678), 'b703000078563412'],
    ['mov r6, r1', (a) => a.mov(6, 1), 'bf16000000000000'],
    ['mov r2, r10 (the frame pointer)', (a) => a.mov(2, FP), 'bfa2000000000000'],
    ['exit', (a) => a.exit(), '9500000000000000'],
    ['add r1, 4', (a) => a.aluImm('add', 1, 4), '0701000004000000'],
    ['sub r1, 1', (a) => a.aluImm('sub', 1, 1), '1701000001000000'],
    ['or r1, 2', (a) => a.aluImm('or', 1, 2), '4701000002000000'],
    ['and r1, 0xff', (a) => a.aluImm('and', 1, 0xff), '57010000ff000000'],
    ['lsh r1, 32', (a) => a.aluImm('lsh', 1, 32), '6701000020000000'],
    ['rsh r1, 32 (logical)', (a) => a.aluImm('rsh', 1, 32), '7701000020000000'],
    ['xor r1, 1', (a) => a.aluImm('xor', 1, 1), 'a701000001000000'],
    ['add r1, r2', (a) => a.alu('add', 1, 2), '0f21000000000000'],
    ['xor r3, r4', (a) => a.alu('xor', 3, 4), 'af43000000000000'],
    ['ldxb r0, [r1+0]', (a) => a.load(1, 0, 1, 0), '7110000000000000'],
    ['ldxh r0, [r1+12]', (a) => a.load(2, 0, 1, 12), '69100c0000000000'],
    ['ldxw r2, [r1+76]', (a) => a.load(4, 2, 1, 76), '61124c0000000000'],
    ['ldxdw r0, [r0+0]', (a) => a.load(8, 0, 0, 0), '7900000000000000'],
    ['stxb [r10-1], r1', (a) => a.store(1, FP, -1, 1), '731affff00000000'],
    ['stxh [r10-2], r1', (a) => a.store(2, FP, -2, 1), '6b1afeff00000000'],
    ['stxw [r10-4], r1', (a) => a.store(4, FP, -4, 1), '631afcff00000000'],
    ['stxdw [r0+8], r1', (a) => a.store(8, 0, 8, 1), '7b10080000000000'],
    ['stb [r10-1], 7', (a) => a.storeImm(1, FP, -1, 7), '720affff07000000'],
    ['sth [r10-2], 7', (a) => a.storeImm(2, FP, -2, 7), '6a0afeff07000000'],
    ['stw [r10-4], 0', (a) => a.storeImm(4, FP, -4, 0), '620afcff00000000'],
    ['stdw [r10-8], -1', (a) => a.storeImm(8, FP, -8, -1), '7a0af8ffffffffff'],
    ['call 1 (map_lookup_elem)', (a) => a.call(1), '8500000001000000'],
    ['call kfunc btf id 1000 (src = 2)', (a) => a.callKernel(1000), '85200000e8030000'],
  ])('%s', (_, build, expected) => {
    expect(hex(build(new Assembler()).assemble())).toEqual([expected]);
  });

  it.each<[string, (a: Assembler) => Assembler, string]>([
    ['jeq r1, 0 (64-bit)', (a) => a.jumpImm('eq', 1, 0, 'next'), '15010000'],
    ['jeq w1, 0 (32-bit: class jmp32)', (a) => a.jumpImm('eq', 1, 0, 'next', false), '16010000'],
    ['jne r1, 5', (a) => a.jumpImm('ne', 1, 5, 'next'), '55010000'],
    ['jgt r1, 5', (a) => a.jumpImm('gt', 1, 5, 'next'), '25010000'],
    ['jge r1, 5', (a) => a.jumpImm('ge', 1, 5, 'next'), '35010000'],
    ['jlt r1, 5', (a) => a.jumpImm('lt', 1, 5, 'next'), 'a5010000'],
    ['jle w1, 5', (a) => a.jumpImm('le', 1, 5, 'next', false), 'b6010000'],
    ['jset r1, 5', (a) => a.jumpImm('set', 1, 5, 'next'), '45010000'],
    ['jeq r2, r3', (a) => a.jump('eq', 2, 3, 'next'), '1d320000'],
    ['jgt r2, r3', (a) => a.jump('gt', 2, 3, 'next'), '2d320000'],
    ['ja', (a) => a.goto('next'), '05000000'],
  ])('%s, to the very next instruction (offset 0)', (_, build, head) => {
    const code = build(new Assembler()).label('next').exit().assemble();
    expect(hex(code)[0]?.slice(0, 8)).toBe(head);
  });
});

describe('Assembler labels', () => {
  it('resolves a forward jump to the count of instructions skipped', () => {
    const code = new Assembler()
      .jumpImm('eq', 1, 0, 'out')
      .movImm(0, 1)
      .movImm(0, 2)
      .label('out')
      .exit()
      .assemble();
    // From the instruction after the jump (index 1) to `out` (index 3): +2.
    expect(code.readInt16LE(2)).toBe(2);
  });

  it('resolves a backward jump to a negative offset', () => {
    const code = new Assembler()
      .movImm(1, 3)
      .label('loop')
      .aluImm('sub', 1, 1)
      .jumpImm('ne', 1, 0, 'loop')
      .returnImm(0)
      .assemble();
    // The jump is index 2; the next one is 3 and `loop` is 1: -2.
    expect(code.readInt16LE(2 * 8 + 2)).toBe(-2);
  });

  it('resolves a jump to itself to -1', () => {
    const code = new Assembler().label('top').goto('top').assemble();
    expect(code.readInt16LE(2)).toBe(-1);
  });

  it('gives loadMap two slots (LD_IMM64, src = BPF_PSEUDO_MAP_FD) and moves later labels by two', () => {
    const a = new Assembler().jumpImm('eq', 2, 0, 'after').loadMap(1, 9).label('after').exit();
    expect(a.length).toBe(4);
    expect(hex(a.assemble())).toEqual([
      // Skips both halves of the 16-byte instruction.
      '1502020000000000',
      '1811000009000000',
      '0000000000000000',
      '9500000000000000',
    ]);
  });

  it('throws on a jump to a label that is never defined', () => {
    const a = new Assembler().goto('nowhere').exit();
    expect(() => a.assemble()).toThrow('jump to undefined label nowhere');
  });

  it('throws when a label is defined twice', () => {
    const a = new Assembler().label('twice').exit();
    expect(() => a.label('twice')).toThrow('label twice defined twice');
  });
});

describe('Assembler immediates', () => {
  it.each([
    ['2^32', 2 ** 32],
    ['-2^31 - 1', -(2 ** 31) - 1],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
  ])('refuses %s, which does not fit 32 bits', (_, imm) => {
    expect(() => new Assembler().movImm(0, imm)).toThrow(/does not fit 32 bits/);
    expect(() => new Assembler().jumpImm('eq', 1, imm, 'x')).toThrow(/does not fit 32 bits/);
  });

  it.each([
    ['-2^31', -(2 ** 31), '00000080'],
    ['2^31 - 1', 2 ** 31 - 1, 'ffffff7f'],
    ['2^32 - 1', 2 ** 32 - 1, 'ffffffff'],
  ])('takes %s, at the edge of the range', (_, imm, bytes) => {
    expect(hex(new Assembler().movImm(0, imm).assemble())[0]?.slice(8)).toBe(bytes);
  });
});
