import { describe, expect, it } from 'vitest';
import type { Pod } from '../types/index.js';
import { makePod } from '../testing/builders/index.js';
import { podUpdateForbiddenMessage, validatePodUpdate } from './pod.js';
import { expectFieldError } from './testing/expect-field-error.js';

const base = (): Pod =>
  makePod()
    .namespace('default')
    .meta({ uid: 'u1', resourceVersion: '5' })
    .initContainer('init')
    .container('app', { image: 'nginx:1.25', ports: [{ containerPort: 80 }] })
    .spec({
      activeDeadlineSeconds: 600,
      terminationGracePeriodSeconds: 30,
      tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
    })
    .obj();

function changed(edit: (p: Pod) => void): Pod {
  const next = structuredClone(base());
  edit(next);
  return next;
}

describe('validatePodUpdate', () => {
  it.each<[string, (p: Pod) => void]>([
    ['nothing', () => undefined],
    ['a container image', (p) => ((p.spec.containers[0] ?? { name: '' }).image = 'nginx:1.26')],
    [
      'an init container image',
      (p) => ((p.spec.initContainers?.[0] ?? { name: '' }).image = 'busybox:2'),
    ],
    ['a lower activeDeadlineSeconds', (p) => (p.spec.activeDeadlineSeconds = 300)],
    ['an added toleration', (p) => p.spec.tolerations?.push({ key: 'b', operator: 'Exists' })],
    [
      'a toleration’s tolerationSeconds',
      (p) => ((p.spec.tolerations?.[0] ?? {}).tolerationSeconds = 10),
    ],
    ['labels', (p) => (p.metadata.labels = { app: 'web' })],
  ])('allows changing %s', (_what, edit) => {
    expect(validatePodUpdate(changed(edit), base())).toEqual([]);
  });

  it.each<[string, (p: Pod) => void]>([
    [
      'container ports',
      (p) => ((p.spec.containers[0] ?? { name: '' }).ports = [{ containerPort: 81 }]),
    ],
    ['the node', (p) => (p.spec.nodeName = 'node-2')],
    ['the restart policy', (p) => (p.spec.restartPolicy = 'Never')],
    ['the container list', (p) => p.spec.containers.push({ name: 'b', image: 'x' })],
    ['the grace period of a running pod', (p) => (p.spec.terminationGracePeriodSeconds = 5)],
  ])('forbids changing %s', (_what, edit) => {
    const errs = validatePodUpdate(changed(edit), base());
    expectFieldError(errs, 'spec', 'FieldValueForbidden', podUpdateForbiddenMessage);
  });

  it('names the changed fields after the message', () => {
    const errs = validatePodUpdate(
      changed((p) => (p.spec.nodeName = 'node-2')),
      base(),
    );
    expect(errs[0]?.detail).toContain('spec.nodeName: null -> "node-2"');
  });

  it('allows the grace period to change while the pod is being deleted', () => {
    const prev = structuredClone(base());
    prev.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    const next = structuredClone(prev);
    next.spec.terminationGracePeriodSeconds = 0;
    expect(validatePodUpdate(next, prev)).toEqual([]);
  });

  it('refuses a raised or removed activeDeadlineSeconds', () => {
    expectFieldError(
      validatePodUpdate(
        changed((p) => (p.spec.activeDeadlineSeconds = 900)),
        base(),
      ),
      'spec.activeDeadlineSeconds',
      'FieldValueInvalid',
      'must be less than or equal to previous value',
    );
    expectFieldError(
      validatePodUpdate(
        changed((p) => delete p.spec.activeDeadlineSeconds),
        base(),
      ),
      'spec.activeDeadlineSeconds',
      'FieldValueInvalid',
      'must not update from a positive integer to nil value',
    );
  });

  it('refuses removing or editing an existing toleration', () => {
    expectFieldError(
      validatePodUpdate(
        changed((p) => (p.spec.tolerations = [])),
        base(),
      ),
      'spec.tolerations',
      'FieldValueForbidden',
      'existing toleration can not be modified except its tolerationSeconds',
    );
  });

  it('still validates the new spec', () => {
    expectFieldError(
      validatePodUpdate(
        changed((p) => ((p.spec.containers[0] ?? { name: '' }).image = '')),
        base(),
      ),
      'spec.containers[0].image',
      'FieldValueRequired',
    );
  });
});
