// The OpenAPI schema objects skiff publishes (the subset Kubernetes' documents use). One shape
// serves OpenAPI v3 components and v2 definitions; only where a `$ref` points differs.
export type OpenApiSchema = {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  $ref?: string;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-map-type'?: string;
} & Record<string, unknown>;

/** Named schemas, by Kubernetes' definition name (`io.k8s.api.core.v1.Pod`). */
export type Definitions = Record<string, OpenApiSchema>;
