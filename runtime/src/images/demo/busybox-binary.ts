// The host's static busybox, the one binary the demo images are made of. It must be static: the
// image has no libc. Debian's `busybox-static` package installs it at /bin/busybox (the plain
// `busybox` package installs a dynamically linked one at the same path).
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ImageError, messageOf } from '../errors.js';
import { isNotFound } from '../content-store.js';

const run = promisify(execFile);
export const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];
const INSTALL_HINT = "install Debian's busybox-static package (apt-get install -y busybox-static)";

export interface BusyboxBinary {
  readonly path: string;
  /** Applets this build provides (`busybox --list`). */
  readonly applets: ReadonlySet<string>;
}

export async function findBusybox(
  paths: readonly string[] = BUSYBOX_PATHS,
): Promise<BusyboxBinary> {
  for (const path of paths) {
    let isStatic: boolean;
    try {
      isStatic = await isStaticElf(path);
    } catch (err) {
      if (isNotFound(err)) continue;
      throw new ImageError('HostError', `cannot read ${path}: ${messageOf(err)}`, { cause: err });
    }
    if (!isStatic) {
      throw new ImageError(
        'HostError',
        `${path} is dynamically linked and cannot run in an image; ${INSTALL_HINT}`,
      );
    }
    const { stdout } = await run(path, ['--list']).catch((err: unknown) => {
      throw new ImageError('HostError', `${path} --list failed: ${messageOf(err)}`, { cause: err });
    });
    return { path, applets: new Set(stdout.split('\n').filter((s) => s !== '')) };
  }
  throw new ImageError('HostError', `no busybox found at ${paths.join(' or ')}; ${INSTALL_HINT}`);
}

const PT_INTERP = 3;

/** An ELF executable is static when it names no program interpreter (no PT_INTERP header). */
export async function isStaticElf(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const ident = Buffer.alloc(64);
    await file.read(ident, 0, 64, 0);
    if (ident.readUInt32BE(0) !== 0x7f454c46) {
      throw new ImageError('HostError', `${path} is not an ELF executable`);
    }
    const is64 = ident[4] === 2;
    const le = ident[5] === 1;
    const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64
      ? Number(le ? ident.readBigUInt64LE(32) : ident.readBigUInt64BE(32))
      : u32(ident, 28);
    const phentsize = u16(ident, is64 ? 54 : 42);
    const phnum = u16(ident, is64 ? 56 : 44);
    const table = Buffer.alloc(phentsize * phnum);
    await file.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) {
      if (u32(table, i * phentsize) === PT_INTERP) return false;
    }
    return true;
  } finally {
    await file.close();
  }
}
