// Sets up a pod's volumes on the node before its containers start, and removes them when the pod
// is gone (Kubernetes' volume manager, reduced to the volume kinds the kubelet itself serves):
// emptyDir (a directory under --root-dir, or a tmpfs for medium Memory), hostPath (checked),
// configMap, secret, downwardAPI and projected (written by the atomic writer, and rewritten on
// every sync, so a changed ConfigMap reaches running containers). PVCs come with storage.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { errorMessage, ResourceQuantity, type Pod, type Volume } from '@skiff/api';
import { writePayload } from './atomic-writer.js';
import { checkHostPath } from './host-path.js';
import { VolumeError, volumePayload, type PayloadContext } from './payload.js';

const execFileAsync = promisify(execFile);

/** The plugin directory names Kubernetes uses under pods/<uid>/volumes/. */
function pluginDir(volume: Readonly<Volume>): string {
  if (volume.configMap) return 'kubernetes.io~configmap';
  if (volume.secret) return 'kubernetes.io~secret';
  if (volume.downwardAPI) return 'kubernetes.io~downward-api';
  if (volume.projected) return 'kubernetes.io~projected';
  return 'kubernetes.io~empty-dir';
}

export interface VolumeManagerOptions {
  /** --root-dir: volumes live in <root>/pods/<uid>/volumes/. */
  readonly rootDir: string;
  readonly now: () => number;
}

export class VolumeManager {
  constructor(private readonly options: VolumeManagerOptions) {}

  podDir(uid: string): string {
    return join(this.options.rootDir, 'pods', uid);
  }

  /** Where a volume of the pod lives on the node (not for hostPath, which is the host's own). */
  volumeDir(uid: string, volume: Readonly<Volume>): string {
    return join(this.podDir(uid), 'volumes', pluginDir(volume), volume.name);
  }

  /**
   * Makes every volume of the pod ready; answers where each one is on the node. Throws a
   * VolumeError naming the volume when one cannot be set up (FailedMount).
   */
  async setUp(pod: Readonly<Pod>, context: PayloadContext): Promise<Map<string, string>> {
    const uid = pod.metadata.uid ?? '';
    const paths = new Map<string, string>();
    for (const volume of pod.spec.volumes ?? []) {
      try {
        paths.set(volume.name, await this.setUpOne(uid, volume, context));
      } catch (err) {
        const why = errorMessage(err);
        throw new VolumeError(`MountVolume.SetUp failed for volume "${volume.name}" : ${why}`, {
          cause: err,
        });
      }
    }
    return paths;
  }

  private async setUpOne(
    uid: string,
    volume: Readonly<Volume>,
    context: PayloadContext,
  ): Promise<string> {
    if (volume.hostPath) {
      await checkHostPath(volume.hostPath.path, volume.hostPath.type);
      return volume.hostPath.path;
    }
    if (volume.persistentVolumeClaim) {
      throw new VolumeError('persistentVolumeClaim volumes are not supported yet');
    }
    const dir = this.volumeDir(uid, volume);
    const payload = await volumePayload(volume, context);
    if (payload !== undefined) {
      await writePayload(dir, payload, this.options.now());
      return dir;
    }
    await mkdir(dir, { recursive: true, mode: 0o777 });
    if (volume.emptyDir?.medium === 'Memory' && !(await this.isMountPoint(dir))) {
      const size = volume.emptyDir.sizeLimit;
      const options =
        size === undefined ? 'mode=0777' : `mode=0777,size=${ResourceQuantity.parse(size).value()}`;
      await execFileAsync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
    }
    return dir;
  }

  private async isMountPoint(dir: string): Promise<boolean> {
    const mounts = await readFile('/proc/mounts', 'utf8');
    return mounts.split('\n').some((line) => line.split(' ')[1] === dir);
  }

  /** Unmounts and deletes everything the pod had under --root-dir. */
  async tearDown(uid: string): Promise<void> {
    const dir = this.podDir(uid);
    const mounts = (await readFile('/proc/mounts', 'utf8'))
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((path) => path.startsWith(`${dir}/`))
      .sort()
      .reverse();
    for (const path of mounts) await execFileAsync('umount', [path]);
    await rm(dir, { recursive: true, force: true });
  }
}
