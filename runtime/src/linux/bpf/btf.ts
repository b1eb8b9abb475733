// The kernel's own type information (BTF, /sys/kernel/btf/vmlinux), read for one thing: the id
// of a kernel function a BPF program calls as a kfunc (bpf_skb_ct_lookup, bpf_ct_release). A
// kfunc call names its target by that id, which differs from kernel build to kernel build, so a
// program is assembled after reading it here. Only the type section's framing is parsed: each
// record's length follows from its kind, and only FUNC records' names are read.
import { readFileSync } from 'node:fs';

export const VMLINUX_BTF = '/sys/kernel/btf/vmlinux';

const BTF_MAGIC = 0xeb9f;
const KIND_FUNC = 12;

/** Bytes after the 12-byte common record, by kind: fixed, plus per member (`vlen`). */
const TRAILER: Readonly<Record<number, readonly [fixed: number, perMember: number]>> = {
  1: [4, 0], // INT
  2: [0, 0], // PTR
  3: [12, 0], // ARRAY
  4: [0, 12], // STRUCT
  5: [0, 12], // UNION
  6: [0, 8], // ENUM
  7: [0, 0], // FWD
  8: [0, 0], // TYPEDEF
  9: [0, 0], // VOLATILE
  10: [0, 0], // CONST
  11: [0, 0], // RESTRICT
  12: [0, 0], // FUNC
  13: [0, 8], // FUNC_PROTO
  14: [4, 0], // VAR
  15: [0, 12], // DATASEC
  16: [0, 0], // FLOAT
  17: [4, 0], // DECL_TAG
  18: [0, 0], // TYPE_TAG
  19: [0, 12], // ENUM64
};

/** Kernel function name → BTF type id, for every FUNC in a BTF blob. */
export function btfFunctionIds(blob: Buffer): Map<string, number> {
  if (blob.length < 24 || blob.readUInt16LE(0) !== BTF_MAGIC) {
    throw new Error(
      'not BTF (no 0xeb9f magic): the kernel was built without CONFIG_DEBUG_INFO_BTF?',
    );
  }
  const headerLength = blob.readUInt32LE(4);
  const typesStart = headerLength + blob.readUInt32LE(8);
  const typesEnd = typesStart + blob.readUInt32LE(12);
  const stringsStart = headerLength + blob.readUInt32LE(16);
  const name = (offset: number): string => {
    const start = stringsStart + offset;
    return blob.toString('latin1', start, blob.indexOf(0, start));
  };
  const ids = new Map<string, number>();
  let offset = typesStart;
  for (let id = 1; offset < typesEnd; id++) {
    const info = blob.readUInt32LE(offset + 4);
    const kind = (info >>> 24) & 0x1f;
    const members = info & 0xffff;
    const trailer = TRAILER[kind];
    if (trailer === undefined) throw new Error(`BTF type ${id} has unknown kind ${kind}`);
    if (kind === KIND_FUNC) ids.set(name(blob.readUInt32LE(offset)), id);
    offset += 12 + trailer[0] + trailer[1] * members;
  }
  return ids;
}

let kernelIds: Map<string, number> | undefined;

/** The BTF id of the running kernel's function `name`, or why there is none. */
export function kernelFunctionId(name: string): number | Error {
  try {
    kernelIds ??= btfFunctionIds(readFileSync(VMLINUX_BTF));
  } catch (err) {
    return new Error(`reading ${VMLINUX_BTF}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return kernelIds.get(name) ?? new Error(`the kernel has no function ${name} in its BTF`);
}
