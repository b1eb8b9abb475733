// HPACK's simplest representation (RFC 7541 §6.2.2, "literal header field without indexing, new
// name"), raw strings, no Huffman: a header block in it needs no dynamic table on either side, so
// writing it never disturbs the decoder state of the server that reads it.
export interface RawHeader {
  readonly name: string;
  /** latin1: one character per octet. */
  readonly value: string;
}

export function encodeLiteralBlock(headers: readonly RawHeader[]): Buffer {
  const parts: Buffer[] = [];
  for (const { name, value } of headers) {
    parts.push(Buffer.of(0x00), encodeString(name), encodeString(value));
  }
  return Buffer.concat(parts);
}

function encodeString(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  // The H bit (Huffman) is 0; the length is an integer with a 7-bit prefix.
  return Buffer.concat([encodeInteger(bytes.length, 7, 0x00), bytes]);
}

/** RFC 7541 §5.1: `prefixBits` low bits of the first octet, then 7 bits per octet. */
export function encodeInteger(value: number, prefixBits: number, firstOctetHigh: number): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.of(firstOctetHigh | value);
  const octets = [firstOctetHigh | max];
  let rest = value - max;
  while (rest >= 128) {
    octets.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  octets.push(rest);
  return Buffer.from(octets);
}
