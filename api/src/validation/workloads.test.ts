import { describe, expect, it } from 'vitest';
import { validateDeployment, validateDeploymentUpdate } from './deployment.js';
import { formatFieldError } from './field-error.js';
import type { DeploymentSpec, ReplicaSetSpec } from '../types/index.js';
import { makeDeployment, makePod, makeReplicaSet } from '../testing/builders/index.js';
import { validateReplicaSet, validateReplicaSetUpdate } from './replicaset.js';
import { expectFieldError } from './testing/expect-field-error.js';

describe('validateReplicaSet', () => {
  it('accepts a replica set whose selector matches its template', () => {
    expect(validateReplicaSet(makeReplicaSet().namespace('default').obj())).toEqual([]);
  });

  it('refuses a template its selector does not match, with Kubernetes message', () => {
    const rs = makeReplicaSet()
      .namespace('default')
      .spec({ template: makePod().template({ app: 'api', tier: 'be' }) })
      .obj();
    const errs = validateReplicaSet(rs);
    expect(errs.map(formatFieldError)).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api", "tier":"be"}: `selector` does not match template `labels`',
    ]);
  });

  it.each<[string, Partial<ReplicaSetSpec>, string, string, string?]>([
    [
      'negative replicas',
      { replicas: -1 },
      'spec.replicas',
      'FieldValueInvalid',
      'must be greater than or equal to 0',
    ],
    ['a missing selector', { selector: undefined }, 'spec.selector', 'FieldValueRequired'],
    [
      'an empty selector',
      { selector: {} },
      'spec.selector',
      'FieldValueInvalid',
      'empty selector is invalid for deployment',
    ],
    [
      'a template that restarts only on failure',
      { template: makePod().spec({ restartPolicy: 'OnFailure' }).template({ app: 'web' }) },
      'spec.template.spec.restartPolicy',
      'FieldValueNotSupported',
      'supported values: "Always"',
    ],
    [
      'an invalid pod in the template',
      { template: makePod().container('a', { image: '' }).template({ app: 'web' }) },
      'spec.template.spec.containers[0].image',
      'FieldValueRequired',
    ],
    [
      'an In expression without values',
      { selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } },
      'spec.selector.matchExpressions[0].values',
      'FieldValueRequired',
    ],
  ])('rejects %s', (_what, fields, field, type, detail) => {
    expectFieldError(
      validateReplicaSet(makeReplicaSet().namespace('default').spec(fields).obj()),
      field,
      type as never,
      detail,
    );
  });

  it('refuses a changed selector on update', () => {
    const prev = makeReplicaSet().namespace('default').obj();
    const next = makeReplicaSet()
      .namespace('default')
      .spec({
        selector: { matchLabels: { app: 'web', v: '2' } },
        template: makePod().template({ app: 'web', v: '2' }),
      })
      .obj();
    expectFieldError(
      validateReplicaSetUpdate(next, prev),
      'spec.selector',
      'FieldValueInvalid',
      'field is immutable',
    );
    expect(
      validateReplicaSetUpdate(
        makeReplicaSet().namespace('default').spec({ replicas: 5 }).obj(),
        prev,
      ),
    ).toEqual([]);
  });
});

describe('validateDeployment', () => {
  it('accepts a default deployment and the usual strategies', () => {
    expect(validateDeployment(makeDeployment().namespace('default').obj())).toEqual([]);
    expect(
      validateDeployment(
        makeDeployment()
          .namespace('default')
          .spec({ strategy: { type: 'Recreate' } })
          .obj(),
      ),
    ).toEqual([]);
    expect(
      validateDeployment(
        makeDeployment()
          .namespace('default')
          .spec({
            strategy: {
              type: 'RollingUpdate',
              rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
            },
          })
          .obj(),
      ),
    ).toEqual([]);
  });

  it.each<[string, Partial<DeploymentSpec>, string, string, string?]>([
    [
      'both maxSurge and maxUnavailable 0',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } },
      'spec.strategy.rollingUpdate.maxUnavailable',
      'FieldValueInvalid',
      'may not be 0 when `maxSurge` is 0',
    ],
    [
      'a negative maxSurge',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: -1, maxUnavailable: 1 } } },
      'spec.strategy.rollingUpdate.maxSurge',
      'FieldValueInvalid',
      'must be greater than or equal to 0',
    ],
    [
      'a malformed percentage',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25', maxUnavailable: 1 } } },
      'spec.strategy.rollingUpdate.maxSurge',
      'FieldValueInvalid',
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ],
    [
      'maxUnavailable over 100%',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%' } } },
      'spec.strategy.rollingUpdate.maxUnavailable',
      'FieldValueInvalid',
      'must not be greater than 100%',
    ],
    [
      'Recreate with rollingUpdate',
      { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } },
      'spec.strategy.rollingUpdate',
      'FieldValueForbidden',
      "may not be specified when strategy `type` is 'Recreate'",
    ],
    [
      'a negative revisionHistoryLimit',
      { revisionHistoryLimit: -1 },
      'spec.revisionHistoryLimit',
      'FieldValueInvalid',
    ],
    [
      'a progress deadline not above minReadySeconds',
      { progressDeadlineSeconds: 10, minReadySeconds: 10 },
      'spec.progressDeadlineSeconds',
      'FieldValueInvalid',
      'must be greater than minReadySeconds',
    ],
    [
      'a mismatched template',
      { template: makePod().template({ app: 'other' }) },
      'spec.template.metadata.labels',
      'FieldValueInvalid',
      '`selector` does not match template `labels`',
    ],
  ])('rejects %s', (_what, fields, field, type, detail) => {
    expectFieldError(
      validateDeployment(makeDeployment().namespace('default').spec(fields).obj()),
      field,
      type as never,
      detail,
    );
  });

  it('refuses a changed selector on update', () => {
    const next = makeDeployment()
      .namespace('default')
      .spec({
        selector: { matchLabels: { app: 'web2' } },
        template: makePod().template({ app: 'web2' }),
      })
      .obj();
    expectFieldError(
      validateDeploymentUpdate(next, makeDeployment().namespace('default').obj()),
      'spec.selector',
      'FieldValueInvalid',
      'field is immutable',
    );
  });
});
