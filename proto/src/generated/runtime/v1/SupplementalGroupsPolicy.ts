// Original file: runtime/v1/api.proto

export const SupplementalGroupsPolicy = {
  /**
   * Add the image's /etc/group memberships to the requested groups.
   */
  Merge: 'Merge',
  /**
   * Use only the requested groups.
   */
  Strict: 'Strict',
} as const;

export type SupplementalGroupsPolicy =
  /**
   * Add the image's /etc/group memberships to the requested groups.
   */
  | 'Merge'
  | 0
  /**
   * Use only the requested groups.
   */
  | 'Strict'
  | 1

export type SupplementalGroupsPolicy__Output = typeof SupplementalGroupsPolicy[keyof typeof SupplementalGroupsPolicy]
