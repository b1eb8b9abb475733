// One tar member, as both the reader and the writer see it. Names are relative POSIX paths as
// written in the archive (no leading "./" normalization here; the unpacker does that).

export type TarEntryType =
  'file' | 'hardlink' | 'symlink' | 'chardev' | 'blockdev' | 'directory' | 'fifo';

export interface TarEntry {
  readonly path: string;
  readonly type: TarEntryType;
  /** Permission bits including setuid/setgid/sticky (07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** Seconds since the epoch (fractions kept when a pax header carried them). */
  readonly mtime: number;
  /** Target of a symlink or hardlink. */
  readonly linkname: string;
  readonly devmajor: number;
  readonly devminor: number;
  /** Extended attributes from pax `SCHILY.xattr.*` records. */
  readonly xattrs: Readonly<Record<string, Buffer>>;
}

export const BLOCK_SIZE = 512;

export const TYPE_FLAGS: Readonly<Record<TarEntryType, string>> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  chardev: '3',
  blockdev: '4',
  directory: '5',
  fifo: '6',
};

/** Bytes of zero padding after a body of `size` bytes. */
export function paddingFor(size: number): number {
  return (BLOCK_SIZE - (size % BLOCK_SIZE)) % BLOCK_SIZE;
}
