// The `continue` token of a paginated list: opaque to clients, but simply the revision the first
// page was read at (so every page shows the same snapshot) and the key to resume after, relative
// to the list's prefix (so a token cannot be replayed against another resource's keys).
import { apiErrors } from '@skiff/api';

interface TokenBody {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

export interface ContinuePoint {
  readonly revision: number;
  /** The last key returned, relative to the list prefix; the next page starts after it. */
  readonly after: string;
}

export function encodeContinue(point: ContinuePoint): string {
  const body: TokenBody = { v: 'meta.k8s.io/v1', rv: point.revision, start: point.after };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodeContinue(token: string): ContinuePoint {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw apiErrors.badRequest(`continue key is not valid: ${String(err)}`);
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    !('v' in body && body.v === 'meta.k8s.io/v1') ||
    !(
      'rv' in body &&
      typeof body.rv === 'number' &&
      Number.isSafeInteger(body.rv) &&
      body.rv > 0
    ) ||
    !('start' in body && typeof body.start === 'string') ||
    body.start.startsWith('/') ||
    body.start.includes('..')
  ) {
    throw apiErrors.badRequest('continue key is not valid: unrecognized format');
  }
  return { revision: body.rv, after: body.start };
}
