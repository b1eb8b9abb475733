// Pruning, defaulting and validation of custom resources against a CRD version's schema, with
// Kubernetes' field paths and messages.
import { formatFieldError, type JSONSchemaProps } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import type { ApiObject } from '../../registry/api-object.js';
import { CompiledSchema } from './compiled-schema.js';

const object = (
  properties: Record<string, JSONSchemaProps>,
  extra: JSONSchemaProps = {},
): JSONSchemaProps => ({ type: 'object', properties, ...extra });

const withSpec = (spec: JSONSchemaProps): CompiledSchema => new CompiledSchema(object({ spec }));

const resource = (spec: unknown, extra: Record<string, unknown> = {}): ApiObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w' },
  spec,
  ...extra,
});

/** What Kubernetes prints for each error, in order. */
function messages(schema: CompiledSchema, obj: ApiObject): string[] {
  return schema.validate(schema.normalize(obj)).map(formatFieldError);
}

describe('CompiledSchema.validate', () => {
  const cases: [string, JSONSchemaProps, unknown, string[]][] = [
    [
      'a wrong type names the type it got',
      object({ replicas: { type: 'integer' } }),
      { replicas: 'three' },
      [
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      ],
    ],
    [
      'a missing required field',
      object({ size: { type: 'integer' } }, { required: ['size'] }),
      {},
      ['spec.size: Required value'],
    ],
    [
      'a value outside an enum',
      object({ color: { type: 'string', enum: ['red', 'green'] } }),
      { color: 'blue' },
      ['spec.color: Unsupported value: "blue": supported values: "red", "green"'],
    ],
    [
      'bounds, inclusive and exclusive',
      object({
        low: { type: 'integer', minimum: 1 },
        high: { type: 'number', maximum: 5, exclusiveMaximum: true },
      }),
      { low: 0, high: 5 },
      [
        'spec.low: Invalid value: 0: spec.low in body should be greater than or equal to 1',
        'spec.high: Invalid value: 5: spec.high in body should be less than 5',
      ],
    ],
    [
      'string length and pattern',
      object({
        short: { type: 'string', minLength: 2 },
        long: { type: 'string', maxLength: 3 },
        word: { type: 'string', pattern: '^[a-z]+$' },
      }),
      { short: 'a', long: 'abcd', word: 'A1' },
      [
        'spec.short: Invalid value: "a": spec.short in body should be at least 2 chars long',
        'spec.long: Too long: may not be more than 3 bytes',
        'spec.word: Invalid value: "A1": spec.word in body should match \'^[a-z]+$\'',
      ],
    ],
    [
      'formats: int32, date-time; unknown formats are ignored',
      object({
        count: { type: 'integer', format: 'int32' },
        at: { type: 'string', format: 'date-time' },
        free: { type: 'string', format: 'no-such-format' },
      }),
      { count: 2 ** 31, at: 'yesterday', free: 'anything' },
      [
        'spec.count: Invalid value: 2147483648: spec.count in body must be of type int32: 2147483648',
        'spec.at: Invalid value: "yesterday": spec.at in body must be of type date-time: "yesterday"',
      ],
    ],
    [
      'paths through lists and maps',
      object({
        items: { type: 'array', items: object({ name: { type: 'string' } }) },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      }),
      { items: [{ name: 'a' }, { name: 7 }], labels: { app: true } },
      [
        'spec.items[1].name: Invalid value: "integer": spec.items[1].name in body must be of type string: "integer"',
        'spec.labels.app: Invalid value: "boolean": spec.labels.app in body must be of type string: "boolean"',
      ],
    ],
    [
      'x-kubernetes-int-or-string takes either',
      object({ port: { 'x-kubernetes-int-or-string': true } }),
      { port: true },
      [
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer or string: "boolean"',
      ],
    ],
    [
      'nullable allows null and nothing else changes',
      object({ note: { type: 'string', nullable: true, enum: ['a'] } }),
      { note: null },
      [],
    ],
    [
      'an embedded resource needs apiVersion and kind',
      object({
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
      }),
      { template: { metadata: { name: 'x' } } },
      ['spec.template.apiVersion: Required value', 'spec.template.kind: Required value'],
    ],
    ['a valid object has no errors', object({ size: { type: 'integer' } }), { size: 3 }, []],
  ];

  it.each(cases)('%s', (_name, spec, value, expected) => {
    expect(messages(withSpec(spec), resource(value))).toEqual(expected);
  });

  it('accepts an int-or-string as an integer or a string', () => {
    const schema = withSpec(object({ port: { 'x-kubernetes-int-or-string': true } }));
    expect(messages(schema, resource({ port: 80 }))).toEqual([]);
    expect(messages(schema, resource({ port: 'http' }))).toEqual([]);
  });

  it('refuses to compile a pattern JavaScript cannot parse', () => {
    expect(() => withSpec(object({ x: { type: 'string', pattern: '([a-z' } }))).toThrow();
  });
});

