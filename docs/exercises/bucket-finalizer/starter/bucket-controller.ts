// Exercise: external storage behind a finalizer. Read ../README.md, then make
// ../bucket-controller.test.ts pass:
//
//   npx -y pnpm@10 exercise bucket-finalizer
//
// This starter compiles and runs, and does nothing useful: it looks at each Bucket and leaves it.
import { controllerFor, type Manager, type Request, type Result } from '@skiff/client';
import { bucketKind, type Bucket, type BucketOptions } from '../contract.js';

export function addBucketController(manager: Manager, options: BucketOptions): void {
  const buckets = manager.informers.forResource<Bucket>(bucketKind).lister();

  controllerFor(manager)
    .named('bucket')
    .for(bucketKind)
    .complete(async ({ namespace = '', name }: Request): Promise<Result> => {
      const bucket = buckets.get(namespace, name);
      // TODO: provision the storage (bucketPath(options.root, …)) for a live Bucket, and clean
      // it up before a deleted Bucket may go. Every step must be safe to repeat.
      void bucket;
      void options;
      return {};
    });
}
