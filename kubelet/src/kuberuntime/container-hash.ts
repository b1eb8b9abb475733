// A container's hash: which spec a running container was made from. The only part of a pod's
// containers the API lets change is the image, and when it changes the kubelet must restart the
// container — it sees that as a different hash on the running one.
import { createHash } from 'node:crypto';
import type { Container } from '@skiff/api';
import { canonicalJson } from '../util/canonical-json.js';

export function containerHash(container: Readonly<Container>): string {
  return createHash('sha256').update(canonicalJson(container)).digest('hex').slice(0, 16);
}
