// meta/v1 schemas shared by every kind.
import { arrayOf, bool, int64, mapOf, obj, str, stringMap, strings, time } from './json-schema.js';
import type { JsonSchema } from './json-schema.js';

export const ownerReference = obj(
  {
    apiVersion: str,
    kind: str,
    name: str,
    uid: str,
    controller: bool,
    blockOwnerDeletion: bool,
  },
  ['apiVersion', 'kind', 'name', 'uid'],
);

export const objectMeta = obj({
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int64,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: int64,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: arrayOf(ownerReference),
  finalizers: strings,
  managedFields: arrayOf(mapOf({})),
});

export const labelSelector = obj({
  matchLabels: stringMap,
  matchExpressions: arrayOf(obj({ key: str, operator: str, values: strings }, ['key', 'operator'])),
});

/** The condition shape most kinds use: type and status required, the rest optional. */
export function conditionsWith(times: string[]): JsonSchema {
  const timeFields = Object.fromEntries(times.map((t) => [t, time]));
  return arrayOf(
    obj(
      {
        type: str,
        status: str,
        observedGeneration: int64,
        reason: str,
        message: str,
        ...timeFields,
      },
      ['type', 'status'],
    ),
  );
}

export const conditions = conditionsWith(['lastTransitionTime']);

/**
 * A stored kind: apiVersion and kind are what route the object to this schema, so they are
 * the only top-level fields every object must carry.
 */
export function topLevel(
  properties: Record<string, JsonSchema>,
  required: string[] = [],
): JsonSchema {
  return obj({ apiVersion: str, kind: str, metadata: objectMeta, ...properties }, [
    'apiVersion',
    'kind',
    ...required,
  ]);
}

/** core/v1 ObjectReference; here because events, endpoints and bindings all point with it. */
export const objectReference = obj({
  kind: str,
  namespace: str,
  name: str,
  uid: str,
  apiVersion: str,
  resourceVersion: str,
  fieldPath: str,
});
