// hostPath volumes with Kubernetes' type checks (pkg/volume/hostpath): DirectoryOrCreate and
// FileOrCreate create what is missing; Directory, File, Socket, CharDevice and BlockDevice must
// already be that; no type checks nothing. A failed check is a FailedMount with upstream's words.
import { mkdir, open, stat } from 'node:fs/promises';
import type { HostPathType } from '@skiff/api';
import { VolumeError } from './payload.js';

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function checkHostPath(path: string, type: HostPathType | undefined): Promise<void> {
  const found = await statOrUndefined(path);
  switch (type ?? '') {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!found) await mkdir(path, { recursive: true, mode: 0o755 });
      else if (!found.isDirectory())
        throw new VolumeError(`hostPath type check failed: ${path} is not a directory`);
      return;
    case 'FileOrCreate':
      if (!found) await (await open(path, 'a', 0o644)).close();
      else if (!found.isFile())
        throw new VolumeError(`hostPath type check failed: ${path} is not a file`);
      return;
    case 'Directory':
      if (!found?.isDirectory())
        throw new VolumeError(`hostPath type check failed: ${path} is not a directory`);
      return;
    case 'File':
      if (!found?.isFile())
        throw new VolumeError(`hostPath type check failed: ${path} is not a file`);
      return;
    case 'Socket':
      if (!found?.isSocket())
        throw new VolumeError(`hostPath type check failed: ${path} is not a socket file`);
      return;
    case 'CharDevice':
      if (!found?.isCharacterDevice())
        throw new VolumeError(`hostPath type check failed: ${path} is not a character device`);
      return;
    case 'BlockDevice':
      if (!found?.isBlockDevice())
        throw new VolumeError(`hostPath type check failed: ${path} is not a block device`);
      return;
    default:
      throw new VolumeError(`hostPath type ${JSON.stringify(type)} is not one Kubernetes knows`);
  }
}
