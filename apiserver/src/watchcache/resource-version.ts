// resourceVersion as the cache reads it: the storage revision, as a decimal string.
import { InvalidResourceVersionError } from './errors.js';

/**
 * The minimum revision a request asks for: 0 for "any" (omitted or "0"), else the number.
 * "" (Kubernetes' "most recent") is refused: the cache alone cannot know what is most recent,
 * so the caller must first ask storage for its current revision (or serve from storage).
 */
export function parseResourceVersion(value: string | undefined): number {
  if (value === undefined || value === '0') return 0;
  if (!/^[0-9]{1,15}$/.test(value)) throw new InvalidResourceVersionError(value);
  return Number(value);
}
