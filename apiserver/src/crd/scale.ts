// The scale subresource of a custom resource: replicas live wherever the CRD says
// (specReplicasPath, statusReplicasPath, labelSelectorPath: simple JSON paths such as
// `.spec.replicas`), shown and changed through an autoscaling/v1 Scale.
import type { CustomResourceSubresources, Scale } from '@skiff/api';
import { type ApiObject, isPlainObject } from '../registry/api-object.js';
import type { ScaleAdapter } from '../registry/strategy.js';

type ScalePaths = NonNullable<CustomResourceSubresources['scale']>;

function fieldsOf(path: string): string[] {
  return path.split('.').filter((p) => p !== '');
}

function read(obj: ApiObject, path: string | undefined): unknown {
  if (!path) return undefined;
  let value: unknown = obj;
  for (const field of fieldsOf(path)) value = isPlainObject(value) ? value[field] : undefined;
  return value;
}

/** A copy of `obj` with `value` at `path`, creating the objects on the way. */
function write(obj: ApiObject, path: string, value: unknown): ApiObject {
  const copy = structuredClone(obj);
  const fields = fieldsOf(path);
  const last = fields.pop();
  if (last === undefined) return copy;
  let target: Record<string, unknown> = copy;
  for (const field of fields) {
    const next = target[field];
    target = isPlainObject(next) ? next : (target[field] = {});
  }
  target[last] = value;
  return copy;
}

const asCount = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) ? value : 0;

export function customResourceScale(paths: ScalePaths): ScaleAdapter {
  return {
    scaleOf(obj): Scale {
      const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
      const selector = read(obj, paths.labelSelectorPath);
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
        spec: { replicas: asCount(read(obj, paths.specReplicasPath)) },
        status: {
          replicas: asCount(read(obj, paths.statusReplicasPath)),
          ...(typeof selector === 'string' ? { selector } : {}),
        },
      };
    },
    withReplicas: (obj, replicas) => write(obj, paths.specReplicasPath, replicas),
  };
}
