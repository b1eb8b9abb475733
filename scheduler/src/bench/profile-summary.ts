// Where a V8 CPU profile's time went: self time by function and by package, optionally only
// the samples inside a window of the monotonic clock (µs, as the scheduler benchmark prints for
// its scheduling phase). Not a benchmark; a reading aid for the profiles the benchmark writes:
//
//   node --import tsx scheduler/src/bench/profile-summary.ts FILE [--window A-B] [--top 40]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { window: { type: 'string' }, top: { type: 'string', default: '40' } },
});
const [file] = positionals;
if (!file) throw new Error('usage: profile-summary.ts FILE [--window A-B] [--top N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const [from, to] = (values.window ?? '-').split('-').map((v) => (v ? Number(v) : undefined));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

/** Sample time per node id, inside the window. */
const timeById = new Map<number, number>();
let t = profile.startTime;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  t += delta;
  const id = profile.samples[i];
  if (id === undefined || (from !== undefined && t < from) || (to !== undefined && t > to))
    continue;
  timeById.set(id, (timeById.get(id) ?? 0) + delta);
  total += delta;
}

const fnKey = (cf: CallFrame): string =>
  `${cf.functionName || '(anonymous)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
/** The package a frame belongs to: @skiff/<pkg>, a node_modules package, node:<module>, or V8. */
function packageOf(cf: CallFrame): string {
  const skiff = /\/work\/[^/]+\/([^/]+)\/src\//.exec(cf.url) ?? /\/(\w[\w-]*)\/src\//.exec(cf.url);
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(cf.url);
  if (dep?.[1]) return dep[1];
  if (skiff?.[1]) return `@skiff/${skiff[1]}`;
  if (cf.url.startsWith('node:')) return cf.url;
  return cf.url ? cf.url : `(${cf.functionName || 'V8'})`;
}

const selfByFn = new Map<string, number>();
const selfByPackage = new Map<string, number>();
const inclusiveByFn = new Map<string, number>();
for (const [id, time] of timeById) {
  const node = byId.get(id);
  if (!node) continue;
  const key = fnKey(node.callFrame);
  selfByFn.set(key, (selfByFn.get(key) ?? 0) + time);
  const pkg = packageOf(node.callFrame);
  selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + time);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
    const frame = byId.get(cur)?.callFrame;
    if (!frame) break;
    const k = fnKey(frame);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusiveByFn.set(k, (inclusiveByFn.get(k) ?? 0) + time);
  }
}

const top = Number(values.top);
const print = (title: string, m: Map<string, number>): void => {
  console.log(`--- ${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`,
    );
  }
};
console.log(
  `${(total / 1000).toFixed(0)} ms of samples${values.window ? ` in ${values.window}` : ''}`,
);
print('self time by package', selfByPackage);
print('self time by function', selfByFn);
print('inclusive time by function', inclusiveByFn);
