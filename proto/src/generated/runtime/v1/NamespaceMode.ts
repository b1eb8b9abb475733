// Original file: runtime/v1/api.proto

/**
 * How each Linux namespace of a container or sandbox is shared.
 */
export const NamespaceMode = {
  /**
   * Shared by every container of the pod.
   */
  POD: 'POD',
  /**
   * Private to one container.
   */
  CONTAINER: 'CONTAINER',
  /**
   * The node's (host's) namespace.
   */
  NODE: 'NODE',
  /**
   * Another container's namespace, named by NamespaceOption.target_id.
   */
  TARGET: 'TARGET',
} as const;

/**
 * How each Linux namespace of a container or sandbox is shared.
 */
export type NamespaceMode =
  /**
   * Shared by every container of the pod.
   */
  | 'POD'
  | 0
  /**
   * Private to one container.
   */
  | 'CONTAINER'
  | 1
  /**
   * The node's (host's) namespace.
   */
  | 'NODE'
  | 2
  /**
   * Another container's namespace, named by NamespaceOption.target_id.
   */
  | 'TARGET'
  | 3

/**
 * How each Linux namespace of a container or sandbox is shared.
 */
export type NamespaceMode__Output = typeof NamespaceMode[keyof typeof NamespaceMode]
