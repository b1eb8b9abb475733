// The small pieces every kubectl describer prints the same way: multi-line labels, annotations,
// taints and tolerations (sorted, the first on the title's line, the rest under it), times as
// Go's RFC1123Z in the local zone, ages as kubectl's, the controller that owns an object.
import {
  humanDuration,
  labelSelectorAsSelector,
  type LabelSelector,
  type ObjectMeta,
  type Taint,
  type Toleration,
} from '@skiff/api';
import type { DescribeWriter } from './writer.js';

/** Annotations kubectl never shows: the client-side apply record is a copy of the object. */
const skippedAnnotations = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

/** `Title:\tk=v` then `\tk2=v2`: sorted, `<none>` when empty. `title` may carry its indent. */
export function printLabels(
  w: DescribeWriter,
  title: string,
  labels: Readonly<Record<string, string>> | undefined,
  initialIndent = '',
): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(byBytes);
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${key}=${labels?.[key] ?? ''}\n`);
  });
}

/** Annotations, long or multi-line values folded under their key as kubectl folds them. */
export function printAnnotations(
  w: DescribeWriter,
  title: string,
  annotations: Readonly<Record<string, string>> | undefined,
): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !skippedAnnotations.has(k))
    .sort(byBytes);
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = (annotations?.[key] ?? '').replace(/\n$/, '');
    if (utf8Length(value) + utf8Length(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

export function printTaints(w: DescribeWriter, title: string, taints: readonly Taint[] = []): void {
  w.write(0, `${title}:\t`);
  if (taints.length === 0) return w.line('<none>');
  const key = (t: Taint) => `${t.effect},${t.key}`;
  [...taints]
    .sort((a, b) => byBytes(key(a), key(b)))
    .forEach((t, i) => {
      if (i !== 0) w.write(0, '\t');
      w.write(0, `${taintText(t)}\n`);
    });
}

/** corev1.Taint.ToString: `key=value:Effect`, `key:Effect` without a value. */
function taintText(t: Taint): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

export function printTolerations(
  w: DescribeWriter,
  title: string,
  tolerations: readonly Toleration[] = [],
  initialIndent = '',
): void {
  w.write(0, `${initialIndent}${title}:\t`);
  if (tolerations.length === 0) return w.line('<none>');
  [...tolerations]
    .sort((a, b) => byBytes(a.key ?? '', b.key ?? ''))
    .forEach((t, i) => {
      if (i !== 0) w.write(0, `${initialIndent}\t`);
      let text = t.key ?? '';
      if (t.value) text += `=${t.value}`;
      if (t.effect) text += `:${t.effect}`;
      // `operator: Exists` with neither key nor effect tolerates everything.
      if (t.operator === 'Exists' && !t.value)
        text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
      if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null)
        text += ` for ${t.tolerationSeconds}s`;
      w.write(0, `${text}\n`);
    });
}

/** `Kind/name` of the owner with controller: true, or undefined. */
export function controllerOf(meta: ObjectMeta): string | undefined {
  const ref = meta.ownerReferences?.find((r) => r.controller === true);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z in the machine's zone (as kubectl prints it): `Mon, 02 Jan 2006 15:04:05 -0700`. */
export function rfc1123z(timestamp: string | undefined | null): string {
  // Go formats the zero time for an absent timestamp.
  if (!timestamp) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const t = new Date(timestamp);
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -t.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  return `${days[t.getDay()] ?? ''}, ${two(t.getDate())} ${months[t.getMonth()] ?? ''} ${t.getFullYear()} ${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())} ${zone}`;
}

/** kubectl's translateTimestampSince: the age, `<unknown>` for no time. */
export function since(timestamp: string | undefined | null, now: number): string {
  if (!timestamp) return '<unknown>';
  const ms = now - Date.parse(timestamp);
  // Up to two seconds into the future is clock skew, read as now; more is invalid.
  return ms < -1999 ? '<invalid>' : humanDuration(Math.max(0, ms));
}

export function stringOrNone(text: string): string {
  return text === '' ? '<none>' : text;
}

/** Go's sort.Strings order: by bytes, not by locale. */
export function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** metav1.FormatLabelSelector: `app=web,tier in (a,b)`, `<none>` when it selects nothing. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  try {
    return labelSelectorAsSelector(selector).toString() || '<none>';
  } catch {
    // kubectl prints an unparsable selector as <error> rather than failing the description.
    return '<error>';
  }
}
