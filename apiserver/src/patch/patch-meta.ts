// Strategic merge patch metadata for the built-in kinds: the `patchStrategy` and `patchMergeKey`
// struct tags of Kubernetes' Go types (k8s.io/api core/v1, apps/v1, and ObjectMeta in
// apimachinery meta/v1), copied as facts. A field missing from this table has no tag: maps still
// merge key by key, but its lists are atomic and a patch replaces them whole (tolerations, envFrom,
// containerStatuses, taints, endpoint subsets, command, args, …).
import { builtinKinds, subresourceBodyKinds } from '@skiff/api';

export interface FieldPatchMeta {
  /** `merge`: a list merges element by element (by mergeKey, or as a set of primitives). */
  readonly strategy?: 'merge' | 'replace';
  /** Set for fields tagged `retainKeys`; the client builds `$retainKeys` from it (kubectl apply). */
  readonly retainKeys?: true;
  /** The element field that identifies a list element (`name` for containers). */
  readonly mergeKey?: string;
  /** Metadata of the field's value; for a list, of each element. */
  readonly fields?: StructPatchMeta;
}

export type StructPatchMeta = Readonly<Record<string, FieldPatchMeta>>;

const noMeta: FieldPatchMeta = {};

/** The metadata of one field of a struct; unknown fields (and map entries) have none. */
export function fieldMeta(struct: StructPatchMeta | undefined, field: string): FieldPatchMeta {
  return struct !== undefined && Object.hasOwn(struct, field) ? (struct[field] ?? noMeta) : noMeta;
}

const mergeBy = (mergeKey: string, fields?: StructPatchMeta): FieldPatchMeta => ({
  strategy: 'merge',
  mergeKey,
  ...(fields ? { fields } : {}),
});

const conditionsByType = { conditions: mergeBy('type') };

/** ObjectMeta's tags: every kind's metadata, custom resources' included. */
export const objectMeta: StructPatchMeta = {
  finalizers: { strategy: 'merge' },
  ownerReferences: mergeBy('uid'),
};

// Container and EphemeralContainerCommon carry the same tags.
const container = mergeBy('name', {
  ports: mergeBy('containerPort'),
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
});

const podSpec: StructPatchMeta = {
  volumes: { strategy: 'merge', retainKeys: true, mergeKey: 'name' },
  initContainers: container,
  containers: container,
  ephemeralContainers: container,
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: mergeBy('topologyKey'),
  schedulingGates: mergeBy('name'),
  resourceClaims: { strategy: 'merge', retainKeys: true, mergeKey: 'name' },
};

const podStatus: StructPatchMeta = {
  ...conditionsByType,
  podIPs: mergeBy('ip'),
  hostIPs: mergeBy('ip'),
  resourceClaimStatuses: { strategy: 'merge', retainKeys: true, mergeKey: 'name' },
};

const podTemplateSpec: StructPatchMeta = {
  metadata: { fields: objectMeta },
  spec: { fields: podSpec },
};

const withMeta = (fields: StructPatchMeta = {}): StructPatchMeta => ({
  metadata: { fields: objectMeta },
  ...fields,
});

/** Kinds whose fields carry tags beyond ObjectMeta's, keyed by `apiVersion/kind`. */
const taggedKinds: Readonly<Record<string, StructPatchMeta>> = {
  'v1/Pod': withMeta({ spec: { fields: podSpec }, status: { fields: podStatus } }),
  'v1/Service': withMeta({
    spec: { fields: { ports: mergeBy('port') } },
    status: { fields: conditionsByType },
  }),
  'v1/Node': withMeta({
    spec: { fields: { podCIDRs: { strategy: 'merge' } } },
    status: { fields: { ...conditionsByType, addresses: mergeBy('type') } },
  }),
  'v1/Namespace': withMeta({ status: { fields: conditionsByType } }),
  'apps/v1/Deployment': withMeta({
    spec: {
      fields: {
        template: { fields: podTemplateSpec },
        strategy: { retainKeys: true },
      },
    },
    status: { fields: conditionsByType },
  }),
  'apps/v1/ReplicaSet': withMeta({
    spec: { fields: { template: { fields: podTemplateSpec } } },
    status: { fields: conditionsByType },
  }),
};

const builtin = new Set(
  [...builtinKinds, ...subresourceBodyKinds].map((k) => `${k.apiVersion}/${k.kind}`),
);

/**
 * The patch metadata of a kind's top-level fields, or undefined for a kind that is not built in
 * (a custom resource), for which Kubernetes does not support strategic merge patch at all.
 */
export function patchMetaForKind(apiVersion: string, kind: string): StructPatchMeta | undefined {
  const key = `${apiVersion}/${kind}`;
  if (Object.hasOwn(taggedKinds, key)) return taggedKinds[key];
  return builtin.has(key) ? withMeta() : undefined;
}
