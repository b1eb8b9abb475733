// Kubernetes names OpenAPI definitions after the Go package and type, reversed-domain style:
// `k8s.io/api/core/v1.Pod` is `io.k8s.api.core.v1.Pod`. The protobuf packages skiff's messages
// live in (`k8s.io.api.core.v1`) carry the same path, so one rule turns a message's full name
// into its definition name; custom resources are named from their group the same way.

/** `.k8s.io.api.core.v1.Probe` → `io.k8s.api.core.v1.Probe`. */
export function definitionNameOfMessage(fullName: string): string {
  const name = fullName.startsWith('.') ? fullName.slice(1) : fullName;
  if (!name.startsWith('k8s.io.')) return name;
  return `io.k8s.${name.slice('k8s.io.'.length)}`;
}

/** `stable.example.com`, `v1`, `CronTab` → `com.example.stable.v1.CronTab`. */
export function definitionNameOfCustomKind(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
export const CRD_DEFINITION =
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition';
