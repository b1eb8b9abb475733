// Objects as kubectl prints them with -o yaml (sigs.k8s.io/yaml over go-yaml v2): keys sorted,
// sequences not indented under their key, YAML 1.1's resolution deciding what to quote (so
// `"123"`, `"true"`, `"on"` and timestamps are double-quoted, as go-yaml does), strings plain
// where YAML allows and single-quoted where it does not, multi-line strings as literal blocks,
// long plain strings folded at 80 columns.
import { Document, visit, type Scalar } from 'yaml';

export function yamlText(value: unknown): string {
  const doc = new Document(sortKeys(value), { version: '1.1' });
  const typed = doc.schema.tags.filter(
    (t): t is typeof t & { test: RegExp } => t.default === true && t.test instanceof RegExp,
  );
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value !== 'string') return;
      const text = node.value;
      if (text.includes('\n')) node.type = 'BLOCK_LITERAL';
      else if (text === '' || typed.some((t) => t.test.test(text))) node.type = 'QUOTE_DOUBLE';
      else node.type = 'PLAIN';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 80, minContentWidth: 0, singleQuote: true });
}

/** Go's encoders sort a map's keys; kubectl's JSON and YAML follow. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, sortKeys(record[k])]),
    );
  }
  return value;
}

/**
 * kubectl's -o json: 4-space indent, Go's escaping of <, > and &, and keys sorted as Go sorts a
 * map's (`sorted` false keeps a struct's order the caller built).
 */
export function jsonText(value: unknown, sorted = true): string {
  return `${JSON.stringify(sorted ? sortKeys(value) : value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
