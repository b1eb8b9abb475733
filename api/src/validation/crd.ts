// CustomResourceDefinitions. The CRD's name is `<plural>.<group>` so that it is also the
// resource's URL and discovery key; names are DNS-1035 labels because they appear in URLs,
// and exactly one version is the one objects are stored in.
import type { CustomResourceDefinition, CustomResourceDefinitionNames } from '../types/index.js';
import { isDNS1035Label, isDNS1123Subdomain } from './dns.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { isEmpty, validateImmutableField } from './generic.js';
import {
  type NameValidator,
  nameIsDNSSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.js';

const specPath = FieldPath.root('spec');
const scopes = ['Cluster', 'Namespaced'];

function validateNames(
  names: CustomResourceDefinitionNames | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const n = names ?? { plural: '', kind: '' };
  const label = (value: string | undefined, field: string, lower = false, prefix = ''): void => {
    if (isEmpty(value)) return;
    const msgs = isDNS1035Label(lower ? value.toLowerCase() : value);
    if (msgs.length > 0)
      errs.push(fieldErrors.invalid(path.child(field), value, prefix + msgs.join(',')));
  };
  if (isEmpty(n.plural)) errs.push(fieldErrors.required(path.child('plural')));
  if (isEmpty(n.kind)) errs.push(fieldErrors.required(path.child('kind')));
  label(n.plural, 'plural');
  label(n.singular, 'singular');
  label(n.kind, 'kind', true, 'may have mixed case, but should otherwise match: ');
  label(n.listKind, 'listKind', true, 'may have mixed case, but should otherwise match: ');
  (n.shortNames ?? []).forEach((s, i) => {
    const msgs = isDNS1035Label(s);
    if (msgs.length > 0)
      errs.push(fieldErrors.invalid(path.child('shortNames').index(i), s, msgs.join(',')));
  });
  if (!isEmpty(n.kind) && n.kind === n.listKind) {
    errs.push(
      fieldErrors.invalid(
        path.child('listKind'),
        n.listKind,
        'kind and listKind may not be the same',
      ),
    );
  }
  return errs;
}

export function validateCustomResourceDefinition(crd: CustomResourceDefinition): FieldError[] {
  const spec = crd.spec;
  const expectedName = `${spec?.names?.plural ?? ''}.${spec?.group ?? ''}`;
  const nameFn: NameValidator = (name, prefix) => {
    const msgs = nameIsDNSSubdomain(name, prefix);
    if (!prefix && name !== expectedName) msgs.push('must be spec.names.plural+"."+spec.group');
    return msgs;
  };
  const errs = validateObjectMeta(crd.metadata, { namespaced: false, nameFn });

  const group = spec?.group ?? '';
  if (group === '') errs.push(fieldErrors.required(specPath.child('group')));
  else {
    const msgs = isDNS1123Subdomain(group);
    if (msgs.length > 0)
      errs.push(fieldErrors.invalid(specPath.child('group'), group, msgs.join(',')));
    else if (!group.includes('.')) {
      errs.push(
        fieldErrors.invalid(
          specPath.child('group'),
          group,
          'should be a domain with at least one dot',
        ),
      );
    }
  }
  const scope = spec?.scope as string | undefined;
  if (isEmpty(scope)) errs.push(fieldErrors.required(specPath.child('scope')));
  else if (!scopes.includes(scope))
    errs.push(fieldErrors.notSupported(specPath.child('scope'), scope, scopes));

  errs.push(...validateNames(spec?.names, specPath.child('names')));

  const versions = spec?.versions ?? [];
  const versionsPath = specPath.child('versions');
  if (versions.length === 0) errs.push(fieldErrors.required(versionsPath));
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const msgs = isDNS1035Label(v.name ?? '');
    if (msgs.length > 0)
      errs.push(fieldErrors.invalid(versionsPath.index(i).child('name'), v.name, msgs.join(',')));
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
  });
  if (!unique)
    errs.push(fieldErrors.invalid(versionsPath, versions, 'must contain unique version names'));
  const storage = versions.filter((v) => v.storage).length;
  if (versions.length > 0 && storage !== 1) {
    errs.push(
      fieldErrors.invalid(
        versionsPath,
        versions,
        'must have exactly one version marked as storage version',
      ),
    );
  }
  return errs;
}

export function validateCustomResourceDefinitionUpdate(
  next: CustomResourceDefinition,
  prev: CustomResourceDefinition,
): FieldError[] {
  return [
    ...validateObjectMetaUpdate(next.metadata, prev.metadata),
    ...validateCustomResourceDefinition(next),
    ...validateImmutableField(next.spec?.group, prev.spec?.group, specPath.child('group')),
    ...validateImmutableField(
      next.spec?.names?.plural,
      prev.spec?.names?.plural,
      specPath.child('names').child('plural'),
    ),
    ...validateImmutableField(next.spec?.scope, prev.spec?.scope, specPath.child('scope')),
  ];
}
