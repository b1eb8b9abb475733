import { describe, expect, it } from 'vitest';
import type {
  ConfigMap,
  CustomResourceDefinition,
  Endpoints,
  Event,
  Lease,
  Namespace,
  Node,
  Secret,
} from '../types/index.js';
import { validateConfigMap, validateConfigMapUpdate } from './configmap.js';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from './crd.js';
import { validateEndpoints } from './endpoints.js';
import { validateEvent } from './event.js';
import { validateLease } from './lease.js';
import { validateNamespace } from './namespace.js';
import { validateNode } from './node.js';
import { validateSecret, validateSecretUpdate } from './secret.js';
import { expectFieldError } from './testing/expect-field-error.js';

const ns = (name: string, finalizers?: string[]): Namespace => ({
  metadata: { name },
  spec: { finalizers },
});

describe('validateNamespace', () => {
  it('accepts a DNS label and standard finalizers', () => {
    expect(validateNamespace(ns('team-a', ['kubernetes']))).toEqual([]);
  });

  it.each([
    ['team.a', 'must not contain dots'],
    ['Team', 'a lowercase RFC 1123 label must consist of'],
    ['a'.repeat(64), 'must be no more than 63 characters'],
  ])('rejects the name %j', (name, detail) => {
    expectFieldError(validateNamespace(ns(name)), 'metadata.name', 'FieldValueInvalid', detail);
  });

  it('rejects unqualified non-standard spec finalizers', () => {
    expectFieldError(
      validateNamespace(ns('x', ['cleanup'])),
      'spec.finalizers',
      'FieldValueInvalid',
      'name is neither a standard finalizer name nor is it fully qualified',
    );
  });
});

describe('validateNode', () => {
  const node = (fields: Partial<Node> = {}): Node => ({
    metadata: { name: 'node-1.example' },
    ...fields,
  });

  it('accepts a node with capacity and a taint', () => {
    expect(
      validateNode(
        node({
          spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
          status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
        }),
      ),
    ).toEqual([]);
  });

  it('rejects bad taints and quantities', () => {
    const errs = validateNode(
      node({
        spec: {
          taints: [
            { key: 'a', effect: 'Sometimes' as 'NoSchedule' },
            { key: 'b', effect: 'NoSchedule' },
            { key: 'b', effect: 'NoSchedule' },
          ],
        },
        status: { capacity: { cpu: 'four' } },
      }),
    );
    expectFieldError(errs, 'spec.taints[0].effect', 'FieldValueNotSupported');
    expectFieldError(
      errs,
      'spec.taints[2]',
      'FieldValueInvalid',
      'taints must be unique by key and effect pair',
    );
    expectFieldError(errs, 'status.capacity[cpu]', 'FieldValueInvalid', 'quantities must match');
  });
});

describe('validateConfigMap', () => {
  const cm = (fields: Partial<ConfigMap>): ConfigMap => ({
    metadata: { name: 'cfg', namespace: 'default' },
    ...fields,
  });

  it('accepts config keys', () => {
    expect(validateConfigMap(cm({ data: { 'app.properties': 'x', KEY_NAME: 'y' } }))).toEqual([]);
  });

  it.each([
    [
      'a/b',
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ],
    ['..', "must not be '..'"],
  ])('rejects the key %j at data[key]', (key, detail) => {
    expectFieldError(
      validateConfigMap(cm({ data: { [key]: 'v' } })),
      `data[${key}]`,
      'FieldValueInvalid',
      detail,
    );
  });

  it('limits the total size to 1 MiB', () => {
    const errs = validateConfigMap(cm({ data: { a: 'x'.repeat(1024 * 1024), b: 'y' } }));
    expectFieldError(errs, '[]', 'FieldValueTooLong', 'may not be more than 1048576 bytes');
  });

  it('refuses a key in both data and binaryData', () => {
    expectFieldError(
      validateConfigMap(cm({ data: { k: 'v' }, binaryData: { k: 'dg==' } })),
      'data[k]',
      'FieldValueInvalid',
      'duplicate of key present in binaryData',
    );
  });

  it('freezes the data of an immutable config map', () => {
    const prev = cm({ data: { k: 'v' }, immutable: true });
    expectFieldError(
      validateConfigMapUpdate(cm({ data: { k: 'w' }, immutable: true }), prev),
      'data',
      'FieldValueForbidden',
      'field is immutable when `immutable` is set',
    );
    expectFieldError(
      validateConfigMapUpdate(cm({ data: { k: 'v' } }), prev),
      'immutable',
      'FieldValueForbidden',
    );
    expect(validateConfigMapUpdate(cm({ data: { k: 'w' } }), cm({ data: { k: 'v' } }))).toEqual([]);
  });
});

describe('validateSecret', () => {
  const secret = (fields: Partial<Secret>): Secret => ({
    metadata: { name: 's', namespace: 'default' },
    ...fields,
  });

  it('accepts base64 data', () => {
    expect(validateSecret(secret({ data: { password: 'c2VjcmV0' } }))).toEqual([]);
  });

  it('requires tls.crt and tls.key for TLS secrets', () => {
    const errs = validateSecret(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }));
    expectFieldError(errs, 'data[tls.key]', 'FieldValueRequired');
    expect(errs).toHaveLength(1);
  });

  it('limits decoded data to 1 MiB', () => {
    const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
    expectFieldError(validateSecret(secret({ data: { a: big } })), 'data', 'FieldValueTooLong');
  });

  it('rejects invalid base64 without echoing it', () => {
    const errs = validateSecret(secret({ data: { a: 'not base64!' } }));
    expectFieldError(errs, 'data[a]', 'FieldValueInvalid');
    expect(errs[0]?.badValue).toBe('<secret contents redacted>');
  });

  it('refuses a changed type and changed data when immutable', () => {
    const prev = secret({ type: 'Opaque', data: { a: 'eA==' }, immutable: true });
    const errs = validateSecretUpdate(
      secret({ type: 'kubernetes.io/tls', data: { a: 'eQ==' }, immutable: true }),
      prev,
    );
    expectFieldError(errs, 'type', 'FieldValueInvalid', 'field is immutable');
    expectFieldError(
      errs,
      'data',
      'FieldValueForbidden',
      'field is immutable when `immutable` is set',
    );
  });
});

