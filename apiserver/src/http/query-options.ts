// Query parameters shared by the write verbs: dryRun and fieldValidation. Unknown values are
// 400s, as in Kubernetes, so a typo never silently writes for real.
import type { KindInfo } from '@skiff/api';
import type { UnknownFieldsCheck } from '../registry/registry.js';
import { apiErrors } from '@skiff/api';

/**
 * What to do with fields the kind does not know: drop them (Ignore), drop them and say so in a
 * Warning header each (Warn, Kubernetes' default when the parameter is absent), or refuse the
 * write (Strict, what kubectl 1.27+ sends for create, apply and replace).
 *
 * Custom resources are checked against their CRD's schema; built-in kinds against the full field
 * list of their Kubernetes struct (../registry/builtin-unknown-fields.ts).
 */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface WriteParams {
  readonly dryRun: boolean;
  readonly fieldValidation: FieldValidation;
}

export function parseWriteParams(query: URLSearchParams): WriteParams {
  const dryRun = query.getAll('dryRun');
  for (const value of dryRun) {
    if (value !== 'All') {
      throw apiErrors.badRequest(
        `Invalid dryRun value: ${JSON.stringify(value)}: only "All" is supported`,
      );
    }
  }
  const fieldValidation = query.get('fieldValidation') ?? '';
  if (fieldValidation !== 'Ignore' && fieldValidation !== 'Warn' && fieldValidation !== 'Strict') {
    if (fieldValidation !== '') {
      throw apiErrors.badRequest(
        `fieldValidation: Unsupported value: ${JSON.stringify(fieldValidation)}: supported values: "Ignore", "Warn", "Strict"`,
      );
    }
    return { dryRun: dryRun.length > 0, fieldValidation: 'Warn' };
  }
  return { dryRun: dryRun.length > 0, fieldValidation };
}

export interface UnknownFieldHandling {
  /** For the registry; undefined for Ignore. */
  readonly check: UnknownFieldsCheck | undefined;
  /** Warn: the warning for each dropped field, to send as Warning headers with the answer. */
  warnings(): string[];
}

/**
 * The registry's check for a directive. Kubernetes words the Strict refusal of a decoded body
 * (create, update) as `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding
 * error: …` and that of a patched object as `strict decoding error: …`; `body` says which.
 */
export function unknownFieldHandling(
  directive: FieldValidation,
  kind: KindInfo,
  source: 'body' | 'patch',
): UnknownFieldHandling {
  // A Set, because an update retried after a conflict checks its object again.
  const warnings = new Set<string>();
  const describe = (paths: readonly string[]): string[] =>
    paths.map((path) => `unknown field "${path}"`);
  const checks: Record<FieldValidation, UnknownFieldsCheck | undefined> = {
    Ignore: undefined,
    Warn: (paths) => {
      for (const warning of describe(paths)) warnings.add(warning);
    },
    Strict: (paths) => {
      const error = `strict decoding error: ${describe(paths).join(', ')}`;
      throw apiErrors.badRequest(
        source === 'patch'
          ? error
          : `${kind.kind} in version ${JSON.stringify(kind.version)} cannot be handled as a ${kind.kind}: ${error}`,
      );
    },
  };
  return { check: checks[directive], warnings: () => [...warnings] };
}
