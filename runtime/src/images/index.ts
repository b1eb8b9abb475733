// Public surface of the image service: what the CRI layer (ImageService) and the container side
// (rootfs from layers, process from config) use. Everything else in this folder is internal.
export {
  ImageStore,
  type ImageFsInfo,
  type ImageStoreOptions,
  type ImportOptions,
  type PullOptions,
} from './image-store.js';
export { imageUser, type ImageInfo, type ImageUser } from './image-info.js';
export { ImageError, isImageError, type ImageErrorCode } from './errors.js';
export { formatReference, parseReference, repositoryOf, type ImageReference } from './reference.js';
export type { Digest } from './digest.js';
export type { ImageRuntimeConfig, Platform } from './oci-types.js';
export type { RegistryAuth } from './pull/registry-client.js';
export { DEMO_IMAGE, PAUSE_IMAGE, PAUSE_SCRIPT } from './demo/demo-images.js';
