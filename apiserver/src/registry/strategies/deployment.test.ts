import { makeDeployment } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { asApiObject, type ApiObject } from '../api-object.js';
import { deploymentStrategy } from './deployment.js';

const strategy = deploymentStrategy();

const stored = (): ApiObject =>
  asApiObject(
    makeDeployment()
      .name('web')
      .namespace('default')
      .replicas(3)
      .labels({ app: 'web' })
      .annotations({ team: 'a' })
      .obj(),
  );

describe('the Deployment strategy', () => {
  it.each([
    [
      'an annotation added',
      (d: ApiObject) => (d.metadata.annotations = { team: 'a', x: 'y' }),
      true,
    ],
    ['an annotation removed', (d: ApiObject) => delete d.metadata.annotations, true],
    ['a label changed', (d: ApiObject) => (d.metadata.labels = { app: 'other' }), false],
    ['the status changed', (d: ApiObject) => (d.status = { replicas: 3 }), false],
    ['the spec changed', (d: ApiObject) => ((d.spec as { replicas: number }).replicas = 4), true],
  ])('a new generation for %s: %s', (_what, change, bumps) => {
    const next = structuredClone(stored());
    change(next);
    expect(strategy.desiredStateChanged?.(next, stored())).toBe(bumps);
  });

  it('a status write keeps spec and labels from the stored object and takes the rest', () => {
    const requested = stored();
    requested.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
    requested.metadata.labels = { sneaky: 'yes' };
    (requested.spec as { replicas: number }).replicas = 9;
    requested.status = { observedGeneration: 1, replicas: 3 };

    const next = strategy.prepareForStatusUpdate?.(requested, stored());
    expect(next?.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2' });
    expect(next?.metadata.labels).toEqual({ app: 'web' });
    expect(next?.spec).toEqual(stored().spec);
    expect(next?.status).toEqual({ observedGeneration: 1, replicas: 3 });
  });

  it('a status write leaves a Deployment without labels without labels', () => {
    const current = stored();
    delete current.metadata.labels;
    const next = strategy.prepareForStatusUpdate?.(stored(), current);
    expect(next?.metadata).not.toHaveProperty('labels');
  });
});
