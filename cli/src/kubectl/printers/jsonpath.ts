// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath): literal text with `{…}`
// expressions — fields `.a.b` (dots in keys escaped `\.`), `['a.b']`, indexes `[0]`, `[-1]`,
// slices `[1:3]`, `[*]`, recursive `..name`, filters `[?(@.status.phase=="Running")]`, quoted
// text `{"\n"}`, `{range .items[*]}…{end}`. Several results of one expression print separated
// by spaces; a string prints as is, anything else as JSON. A missing key prints nothing
// (kubectl's default --allow-missing-template-keys=true).
import { sortKeys } from './yaml-text.js';

type Segment =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'recursive'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'slice'; readonly start?: number; readonly end?: number }
  | {
      readonly kind: 'filter';
      readonly path: Segment[];
      readonly op?: string;
      readonly value?: unknown;
    };

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'path'; readonly root: 'current'; readonly segments: Segment[] }
  | { readonly kind: 'range'; readonly segments: Segment[]; readonly body: Node[] };

export class JsonPathError extends Error {
  constructor(template: string, why: string) {
    super(`error parsing jsonpath ${template}, ${why}`);
    this.name = 'JsonPathError';
  }
}

export class JsonPath {
  private readonly nodes: Node[];

  constructor(readonly template: string) {
    this.nodes = parseTemplate(template);
  }

  /** The template applied to data. */
  execute(data: unknown): string {
    return run(this.nodes, data);
  }

  /** The values of the template's single expression (for --sort-by and custom-columns). */
  values(data: unknown): unknown[] {
    const path = this.nodes.find((n) => n.kind === 'path');
    return path && path.kind === 'path' ? evaluate(path.segments, [data]) : [];
  }
}

/** kubectl's relaxed form for --sort-by and custom-columns: `.a.b`, `a.b` or `{.a.b}`. */
export function relaxedJsonPath(expression: string): JsonPath {
  const inner = expression.replace(/^\{(.*)\}$/, '$1');
  return new JsonPath(`{${inner.startsWith('.') || inner.startsWith('[') ? '' : '.'}${inner}}`);
}

function run(nodes: readonly Node[], data: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'path') out += evaluate(node.segments, [data]).map(print).join(' ');
    else for (const item of evaluate(node.segments, [data])) out += run(node.body, item);
  }
  return out;
}

function print(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(sortKeys(value));
}

function evaluate(segments: readonly Segment[], start: unknown[]): unknown[] {
  let values = start;
  for (const segment of segments) values = values.flatMap((v) => step(segment, v));
  return values;
}

function step(segment: Segment, value: unknown): unknown[] {
  const record =
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  switch (segment.kind) {
    case 'field':
      return record && !Array.isArray(record) && segment.name in record
        ? [record[segment.name]]
        : [];
    case 'wildcard':
      return Array.isArray(value) ? value : record ? Object.values(record) : [];
    case 'recursive':
      return descendants(value).flatMap((d) => step({ kind: 'field', name: segment.name }, d));
    case 'index': {
      if (!Array.isArray(value)) return [];
      const i = segment.index < 0 ? value.length + segment.index : segment.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case 'slice':
      return Array.isArray(value) ? value.slice(segment.start, segment.end) : [];
    case 'filter': {
      const items = Array.isArray(value) ? value : [];
      return items.filter((item) => matches(segment, item));
    }
  }
}

function descendants(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object') return [];
  const children = Array.isArray(value) ? value : Object.values(value);
  return [value, ...children.flatMap(descendants)];
}

function matches(filter: Extract<Segment, { kind: 'filter' }>, item: unknown): boolean {
  const found = evaluate(filter.path, [item]);
  if (filter.op === undefined) return found.length > 0;
  return found.some((v) => compare(v, filter.op ?? '==', filter.value));
}

function compare(left: unknown, op: string, right: unknown): boolean {
  if (typeof left === 'number' && typeof right === 'number') {
    if (op === '<') return left < right;
    if (op === '<=') return left <= right;
    if (op === '>') return left > right;
    if (op === '>=') return left >= right;
  }
  const equal = String(left) === String(right);
  return op === '!=' ? !equal : op === '==' && equal;
}

// ---- parsing ----

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: { body: Node[]; segments?: Segment[] }[] = [{ body: root }];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const body = stack[stack.length - 1]?.body ?? root;
    if (open < 0) {
      body.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) body.push({ kind: 'text', text: template.slice(i, open) });
    const close = closingBrace(template, open);
    if (close < 0) throw new JsonPathError(template, 'unclosed action');
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    if (action.startsWith('range ')) {
      const node = {
        kind: 'range' as const,
        segments: parsePath(template, action.slice(6).trim()),
        body: [] as Node[],
      };
      body.push(node);
      stack.push({ body: node.body });
    } else if (action === 'end') {
      if (stack.length === 1) throw new JsonPathError(template, 'not in range, nothing to end');
      stack.pop();
    } else if (/^"(?:[^"\\]|\\.)*"$/.test(action)) {
      body.push({ kind: 'text', text: JSON.parse(action) as string });
    } else {
      body.push({ kind: 'path', root: 'current', segments: parsePath(template, action) });
    }
  }
  if (stack.length > 1) throw new JsonPathError(template, 'unclosed range');
  return root;
}

