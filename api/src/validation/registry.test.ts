import { describe, expect, it } from 'vitest';
import { makeDeployment, makePod } from './fixtures.js';
import { hasValidationFor, validateCreate, validateUpdate } from './registry.js';

describe('validateCreate and validateUpdate', () => {
  it('dispatches on apiVersion and kind', () => {
    const pod = makePod().container('a', { image: '' }).build();
    expect(validateCreate(pod).map((e) => e.field)).toEqual(['spec.containers[0].image']);
    const deploy = makeDeployment({ replicas: -1 });
    expect(validateCreate(deploy).map((e) => e.field)).toEqual(['spec.replicas']);
    expect(hasValidationFor('apps/v1', 'Deployment')).toBe(true);
  });

  it('applies the update rules of the kind', () => {
    const prev = makePod().container('a').build();
    const next = structuredClone(prev);
    next.spec.nodeName = 'node-9';
    expect(validateUpdate(next, prev).map((e) => e.type)).toEqual(['FieldValueForbidden']);
  });

  it('checks only metadata for kinds it has no rules for', () => {
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'Bad_Name', namespace: 'default' },
    };
    expect(validateCreate(widget, { namespaced: true }).map((e) => e.field)).toEqual([
      'metadata.name',
    ]);
    expect(
      validateCreate({ ...widget, metadata: { name: 'w' } }, { namespaced: true }).map(
        (e) => e.field,
      ),
    ).toEqual(['metadata.namespace']);
  });
});
