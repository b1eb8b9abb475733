// kubectl's generic describer, for kinds it has no describer of its own for (events among
// them): name, namespace, labels, annotations, then every other field sorted by name, nested
// maps indented, names turned into words (`involvedObject` → `Involved Object`).
import type { Event } from '@skiff/api';
import type { GroupVersionResource } from '@skiff/client';
import type { DescribeContext } from './context.js';
import { describeEvents, searchEvents } from './events.js';
import { byBytes, printAnnotations, printLabels } from './fields.js';
import { tabbed, type DescribeWriter, type Level } from './writer.js';

const skipped = [
  '.metadata.managedFields',
  '.metadata.name',
  '.metadata.namespace',
  '.metadata.labels',
  '.metadata.annotations',
];

export async function describeGeneric(
  ctx: DescribeContext,
  gvr: GroupVersionResource,
  namespace: string,
  name: string,
): Promise<string> {
  const obj = await ctx.conn.resource(gvr, namespace || undefined).get(name);
  let events: Event[] | undefined;
  if (ctx.showEvents) {
    events = await searchEvents(ctx.conn, {
      name,
      namespace,
      kind: typeof obj.kind === 'string' ? obj.kind : undefined,
      uid: obj.metadata?.uid,
    });
  }
  return tabbed((w) => {
    w.write(0, `Name:\t${obj.metadata?.name ?? ''}\n`);
    w.write(0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
    printLabels(w, 'Labels', obj.metadata?.labels);
    printAnnotations(w, 'Annotations', obj.metadata?.annotations);
    printContent(w, 0, obj, '');
    if (events) describeEvents(w, events, ctx.now);
  });
}

function printContent(
  w: DescribeWriter,
  level: number,
  content: Readonly<Record<string, unknown>>,
  prefix: string,
): void {
  for (const field of Object.keys(content).sort(byBytes)) {
    const path = `${prefix}.${field}`;
    if (skipped.includes(path)) continue;
    const value = content[field];
    const at = level as Level;
    if (Array.isArray(value)) {
      w.write(at, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (isMap(child)) printContent(w, level + 1, child, path);
        else w.write((level + 1) as Level, `${goValue(child)}\n`);
      }
    } else if (isMap(value)) {
      w.write(at, `${smartLabel(field)}:\n`);
      printContent(w, level + 1, value, path);
    } else {
      w.write(at, `${smartLabel(field)}:\t${goValue(value)}\n`);
    }
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's %v of a decoded JSON value. */
function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const acronyms = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/** kubectl's smartLabelFor: camelCase split into capitalised words, known acronyms upper case. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelCaseSplit(field)
    .filter((part) => part !== '_')
    .map((part) =>
      acronyms.has(part.toUpperCase())
        ? part.toUpperCase()
        : part.charAt(0).toUpperCase() + part.slice(1),
    )
    .join(' ');
}

/** fatih/camelcase.Split: runs of one character class, `ABCDef` as `ABC` + `Def`. */
function camelCaseSplit(text: string): string[] {
  const classOf = (c: string) =>
    /\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{N}/u.test(c) ? 3 : 4;
  const runs: string[][] = [];
  let last = 0;
  for (const c of text) {
    const cls = classOf(c);
    if (cls === last && runs.length > 0) runs[runs.length - 1]?.push(c);
    else runs.push([c]);
    last = cls;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    const [here, next] = [runs[i], runs[i + 1]];
    const first = here?.[0];
    const nextFirst = next?.[0];
    if (here && next && first && nextFirst && classOf(first) === 2 && classOf(nextFirst) === 1) {
      const moved = here.pop();
      if (moved !== undefined) next.unshift(moved);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}
