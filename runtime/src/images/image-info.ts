// What the image service tells its callers about an image: the index record plus what the CRI
// Image message needs from the config (the default user), in plain TypeScript types.
import type { Digest } from './digest.js';
import type { ImageRecord } from './image-records.js';
import type { ImageRuntimeConfig } from './oci-types.js';

export interface ImageUser {
  /** Set when the config's User is numeric (`1000` or `1000:1000`). */
  readonly uid?: number;
  /** Set when it is a name (`nginx` or `nginx:nginx`); neither is set for root by default. */
  readonly username?: string;
}

export interface ImageInfo {
  /** Image ID: the config digest. */
  readonly id: Digest;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  readonly size: number;
  readonly manifestDigest: Digest;
  readonly user: ImageUser;
  /** Entrypoint, Cmd, Env, WorkingDir, User, ExposedPorts, Labels, … from the image config. */
  readonly config: ImageRuntimeConfig;
  readonly createdAt: number;
}

export function imageInfo(record: ImageRecord, config: ImageRuntimeConfig): ImageInfo {
  return {
    id: record.id,
    repoTags: record.repoTags,
    repoDigests: record.repoDigests,
    size: record.size,
    manifestDigest: record.manifestDigest,
    user: imageUser(config.User),
    config,
    createdAt: record.createdAt,
  };
}

/** Splits Docker's `user[:group]` into a numeric uid or a user name, as CRI reports it. */
export function imageUser(user: string | undefined): ImageUser {
  const name = (user ?? '').split(':')[0] ?? '';
  if (name === '') return {};
  return /^[0-9]+$/.test(name) ? { uid: Number(name) } : { username: name };
}
