// Handlers for named objects are only routed with a name; this narrows the type and guards
// against a routing mistake turning into a request for the object named "undefined".
import { apiErrors } from '@skiff/api';
import type { ResourceScope } from '../scope.js';

export function requireName(scope: ResourceScope): string {
  const name = scope.info.name;
  if (name === undefined) throw apiErrors.pathNotFound();
  return name;
}

/** Creating a namespaced object needs a namespace in the URL (`/api/v1/pods` only lists). */
export function requireNamespace(scope: ResourceScope): string | undefined {
  if (scope.info.kind.namespaced && scope.info.namespace === undefined) {
    throw apiErrors.methodNotSupported(
      scope.registry.groupResource,
      (scope.req.method ?? '').toLowerCase(),
    );
  }
  return scope.info.namespace;
}
