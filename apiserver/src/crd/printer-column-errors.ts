// CRD admission for additionalPrinterColumns, with Kubernetes' rules and messages: a name, a
// known type and format, and a jsonPath starting with ".". Kubernetes checks only that prefix
// up front and fails later, when it builds the CRD's table converter, on a path it cannot
// parse; here such a path is refused with the CRD (422 at its field path), so a CRD that is
// accepted is one whose tables can always be printed.
import { FieldPath, fieldErrors, type CustomResourceDefinition, type FieldError } from '@skiff/api';
import { JsonPathError, parseJsonPath } from './jsonpath/parse.js';

const types = ['boolean', 'date', 'integer', 'number', 'string'];
const formats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

export function printerColumnErrors(crd: CustomResourceDefinition): FieldError[] {
  const errors: FieldError[] = [];
  (crd.spec?.versions ?? []).forEach((version, i) => {
    (version.additionalPrinterColumns ?? []).forEach((column, j) => {
      const path = FieldPath.root('spec')
        .child('versions')
        .index(i)
        .child('additionalPrinterColumns')
        .index(j);
      if (!column.name) errors.push(fieldErrors.required(path.child('name'), ''));
      if (!column.type) {
        errors.push(fieldErrors.required(path.child('type'), `must be one of ${types.join(',')}`));
      } else if (!types.includes(column.type)) {
        errors.push(
          fieldErrors.invalid(path.child('type'), column.type, `must be one of ${types.join(',')}`),
        );
      }
      if (column.format && !formats.includes(column.format)) {
        errors.push(
          fieldErrors.invalid(
            path.child('format'),
            column.format,
            `must be one of ${formats.join(',')}`,
          ),
        );
      }
      errors.push(...jsonPathErrors(column.jsonPath, path.child('jsonPath')));
    });
  });
  return errors;
}

function jsonPathErrors(jsonPath: string | undefined, path: FieldPath): FieldError[] {
  if (!jsonPath) return [fieldErrors.required(path, '')];
  if (!jsonPath.startsWith('.')) {
    return [fieldErrors.invalid(path, jsonPath, 'must be a simple json path starting with .')];
  }
  try {
    parseJsonPath(jsonPath);
    return [];
  } catch (err) {
    if (!(err instanceof JsonPathError)) throw err;
    return [fieldErrors.invalid(path, jsonPath, `unrecognized column definition: ${err.message}`)];
  }
}
