// One served version's schema, compiled once per CRD generation: pruning, defaulting and
// validation of custom resources in that version. Each compiled schema has its own ajv
// instance, so the code ajv generates for a replaced CRD generation is freed with it.
import { type FieldError, type JSONSchemaProps } from '@skiff/api';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ApiObject } from '../../registry/api-object.js';
import { applySchemaDefaults } from './defaults.js';
import { addFormats } from './formats.js';
import { prune } from './prune.js';
import { toAjvSchema } from './to-ajv.js';
import { toFieldError } from './field-errors.js';

/** A version without a schema (not allowed in apiextensions.k8s.io/v1) accepts anything. */
const anything: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

export class CompiledSchema {
  private readonly validator: ValidateFunction;

  /** Throws when ajv cannot compile the schema (an invalid pattern, say). */
  constructor(readonly schema: JSONSchemaProps = anything) {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }));
    this.validator = ajv.compile(toAjvSchema(schema));
  }

  /**
   * Decoding: a pruned, defaulted copy, metadata untouched. `onPruned` hears the paths pruning
   * removed (the fields this version does not know) before the defaults go in.
   */
  normalize(obj: ApiObject, onPruned?: (paths: readonly string[]) => void): ApiObject {
    const copy = structuredClone(obj);
    const pruned = prune(copy, this.schema);
    onPruned?.(pruned);
    applySchemaDefaults(copy, this.schema);
    return copy;
  }

  /** The paths pruning would remove from `obj`, without decoding it. */
  prunedPaths(obj: ApiObject): string[] {
    return prune(structuredClone(obj), this.schema);
  }

  /** Every way `obj` breaks the schema, with Kubernetes' field paths and wording. */
  validate(obj: ApiObject): FieldError[] {
    if (this.validator(obj)) return [];
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    for (const e of this.validator.errors ?? []) {
      const error = toFieldError(e, obj);
      if (!error) continue;
      const key = JSON.stringify(error);
      if (seen.has(key)) continue;
      seen.add(key);
      errors.push(error);
    }
    return errors;
  }
}
