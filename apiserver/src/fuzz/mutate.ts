// Random structural mutations of a valid object: the "almost right" inputs that get past the
// decoder and exercise admission, strategies, patching and storage with wrong types, missing
// fields, duplicates, extremes and deep nesting.
import type { Prng } from './prng.js';
import { deeplyNested, randomValue, weirdNumber, weirdString, type Json } from './values.js';

type Container = Json[] | { [key: string]: Json };

interface Slot {
  readonly parent: Container;
  readonly key: string | number;
}

function isContainer(value: Json): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Every (parent, key) in the tree, so a mutation can land anywhere with equal chance. */
function slots(root: Container): Slot[] {
  const out: Slot[] = [];
  const walk = (node: Container, depth: number): void => {
    if (depth > 50) return;
    const keys: (string | number)[] = Array.isArray(node)
      ? node.map((_, i) => i)
      : Object.keys(node);
    for (const key of keys) {
      out.push({ parent: node, key });
      const child = get({ parent: node, key });
      if (isContainer(child)) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

function get(slot: Slot): Json {
  return Array.isArray(slot.parent)
    ? (slot.parent[slot.key as number] ?? null)
    : ((slot.parent as Record<string, Json>)[slot.key as string] ?? null);
}

function set(slot: Slot, value: Json): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else (slot.parent as Record<string, Json>)[slot.key as string] = value;
}

function remove(slot: Slot): void {
  if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
  else Reflect.deleteProperty(slot.parent, slot.key);
}

/** The same value as another JSON type: number ↔ string ↔ object ↔ array ↔ null ↔ boolean. */
function retyped(rng: Prng, value: Json): Json {
  if (typeof value === 'number') return rng.pick<Json>([String(value), [value], { value }, null]);
  if (typeof value === 'string') {
    return rng.pick<Json>([Number(value) || weirdNumber(rng), [value], { [value]: value }, true]);
  }
  if (Array.isArray(value)) return rng.pick<Json>([value[0] ?? 'x', { ...value }, 1, null]);
  if (isContainer(value)) return rng.pick<Json>([Object.values(value), 'object', 7, null]);
  return randomValue(rng);
}

const mutations: readonly (readonly [number, (rng: Prng, slot: Slot, root: Container) => void])[] =
  [
    [4, (_rng, slot) => remove(slot)],
    [
      // Same JSON type, hostile value: passes the structure check, so it reaches semantic
      // validation, the strategies (allocation, grace periods, scale) and storage.
      8,
      (rng, slot) => {
        const value = get(slot);
        if (typeof value === 'string') set(slot, weirdString(rng));
        else if (typeof value === 'number') set(slot, weirdNumber(rng));
        else if (typeof value === 'boolean') set(slot, !value);
      },
    ],
    [5, (rng, slot) => set(slot, retyped(rng, get(slot)))],
    [4, (rng, slot) => set(slot, randomValue(rng))],
    [3, (rng, slot) => set(slot, weirdString(rng))],
    [2, (rng, slot) => set(slot, weirdNumber(rng))],
    [
      3,
      (rng, slot) => {
        // Duplicate a list item (or, outside lists, make the value a list of duplicates).
        const value = get(slot);
        if (Array.isArray(value) && value.length > 0) {
          value.push(structuredClone(rng.pick(value)));
        } else {
          set(slot, [value, structuredClone(value)]);
        }
      },
    ],
    [1, (rng, slot) => set(slot, deeplyNested(rng, rng.pick([50, 500, 990, 1100, 5000, 20_000])))],
    [
      2,
      (rng, slot) => {
        const value = get(slot);
        if (isContainer(value) && !Array.isArray(value)) value[weirdString(rng)] = randomValue(rng);
        else set(slot, { [weirdString(rng)]: value });
      },
    ],
    [
      3,
      (rng, _slot, root) => {
        // Names and labels are where unicode, NUL and length limits matter most.
        if (Array.isArray(root)) return;
        const existing = root.metadata ?? null;
        const meta = isContainer(existing) ? existing : (root.metadata = {});
        if (Array.isArray(meta)) return;
        const field = rng.pick(['name', 'generateName', 'namespace', 'labels', 'annotations']);
        meta[field] =
          field === 'labels' || field === 'annotations'
            ? { [weirdString(rng)]: rng.chance(0.5) ? weirdString(rng) : randomValue(rng) }
            : weirdString(rng);
      },
    ],
  ];

/** A mutated deep copy of `value`: `count` random operations, each at a random place. */
export function mutate(rng: Prng, value: Json, count: number): Json {
  const root: Container = isContainer(value) ? structuredClone(value) : { value };
  for (let i = 0; i < count; i++) {
    const all = slots(root);
    const slot = all.length > 0 ? rng.pick(all) : undefined;
    const [, apply] = pickWeighted(rng);
    if (slot) apply(rng, slot, root);
  }
  return root;
}

function pickWeighted(rng: Prng): (typeof mutations)[number] {
  return rng.weighted(mutations.map((m) => [m[0], () => m] as const));
}
