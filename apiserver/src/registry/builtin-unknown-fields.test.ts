import { kindFor, type KindInfo } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import type { ApiObject } from './api-object.js';
import { dropUnknownBuiltinFields } from './builtin-unknown-fields.js';

function kind(apiVersion: string, name: string): KindInfo {
  const found = kindFor(apiVersion, name);
  if (!found) throw new Error(`no kind ${apiVersion}/${name}`);
  return found;
}

const pod = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): ApiObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec,
  ...extra,
});

describe('dropUnknownBuiltinFields', () => {
  it.each([
    ['a known object', pod({ containers: [{ name: 'c', image: 'i' }] }), []],
    [
      'a field a container does not have',
      pod({ containers: [{ name: 'c', image: 'i', imagePolicy: 'x' }] }),
      ['spec.containers[0].imagePolicy'],
    ],
    [
      'fields at several depths, in body order',
      pod(
        {
          bogus: 1,
          containers: [{ name: 'c', livenessProbe: { httpGet: { port: 80, nope: 1 } } }],
        },
        { extra: true },
      ),
      ['spec.bogus', 'spec.containers[0].livenessProbe.httpGet.nope', 'extra'],
    ],
    [
      'an inline struct (Probe embeds ProbeHandler: exec is known)',
      pod({
        containers: [
          { name: 'c', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 3 } },
        ],
      }),
      [],
    ],
    [
      'unknown metadata fields',
      pod(
        { containers: [{ name: 'c' }] },
        { metadata: { name: 'p', colour: 'red', labels: { any: 'key' } } },
      ),
      ['metadata.colour'],
    ],
    [
      'values of opaque types (quantities, int-or-string, times) are not walked',
      pod({
        containers: [
          { name: 'c', resources: { limits: { cpu: '1' } }, ports: [{ containerPort: 80 }] },
        ],
      }),
      [],
    ],
  ])('%s', (_name, obj, expected) => {
    const copy = structuredClone(obj);
    expect(dropUnknownBuiltinFields(kind('v1', 'Pod'), copy)).toEqual(expected);
    // What is reported is also dropped, as Kubernetes' decoder drops it.
    expect(dropUnknownBuiltinFields(kind('v1', 'Pod'), copy)).toEqual([]);
  });

  it('walks apps/v1 pod templates', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        strategy: { type: 'Recreate', surge: 1 },
        template: { spec: { containers: [{ name: 'c', x: 1 }] } },
      },
    } as ApiObject;
    expect(dropUnknownBuiltinFields(kind('apps/v1', 'Deployment'), deployment)).toEqual([
      'spec.strategy.surge',
      'spec.template.spec.containers[0].x',
    ]);
  });

  it('walks CRDs but not the free-form JSON inside their schemas (defaults, examples)', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        versions: [
          {
            name: 'v1',
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', default: { any: { shape: 1 } } } },
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        ],
      },
      x: 1,
    } as ApiObject;
    const kindInfo = kind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    expect(dropUnknownBuiltinFields(kindInfo, crd)).toEqual(['x']);
  });
});
