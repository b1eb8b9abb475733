// A streaming tar reader for ustar, pax (local and global headers, xattrs) and the GNU long-name
// extensions — what `docker save`, BuildKit, containerd and GNU tar produce. It never buffers a
// member's body: each entry's bytes stream to the consumer, which is what lets a 1 GiB layer
// unpack in constant memory. Anything malformed or cut short is an ImageError('InvalidArchive').
import { ImageError } from '../errors.js';
import { BLOCK_SIZE, paddingFor, type TarEntry, type TarEntryType } from './entry.js';

export interface TarMember {
  readonly entry: TarEntry;
  /** The body; read it before asking for the next member (or it is skipped). */
  readonly body: AsyncIterable<Buffer>;
}

const TYPES: Readonly<Record<string, TarEntryType>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'chardev',
  '4': 'blockdev',
  '5': 'directory',
  '6': 'fifo',
};

/** Yields the members of the tar stream `source`, in order. */
export async function* readTar(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarMember> {
  const input = new ByteReader(source[Symbol.asyncIterator]());
  let globalPax: Record<string, Buffer> = {};
  let localPax: Record<string, Buffer> = {};
  let longName: string | undefined;
  let longLink: string | undefined;

  for (;;) {
    const offset = input.offset;
    const block = await input.read(BLOCK_SIZE);
    if (block === undefined) throw truncated(offset, 'the end-of-archive marker is missing');
    if (block.every((b) => b === 0)) return; // End of archive: the rest is padding.
    const header = decodeHeader(block, offset);

    switch (header.typeflag) {
      case 'x':
        localPax = { ...localPax, ...parsePax(await input.readAll(header.size, offset), offset) };
        await input.skip(paddingFor(header.size), offset);
        continue;
      case 'g':
        globalPax = { ...globalPax, ...parsePax(await input.readAll(header.size, offset), offset) };
        await input.skip(paddingFor(header.size), offset);
        continue;
      case 'L':
        longName = cString(await input.readAll(header.size, offset));
        await input.skip(paddingFor(header.size), offset);
        continue;
      case 'K':
        longLink = cString(await input.readAll(header.size, offset));
        await input.skip(paddingFor(header.size), offset);
        continue;
    }
    const type = TYPES[header.typeflag];
    if (type === undefined) {
      throw new ImageError(
        'InvalidArchive',
        `tar member ${JSON.stringify(header.name)} at offset ${offset} has unsupported type ${JSON.stringify(header.typeflag)}`,
      );
    }
    const pax = { ...globalPax, ...localPax };
    const entry = applyPax(
      {
        ...header.entry,
        type,
        path: longName ?? header.entry.path,
        linkname: longLink ?? header.entry.linkname,
      },
      pax,
      offset,
    );
    localPax = {};
    longName = undefined;
    longLink = undefined;

    // Only regular files carry a body; a hardlink's size field must be ignored (GNU tar sets it).
    const bodySize = type === 'file' ? entry.size : 0;
    const finalEntry = type === 'file' ? entry : { ...entry, size: 0 };
    let remaining = bodySize;
    const body = (async function* () {
      while (remaining > 0) {
        const chunk = await input.readSome(remaining, offset);
        remaining -= chunk.length;
        yield chunk;
      }
    })();
    yield { entry: finalEntry, body };
    await input.skip(remaining + paddingFor(bodySize), offset);
  }
}

interface RawHeader {
  readonly typeflag: string;
  readonly name: string;
  readonly size: number;
  readonly entry: Omit<TarEntry, 'type'>;
}

function decodeHeader(block: Buffer, offset: number): RawHeader {
  const stored = parseNumber(block.subarray(148, 156), 'checksum', offset);
  let sum = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (stored !== sum) {
    throw new ImageError(
      'InvalidArchive',
      `not a tar archive, or corrupt: bad header checksum at offset ${offset}`,
    );
  }
  const magic = block.subarray(257, 263).toString('latin1');
  let name = cString(block.subarray(0, 100));
  if (magic === 'ustar\0') {
    const prefix = cString(block.subarray(345, 500));
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const size = parseNumber(block.subarray(124, 136), 'size', offset);
  return {
    typeflag: String.fromCharCode(block[156] ?? 0),
    name,
    size,
    entry: {
      path: name,
      mode: parseNumber(block.subarray(100, 108), 'mode', offset) & 0o7777,
      uid: parseNumber(block.subarray(108, 116), 'uid', offset),
      gid: parseNumber(block.subarray(116, 124), 'gid', offset),
      size,
      mtime: parseNumber(block.subarray(136, 148), 'mtime', offset),
      linkname: cString(block.subarray(157, 257)),
      devmajor: parseNumber(block.subarray(329, 337), 'devmajor', offset),
      devminor: parseNumber(block.subarray(337, 345), 'devminor', offset),
      xattrs: {},
    },
  };
}

function applyPax(entry: TarEntry, pax: Record<string, Buffer>, offset: number): TarEntry {
  const text = (key: string): string | undefined => pax[key]?.toString('utf8');
  const num = (key: string, fallback: number): number => {
    const v = text(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) {
      throw new ImageError(
        'InvalidArchive',
        `bad pax ${key}=${JSON.stringify(v)} at offset ${offset}`,
      );
    }
    return n;
  };
  const xattrs: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(pax)) {
    if (key.startsWith('SCHILY.xattr.')) xattrs[key.slice('SCHILY.xattr.'.length)] = value;
  }
  return {
    ...entry,
    path: text('path') ?? entry.path,
    linkname: text('linkpath') ?? entry.linkname,
    size: num('size', entry.size),
    uid: num('uid', entry.uid),
    gid: num('gid', entry.gid),
    mtime: num('mtime', entry.mtime),
    xattrs,
  };
}

/** Pax records: "<len> <key>=<value>\n", where len counts the whole record. */
function parsePax(data: Buffer, offset: number): Record<string, Buffer> {
  const records: Record<string, Buffer> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const len = space < 0 ? NaN : Number(data.subarray(pos, space).toString('latin1'));
    if (
      !Number.isInteger(len) ||
      len <= 0 ||
      pos + len > data.length ||
      data[pos + len - 1] !== 0x0a
    ) {
      throw new ImageError('InvalidArchive', `malformed pax header at offset ${offset}`);
    }
    const record = data.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq < 0) throw new ImageError('InvalidArchive', `malformed pax record at offset ${offset}`);
    records[record.subarray(0, eq).toString('utf8')] = Buffer.from(record.subarray(eq + 1));
    pos += len;
  }
  return records;
}

