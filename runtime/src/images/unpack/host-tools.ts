// The few filesystem operations Node has no API for: device nodes (overlay whiteouts are 0/0
// character devices) and extended attributes (opaque directories carry trusted.overlay.opaque).
// They run host tools: mknod is coreutils (always on Debian); xattrs use setfattr/getfattr from
// Debian's `attr` package, falling back to python3's os.setxattr when attr is not installed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ImageError, messageOf } from '../errors.js';

const run = promisify(execFile);

export type NodeKind = 'char' | 'block' | 'fifo';

export async function mknod(path: string, kind: NodeKind, major = 0, minor = 0): Promise<void> {
  const args =
    kind === 'fifo'
      ? [path, 'p']
      : [path, kind === 'char' ? 'c' : 'b', String(major), String(minor)];
  try {
    await run('mknod', args);
  } catch (err) {
    throw new ImageError('HostError', `mknod ${args.join(' ')} failed: ${messageOf(err)}`, {
      cause: err,
    });
  }
}

export type XattrTool = 'setfattr' | 'python3';
let xattrTool: Promise<XattrTool> | undefined;

/** Sets xattr `name` on `path` itself (not a symlink's target). Needs root for trusted.*. */
export async function setXattr(
  path: string,
  name: string,
  value: Buffer,
  tool?: XattrTool,
): Promise<void> {
  tool ??= await findXattrTool();
  try {
    if (tool === 'setfattr') {
      await run('setfattr', ['-h', '-n', name, '-v', `0x${value.toString('hex')}`, '--', path]);
    } else {
      await run('python3', [
        '-c',
        'import os,sys; os.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]), follow_symlinks=False)',
        path,
        name,
        value.toString('hex'),
      ]);
    }
  } catch (err) {
    throw new ImageError(
      'HostError',
      `setting xattr ${name} on ${path} failed: ${messageOf(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** The xattr's value, or undefined when the file does not have it. */
export async function getXattr(
  path: string,
  name: string,
  tool?: XattrTool,
): Promise<Buffer | undefined> {
  tool ??= await findXattrTool();
  try {
    if (tool === 'setfattr') {
      const { stdout } = await run('getfattr', [
        '-h',
        '--absolute-names',
        '-e',
        'hex',
        '-n',
        name,
        '--',
        path,
      ]);
      const line = stdout.split('\n').find((l) => l.startsWith(`${name}=`));
      return line === undefined ? undefined : Buffer.from(line.slice(name.length + 3), 'hex');
    }
    const { stdout } = await run('python3', [
      '-c',
      'import os,sys\ntry: print(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).hex())\nexcept OSError: print("-")',
      path,
      name,
    ]);
    const hex = stdout.trim();
    return hex === '-' ? undefined : Buffer.from(hex, 'hex');
  } catch (err) {
    // getfattr exits 1 with "No such attribute" when the attribute is absent.
    if (messageOf(err).includes('No such attribute')) return undefined;
    throw new ImageError(
      'HostError',
      `reading xattr ${name} of ${path} failed: ${messageOf(err)}`,
      {
        cause: err,
      },
    );
  }
}

function findXattrTool(): Promise<XattrTool> {
  xattrTool ??= (async () => {
    if (await works('setfattr', ['--version'])) return 'setfattr';
    if (await works('python3', ['-c', 'import os; os.setxattr'])) return 'python3';
    throw new ImageError(
      'HostError',
      'setting extended attributes needs setfattr (Debian package `attr`) or python3; install attr',
    );
  })();
  return xattrTool;
}

async function works(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args);
    return true;
  } catch (err) {
    if (
      err instanceof Error &&
      'code' in err &&
      (err.code === 'ENOENT' || typeof err.code === 'number')
    ) {
      return false;
    }
    throw err;
  }
}
