// Original file: runtime/v1/api.proto

import type { MountPropagation as _runtime_v1_MountPropagation, MountPropagation__Output as _runtime_v1_MountPropagation__Output } from '../../runtime/v1/MountPropagation.js';
import type { IDMapping as _runtime_v1_IDMapping, IDMapping__Output as _runtime_v1_IDMapping__Output } from '../../runtime/v1/IDMapping.js';
import type { ImageSpec as _runtime_v1_ImageSpec, ImageSpec__Output as _runtime_v1_ImageSpec__Output } from '../../runtime/v1/ImageSpec.js';

export interface Mount {
  'container_path'?: (string);
  /**
   * Empty when `image` is set: the two are exclusive.
   */
  'host_path'?: (string);
  'readonly'?: (boolean);
  'selinux_relabel'?: (boolean);
  'propagation'?: (_runtime_v1_MountPropagation);
  /**
   * camelCase names are upstream's own and stay that way: they are what JSON and tools show.
   */
  'uidMappings'?: (_runtime_v1_IDMapping)[];
  'gidMappings'?: (_runtime_v1_IDMapping)[];
  /**
   * Requires readonly = true and PROPAGATION_PRIVATE.
   */
  'recursive_read_only'?: (boolean);
  /**
   * Image volume: mount this (already pulled) image read-only instead of a host path.
   */
  'image'?: (_runtime_v1_ImageSpec | null);
  'image_sub_path'?: (string);
}

export interface Mount__Output {
  'container_path': (string);
  /**
   * Empty when `image` is set: the two are exclusive.
   */
  'host_path': (string);
  'readonly': (boolean);
  'selinux_relabel': (boolean);
  'propagation': (_runtime_v1_MountPropagation__Output);
  /**
   * camelCase names are upstream's own and stay that way: they are what JSON and tools show.
   */
  'uidMappings': (_runtime_v1_IDMapping__Output)[];
  'gidMappings': (_runtime_v1_IDMapping__Output)[];
  /**
   * Requires readonly = true and PROPAGATION_PRIVATE.
   */
  'recursive_read_only': (boolean);
  /**
   * Image volume: mount this (already pulled) image read-only instead of a host path.
   */
  'image': (_runtime_v1_ImageSpec__Output | null);
  'image_sub_path': (string);
}
