// ImageStore's plain TypeScript answers as CRI messages: Image, FilesystemUsage, and the
// registry credentials of a PullImageRequest.
import type { AuthConfig__Output, FilesystemUsage, Image } from '@skiff/proto';
import type { ImageFsInfo, ImageInfo, RegistryAuth } from '../images/index.js';

export function criImage(info: ImageInfo): Image {
  return {
    id: info.id,
    repo_tags: [...info.repoTags],
    repo_digests: [...info.repoDigests],
    size: String(info.size),
    // The image's default user: a numeric uid or a name, as the kubelet's runAsNonRoot check wants.
    ...(info.user.uid !== undefined && { uid: { value: String(info.user.uid) } }),
    username: info.user.username ?? '',
    spec: { image: info.id, annotations: {} },
    pinned: false,
  };
}

/** ImageStatus's verbose info: the image config, as containerd gives it under `info`. */
export function imageVerboseInfo(info: ImageInfo): Record<string, string> {
  return {
    info: JSON.stringify({
      id: info.id,
      manifestDigest: info.manifestDigest,
      imageSpec: { config: info.config },
    }),
  };
}

/** CRI timestamps are nanoseconds since the epoch; the image store measures milliseconds. */
export function msToNs(ms: number): string {
  return String(BigInt(Math.round(ms)) * 1_000_000n);
}

export function criFilesystemUsage(fs: ImageFsInfo): FilesystemUsage {
  return {
    timestamp: msToNs(fs.timestampMs),
    fs_id: { mountpoint: fs.mountpoint },
    used_bytes: { value: String(fs.usedBytes) },
    inodes_used: { value: String(fs.inodesUsed) },
  };
}

/** PullImageRequest.auth as the image store's RegistryAuth; empty fields mean "not given". */
export function registryAuth(auth: AuthConfig__Output | null): RegistryAuth | undefined {
  if (auth === null) return undefined;
  const given = (value: string): string | undefined => (value === '' ? undefined : value);
  const result: RegistryAuth = {
    ...(given(auth.username) !== undefined && { username: auth.username }),
    ...(given(auth.password) !== undefined && { password: auth.password }),
    ...(given(auth.auth) !== undefined && { auth: auth.auth }),
    ...(given(auth.identity_token) !== undefined && { identityToken: auth.identity_token }),
    ...(given(auth.registry_token) !== undefined && { registryToken: auth.registry_token }),
  };
  return Object.keys(result).length === 0 ? undefined : result;
}
