// The strategy of a custom resource: what its CRD version says. Decoding prunes and defaults
// from the version's schema and validation checks the object against it; a status subresource
// splits status from the rest as for built-in kinds; the scale subresource reads and writes the
// CRD's replica paths. Creating is refused while the CRD is being deleted, as in Kubernetes, so
// its cleanup can finish.
import {
  ApiError,
  apiErrors,
  makeStatus,
  semanticEqual,
  type CustomResourceSubresources,
  type FieldError,
  type KindInfo,
} from '@skiff/api';
import type { ApiObject } from '../registry/api-object.js';
import { defaultStrategy, type Strategy } from '../registry/strategy.js';
import { metadataShapeErrors, withoutNullsDeep } from './metadata-shape.js';
import { customResourceScale } from './scale.js';
import type { CompiledSchema } from './schema/compiled-schema.js';
import { knownMetadata, reportUnknownFields } from './unknown-fields.js';

export interface CustomResourceStrategyOptions {
  readonly kind: KindInfo;
  readonly schema: CompiledSchema;
  readonly subresources: CustomResourceSubresources | undefined;
  /** True once the CRD has a deletionTimestamp. */
  readonly terminating: () => boolean;
}

function withoutMetadata(obj: ApiObject): Omit<ApiObject, 'metadata'> {
  const { metadata: _metadata, ...rest } = obj;
  return rest;
}

function nameOf(obj: ApiObject): string {
  const name: unknown = (obj.metadata as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

export function customResourceStrategy(options: CustomResourceStrategyOptions): Strategy {
  const hasStatus = options.subresources?.status !== undefined;
  const base = defaultStrategy(hasStatus);
  const scale = options.subresources?.scale;
  return {
    ...base,
    prepareForCreate(obj, env) {
      if (options.terminating()) {
        throw new ApiError(
          makeStatus({
            code: 405,
            reason: 'MethodNotAllowed',
            message: 'create not allowed while custom resource definition is terminating',
            details: { group: options.kind.group, kind: options.kind.resource },
          }),
        );
      }
      base.prepareForCreate(obj, env);
    },
    normalize(obj, onUnknownFields) {
      const errors = metadataShapeErrors(obj);
      if (errors.length > 0) {
        // Unknown fields are a decoding error: Strict's 400 comes before any 422. Only this rare
        // path prunes a copy just to find them; decoding below finds them as it prunes.
        if (onUnknownFields) {
          reportUnknownFields(obj, options.schema.prunedPaths(obj), onUnknownFields);
        }
        throw apiErrors.invalid(options.kind, nameOf(obj), errors);
      }
      return options.schema.normalize(
        { ...obj, metadata: knownMetadata(withoutNullsDeep(obj.metadata)) },
        onUnknownFields && ((pruned) => reportUnknownFields(obj, pruned, onUnknownFields)),
      );
    },
    validate: (obj): FieldError[] => options.schema.validate(obj),
    structuralSchema: options.schema.schema,
    // Without a status subresource, status is part of what users write, so changing it counts
    // as a new generation (Kubernetes: every change but metadata's).
    ...(hasStatus
      ? {}
      : {
          desiredStateChanged: (next: ApiObject, prev: ApiObject) =>
            !semanticEqual(withoutMetadata(next), withoutMetadata(prev)),
        }),
    ...(scale ? { scale: customResourceScale(scale) } : {}),
  };
}
