// Whole objects printed as -o json|yaml|name|jsonpath|custom-columns ask. Several objects (a
// list, or more than one name) print as kubectl's `kind: List`; one named object as itself.
import { alignColumns } from './tabwriter.js';
import type { OutputFormat } from './output-format.js';
import { jsonText, yamlText } from './yaml-text.js';

export interface PrintedObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
}

/** `deployment.apps/web`, `pod/hello`: what -o name prints and many verbs report. */
export function objectName(obj: PrintedObject): string {
  const group = obj.apiVersion?.includes('/') ? obj.apiVersion.split('/')[0] : '';
  const kind = (obj.kind ?? '').toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${obj.metadata?.name ?? ''}`;
}

export function asList(items: readonly unknown[]): unknown {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export function objectsText(
  objects: readonly PrintedObject[],
  format: Exclude<OutputFormat, { kind: 'human' }>,
  single: boolean,
): string {
  const whole = single && objects.length === 1 ? objects[0] : asList(objects);
  switch (format.kind) {
    case 'json':
      return jsonText(whole);
    case 'yaml':
      return yamlText(whole);
    case 'name':
      return objects.map((o) => `${objectName(o)}\n`).join('');
    case 'jsonpath':
      return format.path.execute(whole);
    case 'custom-columns': {
      const header = format.columns.map((c) => c.header).join('\t');
      const rows = objects.map((o) =>
        format.columns
          .map((c) => {
            const values = c.path.values(o);
            return values.length === 0
              ? '<none>'
              : values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',');
          })
          .join('\t'),
      );
      return alignColumns([header, ...rows].map((l) => `${l}\n`).join(''));
    }
  }
}
