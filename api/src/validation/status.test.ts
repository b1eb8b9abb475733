import { describe, expect, it } from 'vitest';
import { fieldErrors, FieldPath } from './field-error.js';
import { makeDeployment, makePod } from './fixtures.js';
import { hasValidationFor, validateCreate, validateUpdate } from './registry.js';
import { invalidStatus } from './status.js';

describe('invalidStatus', () => {
  it('builds the 422 body Kubernetes returns for one error', () => {
    const errs = [
      fieldErrors.required(FieldPath.root('spec').child('containers').index(0).child('image')),
    ];
    expect(invalidStatus('Pod', 'x', errs)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Pod "x" is invalid: spec.containers[0].image: Required value',
      reason: 'Invalid',
      details: {
        name: 'x',
        kind: 'Pod',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'spec.containers[0].image',
          },
        ],
      },
      code: 422,
    });
  });

  it('qualifies kinds outside the core group and joins several errors in brackets', () => {
    const errs = [
      fieldErrors.invalid(
        FieldPath.root('spec').child('replicas'),
        -1,
        'must be greater than or equal to 0',
      ),
      fieldErrors.required(FieldPath.root('spec').child('selector')),
    ];
    const status = invalidStatus('Deployment', 'web', errs);
    expect(status.message).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]',
    );
    expect(status.details?.group).toBe('apps');
    expect(status.details?.causes?.[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: -1: must be greater than or equal to 0',
      field: 'spec.replicas',
    });
  });

  it('prints a repeated message once', () => {
    const e = fieldErrors.required(FieldPath.root('spec'));
    expect(invalidStatus('Pod', 'x', [e, e]).message).toBe(
      'Pod "x" is invalid: spec: Required value',
    );
  });

  it('takes the group of a custom resource from the caller', () => {
    expect(invalidStatus('Widget', 'w', [], 'example.com').message).toBe(
      'Widget.example.com "w" is invalid',
    );
  });
});

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
