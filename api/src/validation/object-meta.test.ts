import { describe, expect, it } from 'vitest';
import type { ObjectMeta } from '../types/index.js';
import { formatFieldError } from './field-error.js';
import {
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.js';
import { expectFieldError } from './testing/expect-field-error.js';

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const namespaced = { namespaced: true, nameFn: nameIsDNSSubdomain };
const meta = (m: Partial<ObjectMeta>): ObjectMeta => ({ name: 'ok', namespace: 'default', ...m });

describe('validateObjectMeta', () => {
  it('accepts a plain name in a namespace', () => {
    expect(validateObjectMeta(meta({}), namespaced)).toEqual([]);
  });

  it('requires a name unless generateName is given', () => {
    const errs = validateObjectMeta(meta({ name: undefined }), namespaced);
    expectFieldError(
      errs,
      'metadata.name',
      'FieldValueRequired',
      'name or generateName is required',
    );
    expect(formatFieldError(errs[0] ?? { type: 'InternalError', field: '' })).toBe(
      'metadata.name: Required value: name or generateName is required',
    );
  });

  it('checks a generateName prefix with its trailing dash masked', () => {
    expect(
      validateObjectMeta(meta({ name: 'web-x7k2p', generateName: 'web-' }), namespaced),
    ).toEqual([]);
    expectFieldError(
      validateObjectMeta(meta({ generateName: 'Web-' }), namespaced),
      'metadata.generateName',
      'FieldValueInvalid',
    );
  });

  it.each([
    ['Upper', subdomainMsg],
    ['has_underscore', subdomainMsg],
    ['a'.repeat(254), 'must be no more than 253 characters'],
  ])('rejects the subdomain name %j with Kubernetes message', (name, msg) => {
    const errs = validateObjectMeta(meta({ name }), namespaced);
    expectFieldError(errs, 'metadata.name', 'FieldValueInvalid', msg);
  });

  it('uses the DNS label rule when asked (namespaces, services)', () => {
    const errs = validateObjectMeta(meta({ name: 'a.b' }), {
      namespaced: false,
      nameFn: nameIsDNSLabel,
    });
    expectFieldError(errs, 'metadata.name', 'FieldValueInvalid', 'must not contain dots');
    const upper = validateObjectMeta(meta({ name: 'A', namespace: undefined }), {
      namespaced: false,
      nameFn: nameIsDNSLabel,
    });
    expect(upper.map(formatFieldError)).toEqual([`metadata.name: Invalid value: "A": ${labelMsg}`]);
  });

  it('requires a namespace for namespaced kinds and forbids one otherwise', () => {
    expectFieldError(
      validateObjectMeta(meta({ namespace: undefined }), namespaced),
      'metadata.namespace',
      'FieldValueRequired',
    );
    expectFieldError(
      validateObjectMeta(meta({ namespace: 'Bad' }), namespaced),
      'metadata.namespace',
      'FieldValueInvalid',
    );
    expectFieldError(
      validateObjectMeta(meta({}), { namespaced: false, nameFn: nameIsDNSSubdomain }),
      'metadata.namespace',
      'FieldValueForbidden',
      'not allowed on this type',
    );
  });

  it('reports bad label keys and values at metadata.labels', () => {
    const errs = validateObjectMeta(
      meta({ labels: { 'bad key': 'x', good: 'bad value' } }),
      namespaced,
    );
    expectFieldError(errs, 'metadata.labels', 'FieldValueInvalid', 'name part must consist of');
    expectFieldError(
      errs,
      'metadata.labels',
      'FieldValueInvalid',
      'a valid label must be an empty string',
    );
    expect(errs.map((e) => e.badValue)).toEqual(['bad key', 'bad value']);
  });

  it('limits annotations to 256 KiB in total', () => {
    const errs = validateObjectMeta(
      meta({ annotations: { big: 'x'.repeat(256 * 1024) } }),
      namespaced,
    );
    expectFieldError(
      errs,
      'metadata.annotations',
      'FieldValueTooLong',
      'may not be more than 262144 bytes',
    );
    expect(validateObjectMeta(meta({ annotations: { ok: 'x'.repeat(1000) } }), namespaced)).toEqual(
      [],
    );
  });

  it('checks annotation keys case-insensitively as qualified names', () => {
    expect(
      validateObjectMeta(meta({ annotations: { 'Example.com/Key': 'v' } }), namespaced),
    ).toEqual([]);
    expectFieldError(
      validateObjectMeta(meta({ annotations: { 'a b': 'v' } }), namespaced),
      'metadata.annotations',
      'FieldValueInvalid',
    );
  });

  it('requires every owner reference field', () => {
    const errs = validateObjectMeta(
      meta({ ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] }),
      namespaced,
    );
    expectFieldError(
      errs,
      'metadata.ownerReferences.apiVersion',
      'FieldValueInvalid',
      'version must not be empty',
    );
    expectFieldError(
      errs,
      'metadata.ownerReferences.kind',
      'FieldValueInvalid',
      'must not be empty',
    );
    expectFieldError(
      errs,
      'metadata.ownerReferences.name',
      'FieldValueInvalid',
      'must not be empty',
    );
    expectFieldError(
      errs,
      'metadata.ownerReferences.uid',
      'FieldValueInvalid',
      'must not be empty',
    );
  });

  it('allows only one controller owner', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', uid: 'u', controller: true };
    const errs = validateObjectMeta(
      meta({
        ownerReferences: [
          { ...ref, name: 'a' },
          { ...ref, name: 'b' },
        ],
      }),
      namespaced,
    );
    expectFieldError(
      errs,
      'metadata.ownerReferences',
      'FieldValueInvalid',
      'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
    );
  });

  it('requires finalizers to be qualified names and not both orphan and foreground', () => {
    expectFieldError(
      validateObjectMeta(meta({ finalizers: ['bad name'] }), namespaced),
      'metadata.finalizers',
      'FieldValueInvalid',
    );
    expectFieldError(
      validateObjectMeta(meta({ finalizers: ['orphan', 'foregroundDeletion'] }), namespaced),
      'metadata.finalizers',
      'FieldValueInvalid',
      'finalizer orphan and foregroundDeletion cannot be both set',
    );
    expect(validateObjectMeta(meta({ finalizers: ['example.com/cleanup'] }), namespaced)).toEqual(
      [],
    );
  });
});

describe('validateObjectMetaUpdate', () => {
  it.each(['name', 'namespace', 'uid', 'creationTimestamp'] as const)(
    'refuses to change %s',
    (field) => {
      const prev = meta({ uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' });
      const next = {
        ...prev,
        [field]: field === 'creationTimestamp' ? '2025-01-01T00:00:00Z' : 'other',
      };
      expectFieldError(
        validateObjectMetaUpdate(next, prev),
        `metadata.${field}`,
        'FieldValueInvalid',
        'field is immutable',
      );
    },
  );

  it('refuses new finalizers on an object being deleted', () => {
    const prev = meta({ deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['a.io/x'] });
    const errs = validateObjectMetaUpdate({ ...prev, finalizers: ['a.io/x', 'a.io/y'] }, prev);
    expectFieldError(
      errs,
      'metadata.finalizers',
      'FieldValueForbidden',
      'no new finalizers can be added if the object is being deleted',
    );
  });

  it('accepts label and annotation changes', () => {
    const prev = meta({ labels: { a: '1' } });
    expect(
      validateObjectMetaUpdate({ ...prev, labels: { a: '2' }, annotations: { n: 'x' } }, prev),
    ).toEqual([]);
  });
});
