// apiextensions.k8s.io/v1 CustomResourceDefinition. Its openAPIV3Schema is itself a schema that
// contains schemas, so that part is recursive: a `$ref` back to a definition kept in `$defs`.
import {
  anyValue,
  arrayOf,
  bool,
  bytes,
  int32,
  int64,
  mapOf,
  num,
  obj,
  str,
  strings,
} from './json-schema.js';
import type { JsonSchema } from './json-schema.js';
import { conditions, topLevel } from './meta.js';

const props: JsonSchema = { $ref: '#/$defs/jsonSchemaProps' };
const propsList = arrayOf(props);
const propsMap = mapOf(props);

/** The fields of JSONSchemaProps, shared by the plain form and the "or array"/"or bool" forms. */
const jsonSchemaPropsFields: Record<string, JsonSchema> = {
  id: str,
  $schema: str,
  $ref: str,
  description: str,
  type: str,
  format: str,
  title: str,
  default: anyValue,
  maximum: num,
  exclusiveMaximum: bool,
  minimum: num,
  exclusiveMinimum: bool,
  maxLength: int64,
  minLength: int64,
  pattern: str,
  maxItems: int64,
  minItems: int64,
  uniqueItems: bool,
  multipleOf: num,
  enum: arrayOf(anyValue),
  maxProperties: int64,
  minProperties: int64,
  required: strings,
  // `properties` applies only to objects and `items` only to arrays, so one schema can accept
  // both forms of Kubernetes' JSONSchemaPropsOrArray.
  items: { type: ['object', 'array'], items: props, $ref: '#/$defs/propsFields' },
  allOf: propsList,
  oneOf: propsList,
  anyOf: propsList,
  not: props,
  properties: propsMap,
  additionalProperties: { type: ['object', 'boolean'], $ref: '#/$defs/propsFields' },
  patternProperties: propsMap,
  dependencies: mapOf({ type: ['object', 'array'], items: str, $ref: '#/$defs/propsFields' }),
  additionalItems: { type: ['object', 'boolean'], $ref: '#/$defs/propsFields' },
  definitions: propsMap,
  externalDocs: obj({ description: str, url: str }),
  example: anyValue,
  nullable: bool,
  'x-kubernetes-preserve-unknown-fields': bool,
  'x-kubernetes-embedded-resource': bool,
  'x-kubernetes-int-or-string': bool,
  'x-kubernetes-list-map-keys': strings,
  'x-kubernetes-list-type': str,
  'x-kubernetes-map-type': str,
  'x-kubernetes-validations': arrayOf(
    obj(
      {
        rule: str,
        message: str,
        messageExpression: str,
        reason: str,
        fieldPath: str,
        optionalOldSelf: bool,
      },
      ['rule'],
    ),
  ),
};

const names = obj(
  {
    plural: str,
    singular: str,
    kind: str,
    listKind: str,
    shortNames: strings,
    categories: strings,
  },
  ['plural', 'kind'],
);

const version = obj(
  {
    name: str,
    served: bool,
    storage: bool,
    deprecated: bool,
    deprecationWarning: str,
    schema: obj({ openAPIV3Schema: props }),
    subresources: obj({
      status: obj({}),
      scale: obj({ specReplicasPath: str, statusReplicasPath: str, labelSelectorPath: str }, [
        'specReplicasPath',
        'statusReplicasPath',
      ]),
    }),
    additionalPrinterColumns: arrayOf(
      obj({ name: str, type: str, format: str, description: str, priority: int32, jsonPath: str }, [
        'name',
        'type',
        'jsonPath',
      ]),
    ),
    selectableFields: arrayOf(obj({ jsonPath: str }, ['jsonPath'])),
  },
  ['name', 'served', 'storage'],
);

const conversion = obj(
  {
    strategy: str,
    webhook: obj(
      {
        clientConfig: obj({
          url: str,
          service: obj({ namespace: str, name: str, path: str, port: int32 }, [
            'namespace',
            'name',
          ]),
          caBundle: bytes,
        }),
        conversionReviewVersions: strings,
      },
      ['conversionReviewVersions'],
    ),
  },
  ['strategy'],
);

export const customResourceDefinition: JsonSchema = {
  ...topLevel(
    {
      spec: obj(
        {
          group: str,
          names,
          scope: str,
          versions: arrayOf(version),
          conversion,
          preserveUnknownFields: bool,
        },
        ['group', 'names', 'scope', 'versions'],
      ),
      status: obj({ conditions, acceptedNames: names, storedVersions: strings }),
    },
    ['spec'],
  ),
  $defs: {
    jsonSchemaProps: obj(jsonSchemaPropsFields),
    // Admits every type the referencing schemas admit; each of them narrows it with its own `type`.
    propsFields: { type: ['object', 'array', 'boolean'], properties: jsonSchemaPropsFields },
  },
};
