// What every cluster has from its first start: the system namespaces and the `default/kubernetes`
// Service (the in-cluster address of the apiserver, on the first IP of the service range, as
// in Kubernetes). Idempotent: run at every start, it only creates what is missing.
import type { KindInfo } from '@skiff/api';
import { SYSTEM_NAMESPACES } from '../admission/namespace-lifecycle.js';
import { kubernetesServiceIp } from '../allocators/service-ranges.js';
import { isAlreadyExists } from '@skiff/api';
import type { Registries } from '../http/scope.js';
import type { ApiObject } from '../registry/api-object.js';

const coreKind = (registries: Registries, resource: string): KindInfo =>
  registries.forKind({ group: '', resource }).kind;

async function createIfMissing(
  registries: Registries,
  resource: string,
  obj: ApiObject,
): Promise<void> {
  const registry = registries.forKind({ group: '', resource });
  if (await registry.find(obj.metadata.namespace, obj.metadata.name ?? '')) return;
  try {
    await registry.create(obj);
  } catch (err) {
    // Another apiserver on the same store got there first.
    if (isAlreadyExists(err)) return;
    throw err;
  }
}

export async function bootstrapCluster(
  registries: Registries,
  options: { serviceCidr: string; apiserverPort: number },
): Promise<void> {
  const nsKind = coreKind(registries, 'namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    await createIfMissing(registries, 'namespaces', {
      apiVersion: nsKind.apiVersion,
      kind: nsKind.kind,
      metadata: { name },
    });
  }
  await createIfMissing(registries, 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: kubernetesServiceIp(options.serviceCidr),
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: options.apiserverPort }],
      sessionAffinity: 'None',
    },
  });
}