/** Octal text (NUL/space terminated), or GNU base-256 when the top bit of the field is set. */
function parseNumber(field: Buffer, what: string, offset: number): number {
  const first = field[0] ?? 0;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^[\0 ]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) {
    throw new ImageError(
      'InvalidArchive',
      `not a tar archive, or corrupt: bad ${what} field at offset ${offset}`,
    );
  }
  return parseInt(text, 8);
}

function cString(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul < 0 ? bytes.length : nul).toString('utf8');
}

function truncated(offset: number, detail: string): ImageError {
  return new ImageError(
    'InvalidArchive',
    `tar archive is truncated at offset ${offset}: ${detail}`,
  );
}

/** Exact-length reads over an async byte stream, tracking the offset for error messages. */
class ByteReader {
  private pending: Buffer = Buffer.alloc(0);
  private done = false;
  offset = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** Exactly `n` bytes, or undefined at a clean end of input; throws if the input stops midway. */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.pending.length < n && !this.done) await this.fill();
    if (this.pending.length === 0 && this.done) return undefined;
    if (this.pending.length < n) throw truncated(this.offset, `wanted ${n} more bytes`);
    return this.take(n);
  }

  async readAll(n: number, memberOffset: number): Promise<Buffer> {
    if (n > 16 * 1024 * 1024) {
      throw new ImageError(
        'InvalidArchive',
        `tar extension header at offset ${memberOffset} is too large`,
      );
    }
    const data = n === 0 ? Buffer.alloc(0) : await this.read(n);
    if (data === undefined)
      throw truncated(this.offset, `member at offset ${memberOffset} has no body`);
    return data;
  }

  /** Between 1 and `max` bytes. */
  async readSome(max: number, memberOffset: number): Promise<Buffer> {
    while (this.pending.length === 0 && !this.done) await this.fill();
    if (this.pending.length === 0) {
      throw truncated(this.offset, `member at offset ${memberOffset} ends early`);
    }
    return this.take(Math.min(max, this.pending.length));
  }

  async skip(n: number, memberOffset: number): Promise<void> {
    let left = n;
    while (left > 0) left -= (await this.readSome(left, memberOffset)).length;
  }

  private take(n: number): Buffer {
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    this.offset += n;
    return out;
  }

  private async fill(): Promise<void> {
    const next = await this.source.next();
    if (next.done === true) {
      this.done = true;
      return;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }
}
