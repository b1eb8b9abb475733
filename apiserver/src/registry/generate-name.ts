// metadata.generateName: the server appends a random suffix. The alphabet is Kubernetes' own
// (no vowels, so generated names never spell words; no 0/1/3 that look like letters).
import { randomInt } from 'node:crypto';

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
const suffixLength = 5;
/** Names are at most 63 characters for DNS labels; the prefix is cut so prefix + suffix fit. */
const maxGeneratedNameLength = 63;

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < suffixLength; i++) suffix += alphabet.charAt(randomInt(alphabet.length));
  return prefix.slice(0, maxGeneratedNameLength - suffixLength) + suffix;
}

/** How many times a create retries with a fresh suffix when the generated name is taken. */
export const GENERATE_NAME_ATTEMPTS = 8;
