// ConfigMaps and Secrets share their key rules (keys become file names when mounted) and a
// 1 MiB total (they are stored in one etcd value and sent to every kubelet that mounts them).
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';
import { isConfigMapKey } from './formats.js';
import { byteLength } from './dns.js';
import { invalidEach } from './generic.js';

export const maxConfigDataBytes = 1024 * 1024;

export function validateDataKeys(
  data: Readonly<Record<string, string>> | undefined,
  path: FieldPath,
): FieldError[] {
  return Object.keys(data ?? {}).flatMap((key) =>
    invalidEach(path.key(key), key, isConfigMapKey(key)),
  );
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Size of base64 values once decoded; invalid base64 is reported without echoing the value. */
export function decodedSizes(
  data: Readonly<Record<string, string>> | undefined,
  path: FieldPath,
): { bytes: number; errors: FieldError[] } {
  let bytes = 0;
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(data ?? {})) {
    if (!base64Pattern.test(value)) {
      errors.push(
        fieldErrors.invalid(path.key(key), '<secret contents redacted>', 'illegal base64 data'),
      );
      continue;
    }
    bytes += Buffer.from(value, 'base64').length;
  }
  return { bytes, errors };
}

export function textSize(data: Readonly<Record<string, string>> | undefined): number {
  return Object.values(data ?? {}).reduce((n, v) => n + byteLength(v), 0);
}

/** Once `immutable: true` is stored, the flag and the data are frozen. */
export function validateImmutableData(
  next: { immutable?: boolean; data?: unknown; binaryData?: unknown },
  prev: { immutable?: boolean; data?: unknown; binaryData?: unknown },
  root: FieldPath,
  fields: readonly ('data' | 'binaryData')[],
): FieldError[] {
  if (!prev.immutable) return [];
  const detail = 'field is immutable when `immutable` is set';
  const errs: FieldError[] = [];
  if (!next.immutable) errs.push(fieldErrors.forbidden(root.child('immutable'), detail));
  for (const f of fields) {
    if (JSON.stringify(sorted(next[f])) !== JSON.stringify(sorted(prev[f]))) {
      errs.push(fieldErrors.forbidden(root.child(f), detail));
    }
  }
  return errs;
}

function sorted(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v ?? {};
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
