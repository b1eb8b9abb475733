// The kinds-table rows a CustomResourceDefinition adds: one per served version, named by the
// names the CRD was granted (status.acceptedNames), which are what routing, discovery and
// kubectl's short names use.
import {
  allVerbs,
  apiVersionOf,
  type CustomResourceDefinition,
  type CustomResourceDefinitionNames,
  type CustomResourceDefinitionVersion,
  type KindInfo,
  type Subresource,
} from '@skiff/api';

export const CRD_GROUP_RESOURCE = {
  group: 'apiextensions.k8s.io',
  resource: 'customresourcedefinitions',
} as const;

export function storageVersionOf(
  crd: CustomResourceDefinition,
): CustomResourceDefinitionVersion | undefined {
  return crd.spec.versions.find((v) => v.storage);
}

/** Where a CRD's objects live in storage: `<group>/<plural>/…`, apart from built-in resources. */
export function storageResourceOf(crd: CustomResourceDefinition): string {
  return `${crd.spec.group}/${crd.spec.names.plural}`;
}

function subresourcesOf(version: CustomResourceDefinitionVersion): Subresource[] {
  const subresources: Subresource[] = [];
  if (version.subresources?.status !== undefined) subresources.push('status');
  if (version.subresources?.scale !== undefined) subresources.push('scale');
  return subresources;
}

export function kindOfVersion(
  crd: CustomResourceDefinition,
  names: CustomResourceDefinitionNames,
  version: CustomResourceDefinitionVersion,
): KindInfo {
  const group = crd.spec.group;
  return {
    group,
    version: version.name,
    kind: names.kind,
    apiVersion: apiVersionOf(group, version.name),
    listKind: names.listKind || `${names.kind}List`,
    resource: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    namespaced: crd.spec.scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    subresources: subresourcesOf(version),
    // Custom resources answer every verb, as in Kubernetes.
    verbs: allVerbs,
    storageVersion: storageVersionOf(crd)?.name ?? version.name,
  };
}

export function servedVersionsOf(crd: CustomResourceDefinition): CustomResourceDefinitionVersion[] {
  return crd.spec.versions.filter((v) => v.served);
}
