// ajv's errors in Kubernetes' words. ajv says where with a JSON Pointer (`/spec/items/0/name`);
// Kubernetes prints `spec.items[0].name`, and its custom-resource messages repeat the path:
// `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`.
import { type FieldError, FieldPath, fieldErrors } from '@skiff/api';
import type { ErrorObject } from 'ajv';
import { isPlainObject } from '../../registry/api-object.js';

/** The Kubernetes path of a pointer into `data`, and the value found there. */
function locate(data: unknown, pointer: string): { path: FieldPath; value: unknown } {
  let path = FieldPath.root('');
  let value = data;
  if (pointer === '') return { path, value };
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(value)) {
      const index = Number(segment);
      path = path.index(index);
      value = value[index];
    } else {
      path = path.child(segment);
      value = isPlainObject(value) ? value[segment] : undefined;
    }
  }
  return { path, value };
}

/** JSON's name for a value's type, as Kubernetes reports it. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function param(error: ErrorObject, name: string): unknown {
  return (error.params as Record<string, unknown>)[name];
}

/** One FieldError per ajv error; undefined for errors that only restate another. */
export function toFieldError(error: ErrorObject, data: unknown): FieldError | undefined {
  const { path, value } = locate(data, error.instancePath);
  const inBody = `${path} in body`;
  const limit = String(param(error, 'limit'));
  switch (error.keyword) {
    case 'if':
      // A nullable field's "must match else schema": the failing keyword is reported too.
      return undefined;
    case 'required':
      return fieldErrors.required(path.child(String(param(error, 'missingProperty'))));
    case 'type': {
      const wanted = param(error, 'type');
      const types = Array.isArray(wanted) ? wanted.join(' or ') : String(wanted);
      const actual = jsonType(value);
      return fieldErrors.typeInvalid(
        path,
        actual,
        `${inBody} must be of type ${types}: "${actual}"`,
      );
    }
    case 'enum': {
      const allowed = (param(error, 'allowedValues') as unknown[] | undefined) ?? [];
      return {
        type: 'FieldValueNotSupported',
        field: `${path}`,
        badValue: value,
        detail: `supported values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    }
    case 'minimum':
      return fieldErrors.invalid(
        path,
        value,
        `${inBody} should be greater than or equal to ${limit}`,
      );
    case 'exclusiveMinimum':
      return fieldErrors.invalid(path, value, `${inBody} should be greater than ${limit}`);
    case 'maximum':
      return fieldErrors.invalid(path, value, `${inBody} should be less than or equal to ${limit}`);
    case 'exclusiveMaximum':
      return fieldErrors.invalid(path, value, `${inBody} should be less than ${limit}`);
    case 'minLength':
      return fieldErrors.invalid(path, value, `${inBody} should be at least ${limit} chars long`);
    case 'maxLength':
      return fieldErrors.tooLong(path, Number(param(error, 'limit')));
    case 'minItems':
      return fieldErrors.invalid(path, value, `${inBody} should have at least ${limit} items`);
    case 'maxItems':
      return fieldErrors.tooMany(
        path,
        Array.isArray(value) ? value.length : 0,
        Number(param(error, 'limit')),
      );
    case 'minProperties':
      return fieldErrors.invalid(path, value, `${inBody} should have at least ${limit} properties`);
    case 'maxProperties':
      return fieldErrors.invalid(path, value, `${inBody} should have at most ${limit} properties`);
    case 'pattern':
      return fieldErrors.invalid(
        path,
        value,
        `${inBody} should match '${String(param(error, 'pattern'))}'`,
      );
    case 'format':
      return fieldErrors.invalid(
        path,
        value,
        `${inBody} must be of type ${String(param(error, 'format'))}: ${JSON.stringify(value)}`,
      );
    case 'multipleOf':
      return fieldErrors.invalid(
        path,
        value,
        `${inBody} should be a multiple of ${String(param(error, 'multipleOf'))}`,
      );
    case 'uniqueItems':
      return fieldErrors.invalid(path, value, `${inBody} shouldn't contain duplicates`);
    case 'oneOf':
      return fieldErrors.invalid(
        path,
        value,
        `${inBody} must validate one and only one schema (oneOf)`,
      );
    case 'anyOf':
      return fieldErrors.invalid(
        path,
        value,
        `${inBody} must validate at least one schema (anyOf)`,
      );
    case 'not':
      return fieldErrors.invalid(path, value, `${inBody} must not validate the schema (not)`);
    default:
      return fieldErrors.invalid(path, value, `${inBody} ${error.message ?? 'is invalid'}`);
  }
}
