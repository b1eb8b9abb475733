// A CRI runtime under test, as the suite sees it: two clients on its socket and what the suite
// needs to know to assert the CRI contract on it. Everything else (how it was started, where its
// files are) stays inside the target's own module (containerd-target.ts, skiff-target.ts).
import type { ImageServiceClient, RuntimeServiceClient } from '@skiff/proto';

export interface CriTarget {
  /** 'containerd' or 'skiff', also the runtime_name Version must report. */
  readonly name: 'containerd' | 'skiff';
  readonly socket: string;
  readonly runtime: RuntimeServiceClient;
  readonly images: ImageServiceClient;
  /** A directory pods may write their logs under (log_directory), removed with the target. */
  readonly logRoot: string;
  /** The busybox image both runtimes were given, by the name they know it by. */
  readonly busybox: string;
  /** Loads a tarball into the runtime (ctr import or skiff image import). */
  importImage(archivePath: string): Promise<void>;
  /** Stops the runtime and removes everything it made; throws with what was left behind. */
  stop(): Promise<void>;
}
