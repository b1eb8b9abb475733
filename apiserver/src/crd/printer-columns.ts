// The Table columns of a custom resource version, from its CRD's additionalPrinterColumns, the
// way Kubernetes builds them: Name first, then the defined columns in order (priority > 0 only
// shows with `kubectl get -o wide`); a version that defines none gets Age. Each cell is the
// column's JSONPath result formatted by the column's type; a value that is missing, or not of
// that type, is a null cell, which kubectl prints as <none>.
import type { CustomResourceColumnDefinition } from '@skiff/api';
import type { ApiObject } from '../registry/api-object.js';
import type { Column } from '../http/table/columns.js';
import { humanDuration } from '@skiff/api';
import { evaluateJsonPath } from './jsonpath/evaluate.js';
import { parseJsonPath } from './jsonpath/parse.js';

const nameColumn: Column = {
  definition: {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace.',
    priority: 0,
  },
  cell: (obj) => obj.metadata.name ?? '',
};

/** What Kubernetes shows for a version without printer columns. */
const defaultColumns: CustomResourceColumnDefinition[] = [
  {
    name: 'Age',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
  },
];

/**
 * The columns for a version's definitions. Paths are parsed here, once per CRD generation; CRD
 * admission (./printer-column-errors.ts) has refused any that do not parse, so this throws only
 * for a CRD stored before that check existed.
 */
export function printerColumns(
  definitions: readonly CustomResourceColumnDefinition[] = [],
): Column[] {
  const defined = definitions.length > 0 ? definitions : defaultColumns;
  return [nameColumn, ...defined.map(printerColumn)];
}

function printerColumn(def: CustomResourceColumnDefinition): Column {
  const steps = parseJsonPath(def.jsonPath);
  return {
    definition: {
      name: def.name,
      type: def.type,
      format: def.format ?? '',
      description:
        def.description ||
        `Custom resource definition column (in JSONPath format): ${def.jsonPath}`,
      priority: def.priority ?? 0,
    },
    cell: (obj: ApiObject, now: number) => cellOf(def.type, evaluateJsonPath(steps, obj), now),
  };
}

/** A cell from a path's results, as Kubernetes converts them for each column type. */
export function cellOf(type: string, results: readonly unknown[], now: number): unknown {
  const [value] = results;
  if (value === undefined || value === null) return null;
  switch (type) {
    // A string column prints whatever it finds (every match of a `[*]` path, space-separated).
    case 'string':
      return results.map(asText).join(' ');
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? age(value, now) : null;
    default:
      return null;
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function age(timestamp: string, now: number): string {
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return '<invalid>';
  return humanDuration(now - time);
}
