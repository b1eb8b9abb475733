// What the tests and your code agree on. Do not change this file.
import { join } from 'node:path';
import type { ObjectMeta } from '@skiff/api';
import type { CustomKind, Manager } from '@skiff/client';

export interface Bucket {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { description?: string };
  status?: {
    /** Where the bucket's storage is (bucketPath). */
    path?: string;
    /** True once the storage exists. */
    ready?: boolean;
  };
}

export const bucketKind = {
  group: 'exercises.skiff.dev',
  version: 'v1',
  resource: 'buckets',
  kind: 'Bucket',
} as const satisfies CustomKind;

export const BUCKET_CRD = new URL('./bucket-crd.yaml', import.meta.url);

/** The finalizer that makes a Bucket's deletion wait for its storage to be removed. */
export const FINALIZER = 'exercises.skiff.dev/bucket-storage';

export interface BucketOptions {
  /** The "storage service": each bucket is the directory bucketPath(root, bucket). */
  readonly root: string;
}

export function bucketPath(root: string, bucket: { namespace: string; name: string }): string {
  return join(root, bucket.namespace, bucket.name);
}

/** Registers the bucket controller with `manager` (which the caller starts). */
export type AddBucketController = (manager: Manager, options: BucketOptions) => void;
