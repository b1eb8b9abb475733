import { describe, expect, it } from 'vitest';
import type { Event, Namespace, Node, Pod, ReplicaSet, Secret } from '../types/index.js';
import { fieldSelectorForKind, fieldsOf, supportedFieldLabels } from './field-labels.js';
import { FieldSelectorError, escapeValue, parseFieldSelector } from './selector.js';

describe('parseFieldSelector', () => {
  it.each([
    ['', ''],
    ['metadata.name=x', 'metadata.name=x'],
    ['metadata.name==x', 'metadata.name=x'],
    ['spec.nodeName!=', 'spec.nodeName!='],
    [
      'status.phase==Running,metadata.name=x,spec.nodeName!=',
      'metadata.name=x,spec.nodeName!=,status.phase=Running',
    ],
    ['metadata.name=a\\,b', 'metadata.name=a\\,b'],
    ['metadata.name=a\\=b\\\\c', 'metadata.name=a\\=b\\\\c'],
  ])('parses %j into %j', (input, canonical) => {
    expect(parseFieldSelector(input).toString()).toBe(canonical);
  });

  it('unescapes values', () => {
    const [r] = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d').requirements();
    expect(r).toEqual({ field: 'metadata.name', operator: '=', value: 'a,b=c\\d' });
  });

  it('round-trips any value through escapeValue', () => {
    const value = 'we,ird=\\value';
    const s = parseFieldSelector(`metadata.name=${escapeValue(value)}`);
    expect(s.requirements()[0]?.value).toBe(value);
  });

  it.each([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: ='],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j with %j', (input, message) => {
    expect(() => parseFieldSelector(input)).toThrow(FieldSelectorError);
    expect(() => parseFieldSelector(input)).toThrow(message);
  });
});

const pod: Pod = {
  metadata: { name: 'web-1', namespace: 'prod' },
  spec: {
    containers: [{ name: 'a', image: 'x' }],
    nodeName: 'node-1',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    serviceAccountName: 'default',
    hostNetwork: true,
  },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], nominatedNodeName: 'node-2' },
};

const event: Event = {
  metadata: { name: 'web-1.1', namespace: 'prod' },
  involvedObject: {
    kind: 'Pod',
    namespace: 'prod',
    name: 'web-1',
    uid: 'u1',
    apiVersion: 'v1',
    resourceVersion: '7',
    fieldPath: 'spec.containers{a}',
  },
  reason: 'Pulled',
  reportingComponent: 'kubelet',
  type: 'Normal',
};

describe('field selectors per kind', () => {
  it.each<[string, unknown, string, boolean]>([
    ['Pod', pod, 'metadata.name=web-1', true],
    ['Pod', pod, 'metadata.namespace=dev', false],
    ['Pod', pod, 'spec.nodeName=node-1', true],
    ['Pod', pod, 'spec.nodeName!=', true],
    ['Pod', { ...pod, spec: { containers: [] } }, 'spec.nodeName=', true],
    ['Pod', pod, 'spec.restartPolicy=Always', true],
    ['Pod', pod, 'spec.schedulerName=default-scheduler', true],
    ['Pod', pod, 'spec.serviceAccountName=default', true],
    ['Pod', pod, 'spec.hostNetwork=true', true],
    ['Pod', { ...pod, spec: { containers: [] } }, 'spec.hostNetwork=false', true],
    ['Pod', pod, 'status.phase=Running', true],
    ['Pod', pod, 'status.phase!=Running', false],
    ['Pod', pod, 'status.podIP=10.0.0.5', true],
    ['Pod', pod, 'status.nominatedNodeName=node-2', true],
    ['Pod', pod, 'spec.nodeName=node-1,status.phase=Pending', false],
    ['Event', event, 'involvedObject.kind=Pod,involvedObject.name=web-1', true],
    ['Event', event, 'involvedObject.namespace=prod', true],
    ['Event', event, 'involvedObject.uid=u1', true],
    ['Event', event, 'involvedObject.apiVersion=v1', true],
    ['Event', event, 'involvedObject.resourceVersion=7', true],
    ['Event', event, 'involvedObject.fieldPath=spec.containers{a}', true],
    ['Event', event, 'reason=Pulled', true],
    ['Event', event, 'reportingComponent=kubelet', true],
    ['Event', event, 'source=kubelet', true],
    ['Event', event, 'type=Warning', false],
    ['Secret', { metadata: { name: 's' }, type: 'Opaque' } satisfies Secret, 'type=Opaque', true],
    [
      'Node',
      { metadata: { name: 'n' }, spec: { unschedulable: true } } satisfies Node,
      'spec.unschedulable=true',
      true,
    ],
    ['Node', { metadata: { name: 'n' } } satisfies Node, 'spec.unschedulable=false', true],
    [
      'Namespace',
      { metadata: { name: 'ns' }, status: { phase: 'Terminating' } } satisfies Namespace,
      'status.phase=Terminating',
      true,
    ],
    [
      'ReplicaSet',
      {
        metadata: { name: 'rs' },
        spec: { selector: {} },
        status: { replicas: 3 },
      } satisfies ReplicaSet,
      'status.replicas=3',
      true,
    ],
    ['ConfigMap', { metadata: { name: 'c', namespace: 'x' } }, 'metadata.namespace=x', true],
  ])('%s: %j with %j matches: %s', (kind, obj, selector, expected) => {
    expect(fieldSelectorForKind(kind, selector).matches(obj)).toBe(expected);
  });

  it.each([
    ['Pod', 'foo', 'field label not supported: foo'],
    ['Pod', 'type=Opaque', 'field label not supported: type'],
    ['Secret', 'spec.nodeName=x', 'field label not supported: spec.nodeName'],
    ['ConfigMap', 'status.phase=x', 'field label not supported: status.phase'],
  ])('%s rejects %j with %j', (kind, selector, message) => {
    const input = selector.includes('=') ? selector : `${selector}=x`;
    expect(() => fieldSelectorForKind(kind, input)).toThrow(FieldSelectorError);
    expect(() => fieldSelectorForKind(kind, input)).toThrow(message);
  });

  it('lists the labels a kind supports, metadata first', () => {
    expect(supportedFieldLabels('Secret')).toEqual(['metadata.name', 'metadata.namespace', 'type']);
    expect(supportedFieldLabels('Lease')).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('falls back to reportingComponent for source when source is unset', () => {
    expect(fieldsOf('Event', event)['source']).toBe('kubelet');
    expect(fieldsOf('Event', { ...event, source: { component: 'scheduler' } })['source']).toBe(
      'scheduler',
    );
  });
});
