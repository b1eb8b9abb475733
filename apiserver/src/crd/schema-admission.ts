// A validating admission check on CRDs, beside @skiff/api's rules for their names, group, scope
// and storage version: every version needs a schema, and each schema must compile, with types
// Kubernetes knows. A CRD that passes here is one the apiserver can serve, so a bad regex or a
// typo'd type is the author's 422 rather than a CRD that silently never works.
import {
  apiErrors,
  errorMessage,
  fieldErrors,
  FieldPath,
  type CustomResourceDefinition,
  type FieldError,
  type JSONSchemaProps,
} from '@skiff/api';
import type { ValidatingAdmissionPlugin } from '../admission/types.js';
import { asKind } from '../registry/api-object.js';
import { CRD_GROUP_RESOURCE } from './kinds.js';
import { printerColumnErrors } from './printer-column-errors.js';
import { CompiledSchema } from './schema/compiled-schema.js';

const types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

function typeErrors(schema: JSONSchemaProps, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (schema.type !== undefined && !types.includes(schema.type)) {
    errors.push(fieldErrors.notSupported(path.child('type'), schema.type, types));
  }
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    errors.push(...typeErrors(prop, path.child('properties').key(name)));
  }
  if (schema.items && !Array.isArray(schema.items)) {
    errors.push(...typeErrors(schema.items, path.child('items')));
  }
  if (typeof schema.additionalProperties === 'object') {
    errors.push(...typeErrors(schema.additionalProperties, path.child('additionalProperties')));
  }
  return errors;
}

export function schemaErrors(crd: CustomResourceDefinition): FieldError[] {
  const errors: FieldError[] = [];
  (crd.spec?.versions ?? []).forEach((version, i) => {
    const path = FieldPath.root('spec')
      .child('versions')
      .index(i)
      .child('schema')
      .child('openAPIV3Schema');
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) {
      errors.push(fieldErrors.required(path, 'schemas are required'));
      return;
    }
    const wrongTypes = typeErrors(schema, path);
    errors.push(...wrongTypes);
    if (wrongTypes.length > 0) return;
    try {
      new CompiledSchema(schema);
    } catch (err) {
      errors.push(
        fieldErrors.invalid(path, undefined, `the schema does not compile: ${errorMessage(err)}`),
      );
    }
  });
  return errors;
}

export function crdSchemaAdmission(): ValidatingAdmissionPlugin {
  return {
    name: 'CustomResourceDefinitionSchemas',
    validate(attrs) {
      const { kind, object } = attrs;
      if (kind.group !== CRD_GROUP_RESOURCE.group || kind.resource !== CRD_GROUP_RESOURCE.resource)
        return;
      if (attrs.subresource !== undefined || !object) return;
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      const crd = asKind<CustomResourceDefinition>(object);
      const errors = [...schemaErrors(crd), ...printerColumnErrors(crd)];
      if (errors.length > 0) throw apiErrors.invalid(kind, attrs.name, errors);
    },
  };
}
