// Server-side apply of a custom resource reads its CRD's structural schema: lists are atomic
// unless x-kubernetes-list-type says map (by x-kubernetes-list-map-keys) or set, and an object
// with x-kubernetes-map-type: atomic is owned whole. Metadata is ObjectMeta whatever the schema.
import type { JSONSchemaProps } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { recordApply } from './apply.js';
import { ApplyError } from './apply-error.js';
import type { ObjectWithMeta, WriteContext } from './managed-fields.js';
import { mergeApplied } from './merge.js';
import { rootType } from './schema.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: {
            type: 'object',
            required: ['port', 'protocol'],
            properties: {
              port: { type: 'integer' },
              protocol: { type: 'string' },
              name: { type: 'string' },
            },
          },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        args: { type: 'array', items: { type: 'string' } },
        selector: {
          type: 'object',
          'x-kubernetes-map-type': 'atomic',
          additionalProperties: { type: 'string' },
        },
      },
    },
  },
};

const T1 = '2026-01-01T00:00:01Z';
const ctx = (manager: string): WriteContext => ({
  request: { manager, operation: 'Apply' },
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  now: T1,
  schema,
});
const type = rootType('example.com/v1', 'Widget', schema);

const widget = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', ...metadata },
    spec,
  }) as ObjectWithMeta;

function apply(live: ObjectWithMeta | undefined, config: ObjectWithMeta, manager: string) {
  const next = (
    live ? mergeApplied(live, config, type) : structuredClone(config)
  ) as ObjectWithMeta;
  recordApply(live, next, ctx(manager), { config, force: false });
  return next;
}

function fieldsOf(obj: ObjectWithMeta, manager: string): unknown {
  const entries = obj.metadata.managedFields as { manager: string; fieldsV1: unknown }[];
  return entries.find((e) => e.manager === manager)?.fieldsV1;
}

describe('server-side apply of a custom resource follows its schema', () => {
  it('merges a list-map element by element, keyed by every list-map key', () => {
    const first = apply(undefined, widget({ ports: [{ port: 80, protocol: 'TCP' }] }), 'a');
    const both = apply(first, widget({ ports: [{ port: 80, protocol: 'UDP', name: 'dns' }] }), 'b');
    expect(both.spec).toEqual({
      ports: [
        { port: 80, protocol: 'TCP' },
        { port: 80, protocol: 'UDP', name: 'dns' },
      ],
    });
    expect(fieldsOf(both, 'b')).toEqual({
      'f:spec': {
        'f:ports': {
          'k:{"port":80,"protocol":"UDP"}': {
            '.': {},
            'f:name': {},
            'f:port': {},
            'f:protocol': {},
          },
        },
      },
    });
  });

  it('merges a set value by value', () => {
    const first = apply(undefined, widget({ tags: ['a'] }), 'a');
    const both = apply(first, widget({ tags: ['b'] }), 'b');
    expect(both.spec).toEqual({ tags: ['a', 'b'] });
    expect(fieldsOf(both, 'b')).toEqual({ 'f:spec': { 'f:tags': { 'v:"b"': {} } } });
  });

  it('treats a list without a list type as atomic: a second applier conflicts', () => {
    const first = apply(undefined, widget({ args: ['x'] }), 'a');
    expect(() => apply(first, widget({ args: ['y'] }), 'b')).toThrow(ApplyError);
  });

  it('owns an atomic map whole', () => {
    const first = apply(undefined, widget({ selector: { app: 'web' } }), 'a');
    expect(fieldsOf(first, 'a')).toEqual({ 'f:spec': { 'f:selector': {} } });
    expect(() => apply(first, widget({ selector: { tier: 'front' } }), 'b')).toThrow(ApplyError);
  });

  it("reads metadata as ObjectMeta: finalizers are a set, whatever the CRD's schema says", () => {
    const first = apply(undefined, widget({}, { finalizers: ['example.com/a'] }), 'a');
    const both = apply(first, widget({}, { finalizers: ['example.com/b'] }), 'b');
    expect(both.metadata).toMatchObject({ finalizers: ['example.com/a', 'example.com/b'] });
  });
});
