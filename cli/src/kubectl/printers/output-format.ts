// `-o`: which printer a verb uses, parsed once, with kubectl's error for a format it lacks.
import { UsageError } from '../errors.js';
import { JsonPath, relaxedJsonPath } from './jsonpath.js';

export interface CustomColumn {
  readonly header: string;
  readonly path: JsonPath;
}

export type OutputFormat =
  | { readonly kind: 'human'; readonly wide: boolean }
  | { readonly kind: 'json' }
  | { readonly kind: 'yaml' }
  | { readonly kind: 'name' }
  | { readonly kind: 'jsonpath'; readonly path: JsonPath }
  | { readonly kind: 'custom-columns'; readonly columns: readonly CustomColumn[] };

const allowed = 'custom-columns, json, jsonpath, name, wide, yaml';

export function parseOutputFormat(flag: string | undefined, human = true): OutputFormat {
  if (flag === undefined || flag === '') return { kind: 'human', wide: false };
  const eq = flag.indexOf('=');
  const name = eq < 0 ? flag : flag.slice(0, eq);
  const arg = eq < 0 ? '' : flag.slice(eq + 1);
  switch (name) {
    case 'wide':
      if (human) return { kind: 'human', wide: true };
      break;
    case 'json':
    case 'yaml':
    case 'name':
      return { kind: name };
    case 'jsonpath':
      if (!arg) throw new UsageError('error: template format specified but no template given');
      return { kind: 'jsonpath', path: new JsonPath(arg) };
    case 'custom-columns':
      return { kind: 'custom-columns', columns: customColumns(arg) };
  }
  throw new UsageError(
    `error: unable to match a printer suitable for the output format "${flag}", allowed formats are: ${allowed}`,
  );
}

/** `NAME:.metadata.name,NODE:.spec.nodeName` */
function customColumns(spec: string): CustomColumn[] {
  if (!spec)
    throw new UsageError('error: custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) {
      throw new UsageError(
        `error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`,
      );
    }
    return { header: part.slice(0, colon), path: relaxedJsonPath(part.slice(colon + 1)) };
  });
}
