import { describe, expect, it } from 'vitest';
import { fieldErrors, FieldPath } from '../validation/field-error.js';
import type { ApiError } from './api-error.js';
import * as apiErrors from './builders.js';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

describe('the builders', () => {
  it.each<{ built: ApiError; code: number; reason: string; message: string }>([
    {
      built: apiErrors.notFound(deployments, 'web'),
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "web" not found',
    },
    {
      built: apiErrors.pathNotFound(),
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    },
    {
      built: apiErrors.alreadyExists(pods, 'a'),
      code: 409,
      reason: 'AlreadyExists',
      message: 'pods "a" already exists',
    },
    {
      built: apiErrors.conflict(pods, 'a', 'the pod is being deleted'),
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on pods "a": the pod is being deleted',
    },
    {
      built: apiErrors.staleResourceVersion(deployments, 'web'),
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    },
    {
      built: apiErrors.forbidden(pods, 'a', 'no'),
      code: 403,
      reason: 'Forbidden',
      message: 'pods "a" is forbidden: no',
    },
    {
      built: apiErrors.forbidden(pods, '', 'no'),
      code: 403,
      reason: 'Forbidden',
      message: 'pods is forbidden: no',
    },
    { built: apiErrors.unauthorized(), code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
    { built: apiErrors.badRequest('bad'), code: 400, reason: 'BadRequest', message: 'bad' },
    {
      built: apiErrors.methodNotSupported(deployments, 'watch'),
      code: 405,
      reason: 'MethodNotAllowed',
      message: 'watch is not supported on resources of kind "deployments.apps"',
    },
    { built: apiErrors.gone('gone for good'), code: 410, reason: 'Gone', message: 'gone for good' },
    { built: apiErrors.expired('too old'), code: 410, reason: 'Expired', message: 'too old' },
    {
      built: apiErrors.requestEntityTooLarge('limit is 10'),
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: limit is 10',
    },
    {
      built: apiErrors.unsupportedMediaType('text/plain', ['application/json', 'application/yaml']),
      code: 415,
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format (text/plain) - accepted media types include: application/json, application/yaml',
    },
    {
      built: apiErrors.unsupportedMediaType('', ['application/json']),
      code: 415,
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format (none) - accepted media types include: application/json',
    },
    {
      built: apiErrors.tooManyRequests('slow down', 3),
      code: 429,
      reason: 'TooManyRequests',
      message: 'slow down',
    },
    {
      built: apiErrors.timeout('the watch did not start', 2),
      code: 504,
      reason: 'Timeout',
      message: 'Timeout: the watch did not start',
    },
    {
      built: apiErrors.tooLargeResourceVersion(9, 7),
      code: 504,
      reason: 'Timeout',
      message: 'Too large resource version: 9, current: 7',
    },
    {
      built: apiErrors.serviceUnavailable('down'),
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'down',
    },
    {
      built: apiErrors.internal('boom'),
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: boom',
    },
  ])('$code $reason: $message', ({ built, code, reason, message }) => {
    expect([built.code, built.reason, built.message]).toEqual([code, reason, message]);
    expect(built.status).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code,
      reason,
      message,
    });
  });

  it('writes the Status fields in the order the apiserver has always sent them', () => {
    expect(JSON.stringify(apiErrors.notFound(pods, 'a').status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"a\\" not found","reason":"NotFound","details":{"name":"a","kind":"pods"},"code":404}',
    );
    expect(JSON.stringify(apiErrors.badRequest('bad').status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"bad","reason":"BadRequest","code":400}',
    );
  });

  it.each([
    {
      built: apiErrors.notFound(deployments, 'web'),
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    },
    // StatusDetails.group is omitempty: core resources carry none.
    { built: apiErrors.methodNotSupported(pods, 'patch'), details: { kind: 'pods' } },
    { built: apiErrors.notFound(pods, 'a'), details: { name: 'a', kind: 'pods' } },
    { built: apiErrors.tooManyRequests('m', 3), details: { retryAfterSeconds: 3 } },
    { built: apiErrors.timeout('m', 2), details: { retryAfterSeconds: 2 } },
    {
      built: apiErrors.tooLargeResourceVersion(9, 7),
      details: {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      },
    },
    { built: apiErrors.internal('boom'), details: { causes: [{ message: 'boom' }] } },
    { built: apiErrors.badRequest('bad'), details: undefined },
  ])('$built.reason carries details $details', ({ built, details }) => {
    expect(built.status.details).toEqual(details);
  });
});

describe('invalid', () => {
  it('builds the 422 body Kubernetes returns for one error', () => {
    const errs = [
      fieldErrors.required(FieldPath.root('spec').child('containers').index(0).child('image')),
    ];
    const built = apiErrors.invalid({ group: '', kind: 'Pod' }, 'x', errs);
    expect(built.status).toEqual({
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
    expect(built.causes.map((c) => c.field)).toEqual(['spec.containers[0].image']);
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
    const { status } = apiErrors.invalid({ group: 'apps', kind: 'Deployment' }, 'web', errs);
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
    expect(apiErrors.invalid({ group: '', kind: 'Pod' }, 'x', [e, e]).message).toBe(
      'Pod "x" is invalid: spec: Required value',
    );
  });

  it('says only that the object is invalid when no field is named', () => {
    expect(apiErrors.invalid({ group: 'example.com', kind: 'Widget' }, 'w', []).message).toBe(
      'Widget.example.com "w" is invalid',
    );
  });
});
