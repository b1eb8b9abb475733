// Writes ustar archives, adding a pax header when a name, link target or number does not fit
// the ustar fields, or when an entry carries xattrs. Used to build the demo images from host
// files and, in tests, to build the images and archives under test. Whole archives are built in
// memory: both uses are a few megabytes at most.
import { BLOCK_SIZE, paddingFor, TYPE_FLAGS, type TarEntry, type TarEntryType } from './entry.js';

export interface TarWriteEntry {
  readonly path: string;
  readonly type?: TarEntryType;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mtime?: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  readonly xattrs?: Readonly<Record<string, Buffer | string>>;
  /** A regular file's content. */
  readonly data?: Buffer | string;
}

const MAX_OCTAL_8 = 0o7777777; // 7 digits + NUL
const MAX_OCTAL_12 = 0o77777777777;

/** The archive for `entries`, in order, ending with the two-block end-of-archive marker. */
export function writeTar(entries: readonly TarWriteEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) blocks.push(...encodeEntry(entry));
  blocks.push(Buffer.alloc(BLOCK_SIZE * 2));
  return Buffer.concat(blocks);
}

function encodeEntry(input: TarWriteEntry): Buffer[] {
  const type = input.type ?? 'file';
  const data = type === 'file' ? Buffer.from(input.data ?? '') : Buffer.alloc(0);
  const entry: TarEntry = {
    path: input.path,
    type,
    mode: input.mode ?? (type === 'directory' ? 0o755 : 0o644),
    uid: input.uid ?? 0,
    gid: input.gid ?? 0,
    size: data.length,
    mtime: input.mtime ?? 0,
    linkname: input.linkname ?? '',
    devmajor: input.devmajor ?? 0,
    devminor: input.devminor ?? 0,
    xattrs: Object.fromEntries(
      Object.entries(input.xattrs ?? {}).map(([k, v]) => [k, Buffer.from(v)]),
    ),
  };

  const pax: [string, Buffer][] = [];
  const name = splitName(entry.path);
  if (name === undefined) pax.push(['path', Buffer.from(entry.path)]);
  if (Buffer.byteLength(entry.linkname) > 100) pax.push(['linkpath', Buffer.from(entry.linkname)]);
  if (entry.size > MAX_OCTAL_12) pax.push(['size', Buffer.from(String(entry.size))]);
  if (entry.uid > MAX_OCTAL_8) pax.push(['uid', Buffer.from(String(entry.uid))]);
  if (entry.gid > MAX_OCTAL_8) pax.push(['gid', Buffer.from(String(entry.gid))]);
  for (const [key, value] of Object.entries(entry.xattrs)) pax.push([`SCHILY.xattr.${key}`, value]);

  const out: Buffer[] = [];
  if (pax.length > 0) {
    const body = Buffer.concat(pax.map(([k, v]) => paxRecord(k, v)));
    out.push(
      header({ ...entry, path: 'PaxHeader', type: 'file', size: body.length }, 'x', {
        name: 'PaxHeader',
        prefix: '',
      }),
    );
    out.push(body, Buffer.alloc(paddingFor(body.length)));
  }
  out.push(header(entry, TYPE_FLAGS[type], name ?? { name: entry.path.slice(0, 100), prefix: '' }));
  if (data.length > 0) out.push(data, Buffer.alloc(paddingFor(data.length)));
  return out;
}

/** Splits a path into ustar's prefix (155) + name (100) fields, or undefined if it cannot. */
function splitName(path: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') {
      return { name, prefix };
    }
  }
  return undefined;
}

function header(entry: TarEntry, typeflag: string, name: { name: string; prefix: string }): Buffer {
  const block = Buffer.alloc(BLOCK_SIZE);
  block.write(name.name, 0, 100, 'utf8');
  octal(block, 100, 8, entry.mode);
  octal(block, 108, 8, Math.min(entry.uid, MAX_OCTAL_8));
  octal(block, 116, 8, Math.min(entry.gid, MAX_OCTAL_8));
  octal(block, 124, 12, Math.min(entry.size, MAX_OCTAL_12));
  octal(block, 136, 12, Math.floor(entry.mtime));
  block.write(typeflag, 156, 1, 'latin1');
  block.write(entry.linkname.slice(0, 100), 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'latin1');
  block.write('00', 263, 2, 'latin1');
  octal(block, 329, 8, entry.devmajor);
  octal(block, 337, 8, entry.devminor);
  block.write(name.prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  octal(block, 148, 8, sum);
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}

function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  // The length prefix counts its own digits, so grow it until it is self-consistent.
  let len = rest.length + 1;
  while (String(len).length + rest.length !== len) len = String(len).length + rest.length;
  return Buffer.concat([Buffer.from(String(len)), rest]);
}
