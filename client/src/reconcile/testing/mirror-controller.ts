// A small, complete controller for the runtime's own tests: every ConfigMap labelled
// `mirror=true` gets a copy named `<name>-mirror` beside it, controlled by the original. It is
// level-triggered (it compares the copy with what it should be, whatever changed), owns its
// copies (tampering with or deleting a copy wakes the original's reconcile) and, with no
// garbage collector in these tests, deletes the copy itself when the original goes.
import type { ConfigMap } from '@skiff/api';
import { clone } from '../../informers/index.js';
import { isNotFound, type Client } from '../../rest/index.js';
import { controllerFor } from '../builder.js';
import type { Controller } from '../controller.js';
import type { Manager } from '../manager.js';
import { controllerReference, isControlledBy } from '../owner-references.js';
import type { Request, Result } from '../reconciler.js';

export const MIRROR_LABEL = 'mirror';

export function mirrorName(name: string): string {
  return `${name}-mirror`;
}

export function addMirrorController(
  manager: Manager,
  onReconcile?: (r: Request) => void,
): Controller {
  const configMaps = manager.informers.core.v1.configMaps().lister();
  const client: Client = manager.client;
  return controllerFor(manager)
    .named('mirror')
    .for('configMaps')
    .owns('configMaps')
    .complete(async (request): Promise<Result> => {
      onReconcile?.(request);
      const namespace = request.namespace ?? '';
      // The copies are themselves ConfigMaps: their own requests have nothing to do.
      if (request.name.endsWith('-mirror')) return {};
      const original = configMaps.get(namespace, request.name);
      const copy = configMaps.get(namespace, mirrorName(request.name));
      const wanted = original?.metadata?.labels?.[MIRROR_LABEL] === 'true';
      if (!original || !wanted) {
        if (copy && (!original || isControlledBy(copy, original))) {
          await client
            .configMaps(namespace)
            .delete(mirrorName(request.name))
            .catch((err: unknown) => {
              if (!isNotFound(err)) throw err;
            });
        }
        return {};
      }
      if (!copy) {
        await client.configMaps(namespace).create(desiredCopy(original));
        return {};
      }
      if (JSON.stringify(copy.data ?? {}) !== JSON.stringify(original.data ?? {})) {
        // Cached objects are frozen: clone, then write the copy.
        const updated = clone(copy);
        updated.data = { ...original.data };
        await client.configMaps(namespace).update(updated);
      }
      return {};
    });
}

function desiredCopy(original: Readonly<ConfigMap>): ConfigMap {
  return {
    metadata: {
      name: mirrorName(original.metadata?.name ?? ''),
      namespace: original.metadata?.namespace,
      ownerReferences: [controllerReference(original)],
    },
    data: { ...original.data },
  };
}
