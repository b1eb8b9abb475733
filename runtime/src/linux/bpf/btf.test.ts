// BTF parsing: a blob made here, with a type of every kind whose record has a trailer of its own
// (and a couple without), so a FUNC's id is right only if every record before it was skipped by
// the right length; then the running kernel's own BTF, for the kfuncs the pod fast path calls.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { failIfUnavailable, skipOutsideCi } from '../../network/kernel-test-kit.js';
import { btfFunctionIds, kernelFunctionId, VMLINUX_BTF } from './btf.js';

const KIND = {
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  CONST: 10,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

interface BtfType {
  readonly name?: string;
  readonly kind: number;
  readonly vlen?: number;
  /** size or type, the record's third word. */
  readonly sizeOrType?: number;
  /** The bytes after the 12-byte common record, filled with a pattern the parser must not read. */
  readonly trailer?: number;
}

/** A little-endian BTF blob: header, then the type and string sections in the order asked. */
function btfBlob(
  types: readonly BtfType[],
  layout: { stringsFirst?: boolean; headerLength?: number } = {},
): Buffer {
  const strings: Buffer[] = [Buffer.from('\0')];
  let stringsLength = 1;
  const nameOffset = (name: string | undefined): number => {
    if (name === undefined) return 0;
    const offset = stringsLength;
    strings.push(Buffer.from(`${name}\0`));
    stringsLength += name.length + 1;
    return offset;
  };
  const records = types.map((t) => {
    const record = Buffer.alloc(12 + (t.trailer ?? 0), 0xa5);
    record.writeUInt32LE(nameOffset(t.name), 0);
    record.writeUInt32LE(((t.kind << 24) | (t.vlen ?? 0)) >>> 0, 4);
    record.writeUInt32LE(t.sizeOrType ?? 0, 8);
    return record;
  });
  const typeSection = Buffer.concat(records);
  const stringSection = Buffer.concat(strings);
  const headerLength = layout.headerLength ?? 24;
  const header = Buffer.alloc(headerLength);
  header.writeUInt16LE(0xeb9f, 0);
  header.writeUInt8(1, 2);
  header.writeUInt32LE(headerLength, 4);
  const [first, second] = layout.stringsFirst
    ? [stringSection, typeSection]
    : [typeSection, stringSection];
  const typeOffset = layout.stringsFirst ? stringSection.length : 0;
  const stringOffset = layout.stringsFirst ? 0 : typeSection.length;
  header.writeUInt32LE(typeOffset, 8);
  header.writeUInt32LE(typeSection.length, 12);
  header.writeUInt32LE(stringOffset, 16);
  header.writeUInt32LE(stringSection.length, 20);
  return Buffer.concat([header, first, second]);
}

// Ids count from 1 in order; the comments give each one.
const everyKind: readonly BtfType[] = [
  { name: 'int', kind: KIND.INT, sizeOrType: 4, trailer: 4 }, // 1
  { kind: KIND.PTR, sizeOrType: 1 }, // 2
  { kind: KIND.ARRAY, trailer: 12 }, // 3
  { name: 'pair', kind: KIND.STRUCT, vlen: 2, sizeOrType: 8, trailer: 2 * 12 }, // 4
  { name: 'either', kind: KIND.UNION, vlen: 3, sizeOrType: 4, trailer: 3 * 12 }, // 5
  { name: 'color', kind: KIND.ENUM, vlen: 3, sizeOrType: 4, trailer: 3 * 8 }, // 6
  { name: 'int_pair', kind: KIND.FUNC_PROTO, vlen: 2, sizeOrType: 1, trailer: 2 * 8 }, // 7
  { name: 'first_fn', kind: KIND.FUNC, sizeOrType: 7 }, // 8
  { name: 'later', kind: KIND.FWD }, // 9
  { name: 'pair_t', kind: KIND.TYPEDEF, sizeOrType: 4 }, // 10
  { kind: KIND.CONST, sizeOrType: 10 }, // 11
  { name: 'a_var', kind: KIND.VAR, sizeOrType: 1, trailer: 4 }, // 12
  { name: '.data', kind: KIND.DATASEC, vlen: 1, trailer: 12 }, // 13
  { name: 'double', kind: KIND.FLOAT, sizeOrType: 8 }, // 14
  { name: 'tag', kind: KIND.DECL_TAG, sizeOrType: 8, trailer: 4 }, // 15
  { name: 'user', kind: KIND.TYPE_TAG, sizeOrType: 1 }, // 16
  { name: 'wide', kind: KIND.ENUM64, vlen: 2, sizeOrType: 8, trailer: 2 * 12 }, // 17
  { kind: KIND.FUNC_PROTO, vlen: 0, sizeOrType: 0 }, // 18: void (void)
  { name: 'second_fn', kind: KIND.FUNC, sizeOrType: 18 }, // 19
];

describe('btfFunctionIds', () => {
  it.each([
    ['the kernel writes it: types, then strings', {}],
    ['strings before types (offsets are from the header, not fixed)', { stringsFirst: true }],
    ['a longer header than this parser knows (hdr_len is honoured)', { headerLength: 32 }],
  ])(
    'maps each FUNC to its type id, skipping every other kind by its length, laid out as %s',
    (_, layout) => {
      const ids = btfFunctionIds(btfBlob(everyKind, layout));
      expect(Object.fromEntries(ids)).toEqual({ first_fn: 8, second_fn: 19 });
    },
  );

  it('finds nothing in a blob without functions', () => {
    expect(btfFunctionIds(btfBlob([{ name: 'int', kind: KIND.INT, trailer: 4 }])).size).toBe(0);
  });

  it.each([
    ['an ELF file', Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(60)])],
    ['an empty buffer', Buffer.alloc(0)],
    ['a header cut short', btfBlob(everyKind).subarray(0, 20)],
  ])('refuses %s as not BTF', (_, blob) => {
    expect(() => btfFunctionIds(blob)).toThrow(/^not BTF \(no 0xeb9f magic\)/);
  });

  it('refuses a kind it cannot size rather than read the records after it wrongly', () => {
    const blob = btfBlob([
      { name: 'int', kind: KIND.INT, trailer: 4 },
      { name: 'odd', kind: 25 },
      { name: 'f', kind: KIND.FUNC, sizeOrType: 1 },
    ]);
    expect(() => btfFunctionIds(blob)).toThrow('BTF type 2 has unknown kind 25');
  });
});

const noVmlinuxBtf = existsSync(VMLINUX_BTF)
  ? undefined
  : `${VMLINUX_BTF} is missing: the kernel was built without CONFIG_DEBUG_INFO_BTF`;

describe.skipIf(skipOutsideCi(noVmlinuxBtf, "the running kernel's BTF tests"))(
  "the running kernel's BTF",
  () => {
    beforeAll(() => failIfUnavailable(noVmlinuxBtf));

    it.each(['bpf_skb_ct_lookup', 'bpf_ct_release'])(
      'has the kfunc %s the pod fast path calls',
      (name) => {
        const id = kernelFunctionId(name);
        if (id instanceof Error) throw id;
        expect(id).toBeGreaterThan(0);
      },
    );

    it('gives different functions different ids', () => {
      expect(kernelFunctionId('bpf_skb_ct_lookup')).not.toBe(kernelFunctionId('bpf_ct_release'));
    });

    it('says which function is missing instead of throwing', () => {
      const id = kernelFunctionId('skiff_no_such_function');
      expect(id).toBeInstanceOf(Error);
      expect(id instanceof Error && id.message).toBe(
        'the kernel has no function skiff_no_such_function in its BTF',
      );
    });
  },
);
