// The `pod-template-hash` (Kubernetes' controller.ComputeHash): FNV-32a of the pod template, then
// of the collision count as 8 little-endian bytes when there is one, printed in decimal and
// "safe encoded" so the label never spells words. Kubernetes hashes a Go dump of its struct
// (spew); skiff hashes the template's JSON with sorted keys, the closest stable equivalent, so
// names have Kubernetes' shape (`web-7d4b9c8f6`) though not its exact digits.
import type { PodTemplateSpec } from '@skiff/api';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv32a(bytes: Uint8Array, seed = FNV_OFFSET_BASIS): number {
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

// Consonants and digits without vowels or look-alikes (apimachinery's rand alphanums).
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** apimachinery's rand.SafeEncodeString: each character mapped into the safe alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length] ?? '';
  }
  return out;
}

export function computeHash(template: Readonly<PodTemplateSpec>, collisionCount?: number): string {
  let hash = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}

/** JSON with object keys sorted at every level, so equal templates hash equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

/**
 * Kubernetes' EqualIgnoreHash: two templates are the same rollout when they are semantically
 * equal once the hash label is dropped from both. Semantic, as apimachinery's equality: an empty
 * map or list is the same as none.
 */
export function equalIgnoreHash(
  a: Readonly<PodTemplateSpec> | undefined,
  b: Readonly<PodTemplateSpec> | undefined,
): boolean {
  return canonicalJson(semantic(withoutHash(a))) === canonicalJson(semantic(withoutHash(b)));
}

/** The template without the hash label (a copy; the template is not touched). */
export function withoutHash(template: Readonly<PodTemplateSpec> | undefined): PodTemplateSpec {
  const copy = structuredClone(template ?? {}) as PodTemplateSpec;
  if (copy.metadata?.labels) {
    const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = copy.metadata.labels;
    copy.metadata.labels = labels;
  }
  return copy;
}

function semantic(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(semantic);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const s = semantic(v);
    if (s !== undefined) out[key] = s;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
