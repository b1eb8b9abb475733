// The file source: every fileCheckFrequency (20 s) the manifest directory is read again and
// compared with what was read before. A new or changed file is a new pod UID, a changed or
// removed one's old UID is gone; both are reported, so the pod workers start, restart or stop
// the pods. A file that cannot be read or parsed is logged and skipped, never fatal.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, type Clock, type Pod } from '@skiff/api';
import { CONFIG_SEEN_ANNOTATION, staticPodFromManifest } from './static-pod-manifest.js';

export interface StaticPodSourceOptions {
  readonly path: string;
  readonly nodeName: string;
  readonly clock: Clock;
  readonly log: (message: string) => void;
}

export class StaticPodSource {
  private readonly pods = new Map<string, Pod>();

  constructor(private readonly options: StaticPodSourceOptions) {}

  get(uid: string): Readonly<Pod> | undefined {
    return this.pods.get(uid);
  }

  /** The static pod now named `namespace/name`, if any. */
  byName(namespace: string, name: string): Readonly<Pod> | undefined {
    for (const pod of this.pods.values()) {
      if (pod.metadata.name === name && pod.metadata.namespace === namespace) return pod;
    }
    return undefined;
  }

  list(): readonly Readonly<Pod>[] {
    return [...this.pods.values()];
  }

  /** Reads the directory again; returns the UIDs that appeared and those that went away. */
  async reload(): Promise<{ readonly added: readonly string[]; readonly removed: readonly Pod[] }> {
    const found = new Map<string, Pod>();
    for (const pod of await this.readAll()) {
      const uid = pod.metadata.uid ?? '';
      if (found.has(uid)) {
        this.options.log(
          `static pod ${pod.metadata.name ?? ''}: a second manifest with the same content, skipped`,
        );
        continue;
      }
      found.set(uid, pod);
    }
    const removed = [...this.pods.values()].filter((p) => !found.has(p.metadata.uid ?? ''));
    const added: string[] = [];
    for (const pod of removed) this.pods.delete(pod.metadata.uid ?? '');
    for (const [uid, pod] of found) {
      if (this.pods.has(uid)) continue;
      // config.seen: when this version of the pod was first read, as the kubelet records it.
      const seen = new Date(this.options.clock.now()).toISOString();
      const annotations = { ...pod.metadata.annotations, [CONFIG_SEEN_ANNOTATION]: seen };
      this.pods.set(uid, { ...pod, metadata: { ...pod.metadata, annotations } });
      added.push(uid);
    }
    return { added, removed };
  }

  private async readAll(): Promise<Pod[]> {
    const { path, nodeName, log } = this.options;
    let names: string[];
    try {
      names = (await readdir(path, { withFileTypes: true }))
        // Like the kubelet: hidden files are ignored (editors' swap files, for one).
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    } catch (err) {
      log(`reading static pod path ${path}: ${errorMessage(err)}`);
      // An unreadable directory keeps what was read before rather than stopping every pod.
      return [...this.pods.values()];
    }
    const pods: Pod[] = [];
    for (const name of names) {
      const file = join(path, name);
      try {
        pods.push(staticPodFromManifest(await readFile(file, 'utf8'), file, nodeName));
      } catch (err) {
        log(`static pod manifest ${errorMessage(err)}`);
      }
    }
    return pods;
  }
}
