// Mirror pods: the API's read-only view of a static pod. The mirror carries the static pod's
// spec and annotations plus `kubernetes.io/config.mirror` (the static pod's hash), is owned by
// the Node, and is kept in step: created when missing, replaced when it is outdated (another
// hash) or being deleted, and deleted when the static pod's file goes away.
import { isAlreadyExists, isNotFound, type Pod } from '@skiff/api';
import type { Client } from '@skiff/client';
import { CONFIG_HASH_ANNOTATION, CONFIG_MIRROR_ANNOTATION } from '../config/static-pod-manifest.js';

export interface MirrorClientOptions {
  readonly client: Pick<Client, 'pods'>;
  readonly nodeName: string;
  /** The Node's UID once registered: mirrors are made only then, owned by it. */
  readonly nodeUid: () => string | undefined;
}

/** What to do with a static pod's mirror, given the mirror the API has (pure). */
export function mirrorAction(
  staticPod: Readonly<Pod>,
  mirror: Readonly<Pod> | undefined,
): 'create' | 'replace' | 'keep' {
  if (mirror === undefined) return 'create';
  const hash = staticPod.metadata.annotations?.[CONFIG_HASH_ANNOTATION];
  const outdated = mirror.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] !== hash;
  return outdated || mirror.metadata.deletionTimestamp !== undefined ? 'replace' : 'keep';
}

export class MirrorClient {
  constructor(private readonly options: MirrorClientOptions) {}

  /** Brings the mirror of `staticPod` in step; `mirror` is the API's pod of that name, if any. */
  async sync(staticPod: Readonly<Pod>, mirror: Readonly<Pod> | undefined): Promise<void> {
    const action = mirrorAction(staticPod, mirror);
    if (action === 'keep') return;
    if (action === 'replace' && mirror !== undefined) await this.delete(mirror);
    await this.create(staticPod);
  }

  /** Deletes a mirror at once (grace 0), and only that object (UID precondition). */
  async delete(mirror: Readonly<Pod>): Promise<void> {
    try {
      await this.options.client
        .pods(mirror.metadata.namespace ?? 'default')
        .delete(mirror.metadata.name ?? '', {
          gracePeriodSeconds: 0,
          ...(mirror.metadata.uid !== undefined && { preconditions: { uid: mirror.metadata.uid } }),
        });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async create(staticPod: Readonly<Pod>): Promise<void> {
    const nodeUid = this.options.nodeUid();
    if (nodeUid === undefined) return;
    const { uid: _uid, resourceVersion: _rv, ...metadata } = staticPod.metadata;
    const mirror: Pod = {
      ...staticPod,
      metadata: {
        ...metadata,
        annotations: {
          ...metadata.annotations,
          [CONFIG_MIRROR_ANNOTATION]: metadata.annotations?.[CONFIG_HASH_ANNOTATION] ?? '',
        },
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'Node',
            name: this.options.nodeName,
            uid: nodeUid,
            controller: true,
          },
        ],
      },
    };
    delete mirror.status;
    try {
      await this.options.client.pods(metadata.namespace ?? 'default').create(mirror);
    } catch (err) {
      // The informer has not shown our own mirror yet: the next sync sees it.
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
