// OpenAPI v2 in gnostic's protobuf form (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`).
// client-go's discovery asks /openapi/v2 for this encoding only, and kubectl 1.27/1.28 build
// apply's strategic merge patches and explain from it, so a JSON answer is not enough for them.
// The messages below are the subset of gnostic's openapi.v2 package a Kubernetes document uses
// (names and field numbers as gnostic defines them); vendor extensions and defaults travel as
// `Any.yaml` text, which is how kube-openapi writes them (JSON is valid YAML).
import protobuf from 'protobufjs';
import type { OpenApiSchema } from './schema-types.js';

const GNOSTIC_V2_PROTO = `
syntax = "proto3";
package openapi.v2;

message Any { string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }
message Info { string title = 1; string version = 2; }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message NamedSchema { string name = 1; Schema value = 2; }
message Properties { repeated NamedSchema additional_properties = 1; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message Schema {
  string _ref = 1;
  string format = 2;
  string description = 4;
  Any default = 5;
  double maximum = 7;
  double minimum = 9;
  repeated string required = 19;
  repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21;
  TypeItem type = 22;
  ItemsItem items = 23;
  repeated Schema all_of = 24;
  Properties properties = 25;
  repeated NamedAny vendor_extension = 31;
}
message QueryParameterSubSchema {
  bool required = 1;
  string in = 2;
  string name = 4;
  string type = 6;
  bool unique_items = 20;
}
message NonBodyParameter { oneof oneof { QueryParameterSubSchema query_parameter_sub_schema = 3; } }
message Parameter { oneof oneof { NonBodyParameter non_body_parameter = 2; } }
message ParametersItem { oneof oneof { Parameter parameter = 1; } }
message Response { string description = 1; }
message ResponseValue { oneof oneof { Response response = 1; } }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message Responses { repeated NamedResponseValue response_code = 1; }
message Operation {
  string operation_id = 5;
  repeated ParametersItem parameters = 8;
  Responses responses = 9;
  repeated NamedAny vendor_extension = 13;
}
message PathItem {
  Operation get = 2;
  Operation put = 3;
  Operation post = 4;
  Operation delete = 5;
  Operation patch = 8;
  repeated ParametersItem parameters = 9;
}
message NamedPathItem { string name = 1; PathItem value = 2; }
message Paths { repeated NamedPathItem path = 2; }
message Document {
  string swagger = 1;
  Info info = 2;
  Paths paths = 8;
  Definitions definitions = 9;
}
`;

const root = protobuf.parse(GNOSTIC_V2_PROTO, { keepCase: true }).root;
const documentType = root.lookupType('openapi.v2.Document');

/** What client-go asks for in Accept. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/**
 * What the answer says it is: the same with `.` for `@`, as kube-apiserver answers — Go's
 * mime.ParseMediaType, which client-go runs on every answer, refuses an `@` in a subtype.
 */
export const OPENAPI_V2_PROTOBUF_ANSWER =
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Message = Record<string, unknown>;

const yamlOf = (value: unknown): Message => ({ yaml: `${JSON.stringify(value)}\n` });

function extensions(source: Readonly<Record<string, unknown>>): Message[] {
  return Object.entries(source)
    .filter(([key]) => key.startsWith('x-'))
    .map(([name, value]) => ({ name, value: yamlOf(value) }));
}

function schemaMessage(schema: OpenApiSchema): Message {
  const m: Message = {};
  if (schema.$ref !== undefined) m._ref = schema.$ref;
  if (schema.format !== undefined) m.format = schema.format;
  if (schema.description !== undefined) m.description = schema.description;
  if (schema.default !== undefined) m.default = yamlOf(schema.default);
  if (schema.maximum !== undefined) m.maximum = schema.maximum;
  if (schema.minimum !== undefined) m.minimum = schema.minimum;
  if (schema.required) m.required = schema.required;
  if (schema.enum) m.enum = schema.enum.map(yamlOf);
  if (typeof schema.additionalProperties === 'boolean') {
    m.additional_properties = { boolean: schema.additionalProperties };
  } else if (schema.additionalProperties) {
    m.additional_properties = { schema: schemaMessage(schema.additionalProperties) };
  }
  if (schema.type !== undefined) m.type = { value: [schema.type] };
  if (schema.items) m.items = { schema: [schemaMessage(schema.items)] };
  if (schema.allOf) m.all_of = schema.allOf.map(schemaMessage);
  if (schema.properties) {
    m.properties = {
      additional_properties: Object.entries(schema.properties).map(([name, value]) => ({
        name,
        value: schemaMessage(value),
      })),
    };
  }
  const vendor = extensions(schema);
  if (vendor.length > 0) m.vendor_extension = vendor;
  return m;
}

interface V2Parameter {
  readonly name: string;
  readonly in: string;
  readonly type: string;
  readonly uniqueItems?: boolean;
}

type V2Operation = {
  readonly operationId: string;
  readonly parameters?: readonly V2Parameter[];
} & Readonly<Record<string, unknown>>;

function parameters(list: readonly V2Parameter[] | undefined): Message[] {
  return (list ?? []).map((p) => ({
    parameter: {
      non_body_parameter: {
        query_parameter_sub_schema: {
          in: p.in,
          name: p.name,
          type: p.type,
          unique_items: p.uniqueItems ?? false,
        },
      },
    },
  }));
}

function operationMessage(op: V2Operation): Message {
  return {
    operation_id: op.operationId,
    parameters: parameters(op.parameters),
    responses: { response_code: [{ name: '200', value: { response: { description: 'OK' } } }] },
    vendor_extension: extensions(op),
  };
}

const verbs = ['get', 'put', 'post', 'delete', 'patch'] as const;

type V2PathItem = Partial<Record<(typeof verbs)[number], V2Operation>> & {
  readonly parameters?: readonly V2Parameter[];
};

export interface V2Document {
  readonly swagger: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: Readonly<Record<string, V2PathItem>>;
  readonly definitions: Readonly<Record<string, OpenApiSchema>>;
}

/** The document as gnostic's `openapi.v2.Document` bytes. */
export function encodeGnosticV2(doc: V2Document): Uint8Array {
  const message = {
    swagger: doc.swagger,
    info: doc.info,
    paths: {
      path: Object.entries(doc.paths).map(([name, item]) => {
        const value: Message = { parameters: parameters(item.parameters) };
        for (const verb of verbs) {
          const op = item[verb];
          if (op) value[verb] = operationMessage(op);
        }
        return { name, value };
      }),
    },
    definitions: {
      additional_properties: Object.entries(doc.definitions).map(([name, value]) => ({
        name,
        value: schemaMessage(value),
      })),
    },
  };
  return documentType.encode(documentType.fromObject(message)).finish();
}

/** Decodes bytes written by encodeGnosticV2 (for tests). */
export function decodeGnosticV2(bytes: Uint8Array): Message {
  return documentType.toObject(documentType.decode(bytes), { defaults: false });
}
