// Structural validation: does the object have the right shape and types for its kind? This is
// what Kubernetes' decoder enforces before any semantic rule runs, so it runs first and its
// errors already carry Kubernetes' field paths and wording.
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { FieldError } from '../validation/field-error.js';
import { fieldErrors, FieldPath } from '../validation/field-error.js';
import type { JsonSchema } from './json-schema.js';
import { locate } from './locate.js';
import { schemaFor, schemaKinds } from './registry.js';
import { SHARED_SCHEMAS, withSharedRefs } from './shared-schemas.js';
import { hasNullProperty, isPlainObject, withoutNulls } from './without-nulls.js';

// Go's time.Time accepts RFC 3339 with optional fractional seconds (metav1.Time, MicroTime).
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
// Go's []byte decodes from standard, padded base64.
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

let ajv: Ajv | undefined;
const compiled = new Map<JsonSchema, ValidateFunction>();

/**
 * Ajv itself is loaded on the first validation, not with @skiff/api: every component imports
 * this package, only the apiserver validates, and Ajv is code a process keeps resident (RSS
 * after `import('@skiff/api')` and a GC: 57.0 MB with Ajv, 54.4 MB without).
 */
function loadAjv(): typeof Ajv {
  const require = createRequire(import.meta.url);
  return (require('ajv') as { Ajv: typeof Ajv }).Ajv;
}

// Compiling a schema generates code; doing it once per kind, on first use, keeps startup fast.
// `inlineRefs: false` keeps a `$ref` a call to the referenced schema's one validator instead of
// a copy of its code (./shared-schemas.ts).
function validatorFor(schema: JsonSchema): ValidateFunction {
  ajv ??= newAjv();
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(withSharedRefs(schema));
    compiled.set(schema, validate);
  }
  return validate;
}

function newAjv(): Ajv {
  const created = new (loadAjv())({ allErrors: true, allowUnionTypes: true, inlineRefs: false })
    .addFormat('date-time', rfc3339)
    .addFormat('byte', base64);
  for (const [shared, key] of SHARED_SCHEMAS) created.addSchema(withSharedRefs(shared), key);
  return created;
}

/**
 * Checks an object against its kind's schema. Returns [] when the shape is right. Unknown
 * fields are ignored, as Kubernetes' apiserver ignores them; wrong types, missing required
 * fields and an unknown apiVersion/kind are errors.
 */
export function validateStructure(obj: unknown): FieldError[] {
  if (!isPlainObject(obj)) {
    const body = FieldPath.root('body');
    return [fieldErrors.typeInvalid(body, obj, `body must be of type object: "${jsonType(obj)}"`)];
  }
  const { apiVersion, kind } = obj;
  const typeMetaErrors = [typeMetaError('apiVersion', apiVersion), typeMetaError('kind', kind)];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    return typeMetaErrors.filter((e): e is FieldError => e !== undefined);
  }
  const schema = schemaFor(apiVersion, kind);
  if (!schema) return [unknownKind(apiVersion, kind)];

  // Ajv only reads, so the null-free copy is made only when there are nulls to drop.
  const data = hasNullProperty(obj) ? withoutNulls(obj) : obj;
  const validate = validatorFor(schema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => toFieldError(e, schema, data));
}

function typeMetaError(field: 'apiVersion' | 'kind', value: unknown): FieldError | undefined {
  const path = FieldPath.root(field);
  if (value === undefined || value === null || value === '') return fieldErrors.required(path);
  if (typeof value !== 'string') {
    return fieldErrors.typeInvalid(path, value, typeDetail(path, 'string', value));
  }
  return undefined;
}

function unknownKind(apiVersion: string, kind: string): FieldError {
  const known = schemaKinds();
  const kinds = known.filter((k) => k.apiVersion === apiVersion).map((k) => k.kind);
  if (kinds.length === 0) {
    const versions = [...new Set(known.map((k) => k.apiVersion))];
    return fieldErrors.notSupported(FieldPath.root('apiVersion'), apiVersion, versions);
  }
  return {
    type: 'FieldValueNotSupported',
    field: 'kind',
    badValue: kind,
    detail: `no kind "${kind}" is registered for version "${apiVersion}"; supported values: ${kinds.map((k) => `"${k}"`).join(', ')}`,
  };
}

function toFieldError(error: ErrorObject, schema: JsonSchema, data: unknown): FieldError {
  const { path, value } = locate(schema, data, error.instancePath);
  switch (error.keyword) {
    case 'required':
      return fieldErrors.required(path.child(String(error.params.missingProperty)));
    case 'type':
      return fieldErrors.typeInvalid(path, value, typeDetail(path, error.params.type, value));
    case 'format':
      return fieldErrors.invalid(
        path,
        value,
        `${path} in body must be of type ${String(error.params.format)}: ${JSON.stringify(value)}`,
      );
    case 'minimum':
      return fieldErrors.invalid(
        path,
        value,
        `${path} in body should be greater than or equal to ${String(error.params.limit)}`,
      );
    case 'maximum':
      return fieldErrors.invalid(
        path,
        value,
        `${path} in body should be less than or equal to ${String(error.params.limit)}`,
      );
    default:
      return fieldErrors.invalid(path, value, `${path} in body ${error.message ?? 'is invalid'}`);
  }
}

/** Kubernetes' wording: `spec.replicas in body must be of type integer: "string"`. */
function typeDetail(path: FieldPath, expected: unknown, value: unknown): string {
  const wanted = Array.isArray(expected) ? expected.join(' or ') : String(expected);
  return `${path} in body must be of type ${wanted}: "${jsonType(value)}"`;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