describe('validateEndpoints', () => {
  const ep = (subsets: Endpoints['subsets']): Endpoints => ({
    metadata: { name: 'web', namespace: 'default' },
    subsets,
  });

  it('accepts pod addresses and ports', () => {
    expect(
      validateEndpoints(
        ep([{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80, protocol: 'TCP' }] }]),
      ),
    ).toEqual([]);
  });

  it.each([
    ['10.1.2', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ['127.0.0.1', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ['169.254.1.1', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    ['0.0.0.0', 'may not be unspecified (0.0.0.0)'],
  ])('rejects the address %j', (ip, detail) => {
    expectFieldError(
      validateEndpoints(ep([{ addresses: [{ ip }] }])),
      'subsets[0].addresses[0].ip',
      'FieldValueInvalid',
      detail,
    );
  });

  it('requires addresses, and names for several ports', () => {
    expectFieldError(
      validateEndpoints(ep([{ ports: [{ port: 80 }] }])),
      'subsets[0]',
      'FieldValueRequired',
      'must specify `addresses` or `notReadyAddresses`',
    );
    expectFieldError(
      validateEndpoints(
        ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, name: 'a' }, { port: 81 }] }]),
      ),
      'subsets[0].ports[1].name',
      'FieldValueRequired',
    );
  });
});

describe('validateEvent', () => {
  const event = (namespace: string, involved: string | undefined): Event => ({
    metadata: { name: 'web.1', namespace },
    involvedObject: { kind: 'Pod', name: 'web', namespace: involved },
  });

  it('accepts an event in its object’s namespace, or in default for cluster objects', () => {
    expect(validateEvent(event('prod', 'prod'))).toEqual([]);
    expect(validateEvent(event('default', undefined))).toEqual([]);
  });

  it('rejects a namespace mismatch', () => {
    expectFieldError(
      validateEvent(event('prod', 'dev')),
      'involvedObject.namespace',
      'FieldValueInvalid',
      'does not match event.namespace',
    );
    expectFieldError(
      validateEvent(event('prod', undefined)),
      'involvedObject.namespace',
      'FieldValueInvalid',
    );
  });
});

describe('validateLease', () => {
  const lease = (spec: Lease['spec']): Lease => ({
    metadata: { name: 'node-1', namespace: 'kube-node-lease' },
    spec,
  });

  it('accepts a positive duration', () => {
    expect(validateLease(lease({ holderIdentity: 'node-1', leaseDurationSeconds: 40 }))).toEqual(
      [],
    );
  });

  it.each([0, -5])('rejects leaseDurationSeconds %i', (d) => {
    expectFieldError(
      validateLease(lease({ leaseDurationSeconds: d })),
      'spec.leaseDurationSeconds',
      'FieldValueInvalid',
      'must be greater than 0',
    );
  });
});

describe('validateCustomResourceDefinition', () => {
  const crd = (
    edit: (c: CustomResourceDefinition) => void = () => undefined,
  ): CustomResourceDefinition => {
    const c: CustomResourceDefinition = {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    };
    edit(c);
    return c;
  };

  it('accepts a well-formed definition', () => {
    expect(validateCustomResourceDefinition(crd())).toEqual([]);
  });

  it.each<[string, (c: CustomResourceDefinition) => void, string, string, string?]>([
    [
      'a group without a dot',
      (c) => (c.spec.group = 'example'),
      'spec.group',
      'FieldValueInvalid',
      'should be a domain with at least one dot',
    ],
    [
      'a name that is not plural.group',
      (c) => (c.metadata.name = 'gadgets.example.com'),
      'metadata.name',
      'FieldValueInvalid',
      'must be spec.names.plural+"."+spec.group',
    ],
    [
      'an uppercase plural',
      (c) => (c.spec.names.plural = 'Widgets'),
      'spec.names.plural',
      'FieldValueInvalid',
      'a DNS-1035 label must consist of',
    ],
    [
      'no storage version',
      (c) => ((c.spec.versions[0] ?? { storage: true }).storage = false),
      'spec.versions',
      'FieldValueInvalid',
      'must have exactly one version marked as storage version',
    ],
    [
      'two storage versions',
      (c) => c.spec.versions.push({ name: 'v2', served: true, storage: true }),
      'spec.versions',
      'FieldValueInvalid',
      'must have exactly one version marked as storage version',
    ],
    [
      'an unknown scope',
      (c) => (c.spec.scope = 'Global' as 'Cluster'),
      'spec.scope',
      'FieldValueNotSupported',
      'supported values: "Cluster", "Namespaced"',
    ],
    [
      'kind equal to listKind',
      (c) => (c.spec.names.listKind = 'Widget'),
      'spec.names.listKind',
      'FieldValueInvalid',
      'kind and listKind may not be the same',
    ],
  ])('rejects %s', (_what, edit, field, type, detail) => {
    expectFieldError(validateCustomResourceDefinition(crd(edit)), field, type as never, detail);
  });

  it('refuses a changed scope on update', () => {
    expectFieldError(
      validateCustomResourceDefinitionUpdate(
        crd((c) => (c.spec.scope = 'Cluster')),
        crd(),
      ),
      'spec.scope',
      'FieldValueInvalid',
      'field is immutable',
    );
  });
});
