// The patch documents real kubectl sends, applied through the apiserver's single entry point.
import { describe, expect, it } from 'vitest';
import { acceptedPatchTypes, applyPatch } from './apply-patch.js';
import { deepFreeze } from '@skiff/api';
import {
  at,
  makeDeployment,
  makePod,
  nginxContainer,
  patchFailure,
  sidecarContainer,
} from './fixtures.js';
import type { JsonObject, JsonValue } from './json.js';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
const widget = { apiVersion: 'example.com/v1', kind: 'Widget' };
const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

describe('applyPatch with what kubectl sends', () => {
  it('kubectl scale: a merge patch of spec.replicas on the scale subresource', () => {
    const scale = deepFreeze({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web', namespace: 'default', resourceVersion: '7' },
      spec: { replicas: 3 },
      status: { replicas: 3, selector: 'app=web' },
    });
    const result = applyPatch(
      'application/merge-patch+json',
      scale,
      { spec: { replicas: 5 } },
      {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
      },
    );
    expect(result).toEqual({ ...scale, spec: { replicas: 5 } });
  });

  it('kubectl label: a merge patch adding a label', () => {
    const result = applyPatch(
      'application/merge-patch+json',
      deepFreeze(makePod()),
      deepFreeze({ metadata: { labels: { release: 'canary' } } }),
      { apiVersion: 'v1', kind: 'Pod' },
    );
    expect(at(result, 'metadata', 'labels')).toEqual({
      app: 'web',
      tier: 'frontend',
      release: 'canary',
    });
  });

  it('kubectl label tier-: a merge patch removing a label with null', () => {
    const result = applyPatch(
      'application/merge-patch+json',
      deepFreeze(makePod()),
      deepFreeze({ metadata: { labels: { tier: null } } }),
      { apiVersion: 'v1', kind: 'Pod' },
    );
    expect(at(result, 'metadata', 'labels')).toEqual({ app: 'web' });
  });

  it('kubectl patch (default strategic) on metadata.labels', () => {
    const result = applyPatch(
      'application/strategic-merge-patch+json',
      deepFreeze(makePod()),
      deepFreeze({ metadata: { labels: { tier: 'backend' } } }),
      { apiVersion: 'v1', kind: 'Pod' },
    );
    expect(at(result, 'metadata', 'labels')).toEqual({ app: 'web', tier: 'backend' });
  });

  it('kubectl apply of a changed Deployment: the 3-way strategic merge patch', () => {
    // The user's new manifest: nginx 1.26, log-shipper swapped for metrics, Recreate strategy.
    const applied = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'nginx', image: 'nginx:1.26' },
              { name: 'metrics', image: 'prom/exporter:1' },
            ],
          },
        },
      },
    };
    const live = deepFreeze(makeDeployment());
    // What kubectl computes from last-applied, live and the manifest (keys as Go marshals them).
    const patch = deepFreeze({
      metadata: { annotations: { [lastApplied]: `${JSON.stringify(applied)}\n` } },
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'metrics' }],
            containers: [
              { image: 'nginx:1.26', name: 'nginx' },
              { image: 'prom/exporter:1', name: 'metrics' },
              { $patch: 'delete', name: 'log-shipper' },
            ],
          },
        },
      },
    });

    const result = applyPatch('application/strategic-merge-patch+json', live, patch, deployment);

    expect(at(result, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
    expect(at(result, 'spec', 'template', 'spec', 'containers')).toEqual([
      nginxContainer('nginx:1.26'),
      { name: 'metrics', image: 'prom/exporter:1' },
    ]);
    expect(at(result, 'metadata', 'annotations', lastApplied)).toBe(`${JSON.stringify(applied)}\n`);
    expect(at(result, 'spec', 'template', 'spec', 'tolerations')).toEqual(
      at(makeDeployment(), 'spec', 'template', 'spec', 'tolerations'),
    );
    expect(at(result, 'status')).toEqual(at(makeDeployment(), 'status'));
    expect(JSON.stringify(result)).not.toContain('$');
  });

  it('kubectl edit: the 2-way strategic merge patch of a changed image and replicas', () => {
    const patch = {
      spec: {
        replicas: 2,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'log-shipper' }],
            containers: [{ image: 'nginx:1.26', name: 'nginx' }],
          },
        },
      },
    };
    const result = applyPatch(
      'application/strategic-merge-patch+json',
      deepFreeze(makeDeployment()),
      deepFreeze(patch),
      deployment,
    );
    expect(result).toEqual(makeDeployment({ replicas: 2, image: 'nginx:1.26' }));
  });

  it('kubectl patch --type json', () => {
    const result = applyPatch(
      'application/json-patch+json',
      deepFreeze(makeDeployment()),
      deepFreeze([
        { op: 'test', path: '/spec/replicas', value: 3 },
        {
          op: 'replace',
          path: '/spec/template/spec/containers/1/image',
          value: 'fluent/fluent-bit:3.1',
        },
      ]),
      deployment,
    );
    expect(at(result, 'spec', 'template', 'spec', 'containers', 1)).toEqual({
      ...sidecarContainer(),
      image: 'fluent/fluent-bit:3.1',
    });
  });

  it('reads the media type past parameters and case', () => {
    const result = applyPatch(
      'Application/Merge-Patch+JSON; charset=utf-8',
      deepFreeze(makeDeployment()),
      { spec: { replicas: 1 } },
      deployment,
    );
    expect(at(result, 'spec', 'replicas')).toBe(1);
  });

  it('merge-patches a custom resource', () => {
    const original: JsonObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { size: 1, tags: ['a'] },
    };
    const result = applyPatch(
      'application/merge-patch+json',
      deepFreeze(original),
      { spec: { tags: ['b'] } },
      widget,
    );
    expect(result).toEqual({ ...original, spec: { size: 1, tags: ['b'] } });
  });

  it('answers 415 for a strategic merge patch of a custom resource, naming what it accepts', () => {
    const err = patchFailure(() =>
      applyPatch('application/strategic-merge-patch+json', { spec: {} }, { spec: {} }, widget),
    );
    expect(err.code).toBe(415);
    expect(err.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json',
    );
  });

  it.each<{
    contentType: string;
    target: { apiVersion: string; kind: string };
    accepted: string[];
  }>([
    {
      contentType: 'application/apply-patch+yaml',
      target: deployment,
      accepted: [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ],
    },
    {
      contentType: 'application/json',
      target: widget,
      accepted: ['application/json-patch+json', 'application/merge-patch+json'],
    },
  ])('answers 415 for $contentType', ({ contentType, target, accepted }) => {
    const err = patchFailure(() => applyPatch(contentType, { spec: {} }, { spec: {} }, target));
    expect(err.code).toBe(415);
    expect(err.message).toContain(accepted.join(', '));
    expect(acceptedPatchTypes(target)).toEqual(accepted);
  });

  it.each<{ contentType: string; patch: JsonValue }>([
    {
      contentType: 'application/json-patch+json',
      patch: [{ op: 'add', path: '/metadata/labels/x', value: 'y' }],
    },
    { contentType: 'application/merge-patch+json', patch: { metadata: { labels: { app: null } } } },
    {
      contentType: 'application/strategic-merge-patch+json',
      patch: {
        spec: { template: { spec: { containers: [{ name: 'nginx', $patch: 'delete' }] } } },
      },
    },
  ])('never modifies the original object ($contentType)', ({ contentType, patch }) => {
    const original = makeDeployment();
    applyPatch(contentType, deepFreeze(original), deepFreeze(patch), deployment);
    expect(original).toEqual(makeDeployment());
  });
});
