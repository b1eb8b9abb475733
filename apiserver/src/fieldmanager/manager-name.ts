// The manager a write is recorded under: the fieldManager query parameter, else the client's
// User-Agent up to its first `/` (kube-apiserver's prefixFromUserAgent): `kubectl/v1.31.0 (…)`
// is `kubectl`, a controller built on client-go is its binary's name.
import { apiErrors } from '@skiff/api';

const MAX_MANAGER_LENGTH = 128;

export function managerOf(fieldManager: string | null, userAgent: string | undefined): string {
  if (fieldManager !== null) {
    if (fieldManager.length > MAX_MANAGER_LENGTH) {
      throw apiErrors.badRequest(
        `fieldManager: Too long: may not be more than ${MAX_MANAGER_LENGTH} bytes`,
      );
    }
    if (!isPrintable(fieldManager)) {
      throw apiErrors.badRequest(
        `fieldManager: Invalid value: ${JSON.stringify(fieldManager)}: must only contain printable characters`,
      );
    }
    if (fieldManager !== '') return fieldManager;
  }
  const prefix = (userAgent ?? '').split('/')[0] ?? '';
  return [...prefix]
    .filter((c) => isPrintable(c))
    .join('')
    .slice(0, MAX_MANAGER_LENGTH);
}

function isPrintable(text: string): boolean {
  return !/[\p{C}]/u.test(text);
}
