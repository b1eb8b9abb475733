// Reference solution. The order of the steps is the whole exercise:
//
//   live Bucket:     finalizer on  →  storage exists  →  status says so
//   deleted Bucket:  storage gone  →  finalizer off   (only if our finalizer is there at all)
//
// The finalizer goes on before the storage exists, so no Bucket can disappear while it still
// has storage; it comes off only after the storage is gone, so a crash in between just means
// the next reconcile removes nothing and then the finalizer. Every step is safe to repeat
// (mkdir -p, rm -rf, "already done" answers count as done), and every write to the Bucket
// carries the resourceVersion we read, so a concurrent change is a 409 and a retry — never a
// lost label or a lost finalizer of someone else's.
import { mkdir, rm } from 'node:fs/promises';
import {
  clone,
  controllerFor,
  hasFinalizer,
  isConflict,
  isNotFound,
  withFinalizer,
  withoutFinalizer,
  type Manager,
  type Request,
  type Result,
} from '@skiff/client';
import { bucketKind, bucketPath, FINALIZER, type Bucket, type BucketOptions } from '../contract.js';

export function addBucketController(manager: Manager, options: BucketOptions): void {
  const buckets = manager.informers.forResource<Bucket>(bucketKind).lister();

  async function reconcile({ namespace = '', name }: Request): Promise<Result> {
    const client = manager.client.resource<Bucket>(bucketKind, namespace);
    let bucket = buckets.get(namespace, name);
    if (!bucket) return {};
    const path = bucketPath(options.root, { namespace, name });

    if (bucket.metadata.deletionTimestamp) {
      // Not ours to clean up: we never provisioned it (or finished already).
      if (!hasFinalizer(bucket, FINALIZER)) return {};
      await rm(path, { recursive: true, force: true });
      const updated = clone(bucket);
      updated.metadata.finalizers = withoutFinalizer(bucket, FINALIZER);
      try {
        await client.update(updated);
      } catch (err) {
        // Gone already: our cache was behind a removal we (or a retry) made.
        if (!isNotFound(err)) throw err;
      }
      return {};
    }

    if (!hasFinalizer(bucket, FINALIZER)) {
      const updated = clone(bucket);
      updated.metadata.finalizers = withFinalizer(bucket, FINALIZER);
      bucket = await client.update(updated);
    }

    await mkdir(path, { recursive: true });

    if (bucket.status?.path !== path || bucket.status.ready !== true) {
      const updated = clone(bucket);
      updated.status = { path, ready: true };
      await client.updateStatus(updated);
    }
    return {};
  }

  controllerFor(manager)
    .named('bucket')
    .for(bucketKind)
    .complete(async (request) => {
      try {
        return await reconcile(request);
      } catch (err) {
        // Someone wrote the Bucket since our cache saw it: look again at the newer version.
        if (isConflict(err)) return { requeue: true };
        throw err;
      }
    });
}
