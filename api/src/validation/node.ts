// Nodes: registered by kubelets. Taints must be well-formed and unique per key and effect;
// capacity figures must be valid, non-negative quantities.
import { isQualifiedName, isValidLabelValue } from '../labels/label-validation.js';
import type { Node, ResourceList } from '../types/index.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { invalidEach, isEmpty } from './generic.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validateQuantity } from './resources.js';
import { isNegativeErrorMsg } from './messages.js';

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTaints(node: Node): FieldError[] {
  const path = FieldPath.root('spec').child('taints');
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (node.spec?.taints ?? []).forEach((t, i) => {
    const idx = path.index(i);
    if (isEmpty(t.key)) errs.push(fieldErrors.required(idx.child('key')));
    else errs.push(...invalidEach(idx.child('key'), t.key, isQualifiedName(t.key)));
    if (t.value !== undefined)
      errs.push(...invalidEach(idx.child('value'), t.value, isValidLabelValue(t.value)));
    if (isEmpty(t.effect)) errs.push(fieldErrors.required(idx.child('effect')));
    else if (!taintEffects.includes(t.effect))
      errs.push(fieldErrors.notSupported(idx.child('effect'), t.effect, taintEffects));
    const key = `${t.key}:${t.effect}`;
    if (seen.has(key)) {
      errs.push(fieldErrors.invalid(idx, t, 'taints must be unique by key and effect pair'));
    }
    seen.add(key);
  });
  return errs;
}

function validateResourceList(list: ResourceList | undefined, path: FieldPath): FieldError[] {
  return Object.entries(list ?? {}).flatMap(([name, raw]) => {
    const p = path.key(name);
    const { quantity, errors } = validateQuantity(raw, p);
    if (quantity && quantity.sign() < 0)
      errors.push(fieldErrors.invalid(p, quantity.toString(), isNegativeErrorMsg));
    return [...invalidEach(p, name, isQualifiedName(name)), ...errors];
  });
}

export function validateNode(node: Node): FieldError[] {
  const status = FieldPath.root('status');
  return [
    ...validateObjectMeta(node.metadata, { namespaced: false, nameFn: nameIsDNSSubdomain }),
    ...validateTaints(node),
    ...validateResourceList(node.status?.capacity, status.child('capacity')),
    ...validateResourceList(node.status?.allocatable, status.child('allocatable')),
  ];
}

/** A node's podCIDRs are assigned once; other fields may change. */
export function validateNodeUpdate(next: Node, prev: Node): FieldError[] {
  const errs = [...validateObjectMetaUpdate(next.metadata, prev.metadata), ...validateNode(next)];
  const prevCIDRs = prev.spec?.podCIDRs ?? [];
  const nextCIDRs = next.spec?.podCIDRs ?? [];
  if (prevCIDRs.length > 0 && JSON.stringify(prevCIDRs) !== JSON.stringify(nextCIDRs)) {
    errs.push(
      fieldErrors.forbidden(
        FieldPath.root('spec').child('podCIDRs'),
        'node updates may not change podCIDR except from "" to valid',
      ),
    );
  }
  return errs;
}
