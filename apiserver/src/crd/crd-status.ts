// What a CRD's status should say, as Kubernetes' naming and establishing controllers decide it:
// each requested name is granted unless another CRD of the same group already holds it (or a
// built-in resource of that group has it); names once granted stay granted. NamesAccepted
// reports conflicts with Kubernetes' reasons, and Established turns True once the names are
// accepted, and stays True. A pure function, so the rules are tested without a server.
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionStatus,
  KindInfo,
} from '@skiff/api';

interface UsedNames {
  /** Plurals, singulars and short names: what a URL or `kubectl get X` may say. */
  readonly resources: Set<string>;
  /** Kinds and list kinds. */
  readonly kinds: Set<string>;
}

function usedNames(
  crd: CustomResourceDefinition,
  others: readonly CustomResourceDefinition[],
  builtins: readonly KindInfo[],
): UsedNames {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const other of others) {
    if (other.spec.group !== crd.spec.group || other.metadata.name === crd.metadata.name) continue;
    const names = other.status?.acceptedNames;
    if (!names) continue;
    for (const n of [names.plural, names.singular, ...(names.shortNames ?? [])]) {
      if (n) resources.add(n);
    }
    for (const k of [names.kind, names.listKind]) if (k) kinds.add(k);
  }
  for (const k of builtins) {
    if (k.group !== crd.spec.group) continue;
    for (const n of [k.resource, k.singular, ...k.shortNames]) resources.add(n);
    kinds.add(k.kind).add(k.listKind);
  }
  return { resources, kinds };
}

/** Kubernetes' rule: a name is fine if it is the one already granted, or nobody else's. */
function conflict(requested: string | undefined, accepted: string | undefined, used: Set<string>) {
  if (!requested || requested === accepted || !used.has(requested)) return undefined;
  return `"${requested}" is already in use`;
}

interface NamesDecision {
  readonly acceptedNames: CustomResourceDefinitionNames;
  readonly reason: string;
  readonly message: string;
}

function decideNames(crd: CustomResourceDefinition, used: UsedNames): NamesDecision {
  const requested = crd.spec.names;
  const accepted = crd.status?.acceptedNames;
  const next: CustomResourceDefinitionNames = { ...(accepted ?? { plural: '', kind: '' }) };
  let failure: { reason: string; message: string } | undefined;
  const check = (
    field: 'plural' | 'singular' | 'kind' | 'listKind',
    reason: string,
    set: Set<string>,
  ): void => {
    const message = conflict(requested[field], accepted?.[field], set);
    if (message) failure ??= { reason, message };
    else if (requested[field] !== undefined) next[field] = requested[field];
  };
  check('plural', 'PluralConflict', used.resources);
  check('singular', 'SingularConflict', used.resources);
  const shortNames = requested.shortNames ?? [];
  const shortConflict = shortNames
    .filter((s) => !(accepted?.shortNames ?? []).includes(s))
    .map((s) => conflict(s, undefined, used.resources))
    .find((m) => m !== undefined);
  if (shortConflict) failure ??= { reason: 'ShortNamesConflict', message: shortConflict };
  else if (requested.shortNames) next.shortNames = shortNames;
  else delete next.shortNames;
  check('kind', 'KindConflict', used.kinds);
  check('listKind', 'ListKindConflict', used.kinds);
  if (requested.categories) next.categories = requested.categories;
  else delete next.categories;
  return {
    acceptedNames: next,
    reason: failure?.reason ?? 'NoConflicts',
    message: failure?.message ?? 'no conflicts found',
  };
}

/** Replaces a condition of the same type; the transition time moves only when status does. */
function setCondition(
  conditions: readonly CustomResourceDefinitionCondition[],
  wanted: CustomResourceDefinitionCondition,
  now: string,
): CustomResourceDefinitionCondition[] {
  const old = conditions.find((c) => c.type === wanted.type);
  const lastTransitionTime =
    old && old.status === wanted.status ? (old.lastTransitionTime ?? now) : now;
  const condition = { ...wanted, lastTransitionTime };
  return old
    ? conditions.map((c) => (c.type === wanted.type ? condition : c))
    : [...conditions, condition];
}

export function desiredCrdStatus(
  crd: CustomResourceDefinition,
  others: readonly CustomResourceDefinition[],
  builtins: readonly KindInfo[],
  now: string,
): CustomResourceDefinitionStatus {
  const names = decideNames(crd, usedNames(crd, others, builtins));
  const accepted = names.reason === 'NoConflicts';
  let conditions = setCondition(
    crd.status?.conditions ?? [],
    {
      type: 'NamesAccepted',
      status: accepted ? 'True' : 'False',
      reason: names.reason,
      message: names.message,
    },
    now,
  );
  const established = conditions.find((c) => c.type === 'Established');
  if (established?.status !== 'True') {
    conditions = setCondition(
      conditions,
      accepted
        ? {
            type: 'Established',
            status: 'True',
            reason: 'InitialNamesAccepted',
            message: 'the initial names have been accepted',
          }
        : {
            type: 'Established',
            status: 'False',
            reason: 'NotAccepted',
            message: 'not all names are accepted',
          },
      now,
    );
  }
  return { ...crd.status, acceptedNames: names.acceptedNames, conditions };
}

export function isEstablished(crd: CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some(
    (c) => c.type === 'Established' && c.status === 'True',
  );
}
