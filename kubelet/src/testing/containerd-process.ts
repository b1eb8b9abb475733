// containerd 1.6 for the kubelet's end-to-end tests: the CRI suite's own containerd fixture
// (@skiff/runtime/testing — a private daemon with its root, state, socket, CNI bridge and pod
// CIDR in a temp dir, `sandbox_image` set to a pause image imported into the k8s.io namespace)
// given the same test images as the suite (busybox as skiff.local/busybox:latest, built from the
// host's busybox; no registry is reachable). The kubelet's own files go in a dir of their own.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startContainerdTarget, writeTestImages } from '@skiff/runtime/testing';
import { RemoteCri } from '../cri/index.js';
import type { E2eRuntime } from './e2e-runtime.js';
import { removeUnlessMounted } from './remove-temp-dir.js';

export async function startContainerd(): Promise<E2eRuntime> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubelet-e2e-containerd-'));
  const imagesDir = join(dir, 'images');
  await mkdir(imagesDir);
  let target;
  try {
    target = await startContainerdTarget(await writeTestImages(imagesDir));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `unix://${target.socket}`;
  const cri = new RemoteCri(endpoint);
  // The fixture keeps its files beside its socket; containerd's output goes to this log.
  const logFile = join(target.socket, '..', 'containerd.log');
  const stopTarget = target.stop.bind(target);
  return {
    name: 'containerd',
    endpoint,
    dir,
    cri,
    log: () => (existsSync(logFile) ? readFile(logFile, 'utf8') : Promise.resolve('')),
    stop: async () => {
      cri.close();
      await stopTarget();
      await removeUnlessMounted(dir);
    },
  };
}