function closingBrace(text: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

function parsePath(template: string, text: string): Segment[] {
  const segments: Segment[] = [];
  let i = text.startsWith('@') || text.startsWith('$') ? 1 : 0;
  while (i < text.length) {
    if (text.startsWith('..', i)) {
      const { name, next } = fieldName(text, i + 2);
      segments.push({ kind: 'recursive', name });
      i = next;
    } else if (text[i] === '.') {
      if (text[i + 1] === '*') {
        segments.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const { name, next } = fieldName(text, i + 1);
      if (name !== '') segments.push({ kind: 'field', name });
      i = next;
    } else if (text[i] === '[') {
      const close = closingBracket(text, i);
      if (close < 0) throw new JsonPathError(template, `unterminated array in ${text}`);
      segments.push(bracket(template, text.slice(i + 1, close).trim()));
      i = close + 1;
    } else {
      const { name, next } = fieldName(text, i);
      if (name === '')
        throw new JsonPathError(template, `unrecognized character in action: ${text.slice(i)}`);
      segments.push({ kind: 'field', name });
      i = next;
    }
  }
  return segments;
}

function fieldName(text: string, from: number): { name: string; next: number } {
  let name = '';
  let i = from;
  while (i < text.length && text[i] !== '.' && text[i] !== '[') {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    name += text[i];
    i++;
  }
  return { name, next: i };
}

function closingBracket(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0 && c === ']') return i;
    }
  }
  return -1;
}

function bracket(template: string, inside: string): Segment {
  if (inside === '*') return { kind: 'wildcard' };
  const quoted = /^(['"])(.*)\1$/.exec(inside);
  if (quoted) return { kind: 'field', name: quoted[2] ?? '' };
  if (inside.startsWith('?(') && inside.endsWith(')')) {
    const expr = inside.slice(2, -1).trim();
    const m = /^(@[^\s=!<>]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(expr);
    if (!m) return { kind: 'filter', path: parsePath(template, expr) };
    return {
      kind: 'filter',
      path: parsePath(template, m[1] ?? '@'),
      op: m[2],
      value: literal(m[3] ?? ''),
    };
  }
  if (/^-?\d+$/.test(inside)) return { kind: 'index', index: Number(inside) };
  const slice = /^(-?\d*):(-?\d*)(?::\d*)?$/.exec(inside);
  if (slice) {
    return {
      kind: 'slice',
      start: slice[1] ? Number(slice[1]) : undefined,
      end: slice[2] ? Number(slice[2]) : undefined,
    };
  }
  throw new JsonPathError(template, `invalid array index ${inside}`);
}

function literal(text: string): unknown {
  const t = text.trim();
  const quoted = /^(['"])(.*)\1$/.exec(t);
  if (quoted) return quoted[2];
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return t;
}
