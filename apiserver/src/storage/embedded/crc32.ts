// CRC-32 (IEEE, as zlib/gzip) over WAL and snapshot records. Node ≥ 20.15 ships a native one in
// node:zlib; older 20.x releases do not, so a table-driven fallback keeps the store portable.
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array) => number;

const nativeCrc32: Crc32 | undefined =
  typeof zlib.crc32 === 'function' ? (data) => zlib.crc32(data) : undefined;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The portable implementation; exported so tests can check it agrees with the native one. */
export function tableCrc32(data: Uint8Array): number {
  const t = crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc = (t[(crc ^ (data[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export const crc32: Crc32 = nativeCrc32 ?? tableCrc32;
