import { describe, expect, it } from 'vitest';
import { makeDeployment, makePod } from '../testing/builders/index.js';
import { hasValidationFor, validateCreate, validateUpdate } from './registry.js';

describe('validateCreate and validateUpdate', () => {
  it('dispatches on apiVersion and kind', () => {
    const pod = makePod().namespace('default').container('a', { image: '' }).obj();
    expect(validateCreate(pod).map((e) => e.field)).toEqual(['spec.containers[0].image']);
    const deploy = makeDeployment().namespace('default').replicas(-1).obj();
    expect(validateCreate(deploy).map((e) => e.field)).toEqual(['spec.replicas']);
    expect(hasValidationFor('apps/v1', 'Deployment')).toBe(true);
  });

  it('applies the update rules of the kind', () => {
    const prev = makePod().namespace('default').container('a').obj();
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
