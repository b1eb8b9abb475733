// Which strategy serves which kind. Kinds not listed behave generically: a status subresource
// (from the kinds table) makes the main resource ignore status and /status ignore the rest.
import type { KindInfo } from '@skiff/api';
import type { ServiceAllocators } from '../../allocators/service-ranges.js';
import { CRD_GROUP_RESOURCE } from '../../crd/kinds.js';
import { crdStrategy } from '../../crd/crd-strategy.js';
import { defaultStrategy, type Strategy } from '../strategy.js';
import { deploymentStrategy } from './deployment.js';
import { namespaceStrategy } from './namespace.js';
import { nodeStrategy } from './node.js';
import { podStrategy } from './pod.js';
import { secretStrategy } from './secret.js';
import { serviceStrategy } from './service.js';

export interface StrategyDeps {
  readonly serviceAllocators: ServiceAllocators;
}

/** Kinds a PUT may create, as in Kubernetes: their writers (controllers, kubelets) upsert. */
const createOnUpdate = new Set(['Endpoints', 'Event', 'Lease']);

export function strategyFor(kind: KindInfo, deps: StrategyDeps): Strategy {
  if (kind.group === '') {
    switch (kind.kind) {
      case 'Pod':
        return podStrategy();
      case 'Service':
        return serviceStrategy(kind, deps.serviceAllocators);
      case 'Namespace':
        return namespaceStrategy();
      case 'Node':
        return nodeStrategy();
      case 'Secret':
        return secretStrategy();
    }
  }
  if (kind.group === 'apps' && kind.kind === 'Deployment') return deploymentStrategy();
  if (kind.group === CRD_GROUP_RESOURCE.group && kind.resource === CRD_GROUP_RESOURCE.resource) {
    return crdStrategy();
  }
  const base = defaultStrategy(kind.subresources.includes('status'));
  return createOnUpdate.has(kind.kind) ? { ...base, allowCreateOnUpdate: true } : base;
}
