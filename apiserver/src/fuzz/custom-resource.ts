// A CustomResourceDefinition with a schema that uses most of what custom resources support
// (bounds, enums, patterns, int-or-string, maps, preserved fields, formats, defaults, status and
// scale subresources, two served versions), so the fuzz reaches the schema-driven paths too.
// Mutated copies of it are also what the fuzz sends as CRDs, to exercise the schema compiler.
import type { KindInfo } from '@skiff/api';
import type { Json } from './values.js';

export const GADGET_GROUP = 'fuzz.example.com';

const schema: Json = {
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'integer', minimum: 0, maximum: 100 },
          replicas: { type: 'integer', minimum: 0, default: 1 },
          color: { type: 'string', enum: ['red', 'green', 'blue'] },
          name: { type: 'string', maxLength: 63, pattern: '^[a-z]+$' },
          port: { 'x-kubernetes-int-or-string': true },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          created: { type: 'string', format: 'date-time' },
        },
      },
      status: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          selector: { type: 'string' },
          phase: { type: 'string' },
        },
      },
    },
  },
};

/** A CRD named `<plural>.<group>` with the rich schema above. */
export function crdBody(name: string): Json {
  const [plural = 'gadgets', ...groupParts] = name.split('.');
  const singular = plural.replace(/s$/, '');
  const kind = singular.charAt(0).toUpperCase() + singular.slice(1);
  const version = (served: string, storage: boolean): Json => ({
    name: served,
    served: true,
    storage,
    schema,
    subresources: {
      status: {},
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas',
        labelSelectorPath: '.status.selector',
      },
    },
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: groupParts.join('.'),
      scope: 'Namespaced',
      names: { plural, singular, kind, listKind: `${kind}List`, shortNames: [`${singular}x`] },
      versions: [version('v1', true), version('v1beta1', false)],
    },
  };
}

/** The gadgets CRD the fuzz creates first and never targets with its own writes. */
export const gadgetCrd = crdBody(`gadgets.${GADGET_GROUP}`);

function gadgetKind(version: string): KindInfo {
  return {
    group: GADGET_GROUP,
    version,
    kind: 'Gadget',
    apiVersion: `${GADGET_GROUP}/${version}`,
    listKind: 'GadgetList',
    resource: 'gadgets',
    singular: 'gadget',
    namespaced: true,
    shortNames: ['gadgetx'],
    categories: [],
    subresources: ['status', 'scale'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  };
}

/** Both served versions, as kinds the fuzz can address like the built-in ones. */
export const gadgetKinds: readonly KindInfo[] = [gadgetKind('v1'), gadgetKind('v1beta1')];

export function gadget(kind: KindInfo, name: string, namespace: string): Json {
  return {
    apiVersion: kind.apiVersion,
    kind: 'Gadget',
    metadata: { name, namespace, labels: { test: 'yes' } },
    spec: {
      size: 3,
      replicas: 1,
      color: 'red',
      name: 'abc',
      port: 8080,
      tags: ['a', 'b'],
      labels: { a: 'b' },
      extra: { anything: [1, { goes: true }] },
      created: '2026-01-01T00:00:00Z',
    },
    status: { replicas: 0, selector: 'test=yes', phase: 'Ready' },
  };
}
