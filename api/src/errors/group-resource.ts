// How Kubernetes names a resource or a kind in error messages: `pods`, `deployments.apps`,
// `Pod`, `Deployment.apps` (schema.GroupResource and schema.GroupKind).

export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

export function qualifiedResource({ group, resource }: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

export function qualifiedKind({ group, kind }: GroupKind): string {
  return group ? `${kind}.${group}` : kind;
}
