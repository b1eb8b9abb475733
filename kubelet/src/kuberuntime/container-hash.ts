// A container's hash: which spec a running container was made from. The only part of a pod's
// containers the API lets change is the image, and when it changes the kubelet must restart the
// container — it sees that as a different hash on the running one.
import { createHash } from 'node:crypto';
import type { Container } from '@skiff/api';

/** JSON with object keys sorted, so equal specs hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function containerHash(container: Readonly<Container>): string {
  return createHash('sha256').update(canonicalJson(container)).digest('hex').slice(0, 16);
}