describe('CompiledSchema.normalize', () => {
  it('prunes undeclared fields, keeping apiVersion, kind and metadata', () => {
    const schema = withSpec(object({ size: { type: 'integer' } }));
    const out = schema.normalize(
      resource(
        { size: 1, color: 'red' },
        { other: 1, metadata: { name: 'w', labels: { a: 'b' } } },
      ),
    );
    expect(out).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { a: 'b' } },
      spec: { size: 1 },
    });
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields, pruning declared subtrees', () => {
    const schema = withSpec(
      object(
        { known: object({ a: { type: 'string' } }) },
        { 'x-kubernetes-preserve-unknown-fields': true },
      ),
    );
    const out = schema.normalize(resource({ free: { deep: [1] }, known: { a: 'x', b: 'pruned' } }));
    expect(out.spec).toEqual({ free: { deep: [1] }, known: { a: 'x' } });
  });

  it('keeps a whole object with preserve-unknown-fields at the root', () => {
    const schema = new CompiledSchema({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(schema.normalize(resource({ any: 'thing' }, { top: 1 }))).toMatchObject({
      spec: { any: 'thing' },
      top: 1,
    });
  });

  it('prunes inside list items and map values', () => {
    const schema = withSpec(
      object({
        list: { type: 'array', items: object({ keep: { type: 'string' } }) },
        map: { type: 'object', additionalProperties: object({ keep: { type: 'string' } }) },
      }),
    );
    const out = schema.normalize(
      resource({ list: [{ keep: 'a', drop: 1 }], map: { k: { keep: 'b', drop: 2 } } }),
    );
    expect(out.spec).toEqual({ list: [{ keep: 'a' }], map: { k: { keep: 'b' } } });
  });

  it('fills defaults, nested ones inside defaulted objects, and never touches metadata', () => {
    const schema = new CompiledSchema(
      object({
        metadata: object({ name: { type: 'string', default: 'nope' } }),
        spec: object(
          {
            mode: { type: 'string', default: 'auto' },
            limits: object({ cpu: { type: 'string', default: '100m' } }, { default: {} }),
            ports: {
              type: 'array',
              items: object({ protocol: { type: 'string', default: 'TCP' } }),
            },
          },
          { default: {} },
        ),
      }),
    );
    const out = schema.normalize({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { generateName: 'w-' },
    });
    expect(out.metadata).toEqual({ generateName: 'w-' });
    expect(out.spec).toEqual({ mode: 'auto', limits: { cpu: '100m' } });
    const withPorts = schema.normalize(resource({ ports: [{}, { protocol: 'UDP' }] }));
    expect(withPorts.spec).toMatchObject({ ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }] });
  });

  it('defaults a null where null is not allowed, drops it without a default, keeps it if nullable', () => {
    const schema = withSpec(
      object({
        defaulted: { type: 'string', default: 'd' },
        plain: { type: 'string' },
        nullable: { type: 'string', nullable: true, default: 'n' },
      }),
    );
    const out = schema.normalize(resource({ defaulted: null, plain: null, nullable: null }));
    expect(out.spec).toEqual({ defaulted: 'd', nullable: null });
  });

  it('does not change the object it is given', () => {
    const schema = withSpec(object({ a: { type: 'string', default: 'x' } }));
    const input = resource({ b: 1 });
    schema.normalize(input);
    expect(input.spec).toEqual({ b: 1 });
  });
});
