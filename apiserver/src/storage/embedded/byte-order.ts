// Keys are ranged in UTF-8 byte order, as etcd does, so both backends page through a prefix in
// the same order. JavaScript compares strings by UTF-16 code unit, which agrees with UTF-8 byte
// order except that surrogate pairs (code points ≥ U+10000) sort below U+E000–U+FFFF; this
// comparator corrects that one case instead of encoding every key to bytes.

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in UTF-8 byte order. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Maps a UTF-16 code unit to a rank that orders like the code points (hence UTF-8 bytes). */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800; // BMP above the surrogates: below every astral char
  if (unit >= 0xd800) return unit + 0x2000; // surrogate (astral char): above the whole BMP
  return unit;
}
