import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../validation/field-error.js';
import { loadManifest, smallManifests, type Manifest } from './testdata/load.js';
import { validateStructure } from './validate.js';

/** A copy of a fixture with one change applied, so each case states only what it breaks. */
function broken(name: 'deployment' | 'service' | 'pod' | 'crd', change: (m: Manifest) => void) {
  const manifest = loadManifest(name);
  change(manifest);
  return manifest;
}

// Fixtures are plain JSON; this walks into one without a cast at every step.
type Json = Record<string | number, unknown>;
const at = (m: unknown, ...keys: (string | number)[]): Json =>
  keys.reduce<Json>((o, k) => o[k] as Json, m as Json);

function messages(obj: unknown): string[] {
  return validateStructure(obj).map(formatFieldError);
}

describe('validateStructure', () => {
  it.each(['deployment', 'service', 'pod', 'crd'] as const)(
    'accepts the real %s manifest with no errors',
    (name) => {
      expect(messages(loadManifest(name))).toEqual([]);
    },
  );

  it.each(smallManifests.map((m) => [m.kind, m] as const))(
    'accepts a valid %s with no errors',
    (_kind, manifest) => {
      expect(messages(manifest)).toEqual([]);
    },
  );

  it.each([
    {
      what: 'a string where an integer belongs',
      manifest: broken('deployment', (m) => (at(m, 'spec').replicas = 'three')),
      field: 'spec.replicas',
      type: 'FieldValueTypeInvalid',
      message:
        'spec.replicas: Invalid value: "three": spec.replicas in body must be of type integer: "string"',
    },
    {
      what: 'a string container port, deep in a list',
      manifest: broken('deployment', (m) => {
        at(m, 'spec', 'template', 'spec', 'containers', 0, 'ports', 0).containerPort = '80';
      }),
      field: 'spec.template.spec.containers[0].ports[0].containerPort',
      type: 'FieldValueTypeInvalid',
      message:
        'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "80": spec.template.spec.containers[0].ports[0].containerPort in body must be of type integer: "string"',
    },
    {
      what: 'a number as a label value, reported by map key',
      manifest: broken('service', (m) => (at(m, 'metadata', 'labels').app = 7)),
      field: 'metadata.labels[app]',
      type: 'FieldValueTypeInvalid',
      message:
        'metadata.labels[app]: Invalid value: 7: metadata.labels[app] in body must be of type string: "integer"',
    },
    {
      what: 'a map key containing a slash',
      manifest: broken('deployment', (m) => {
        at(m, 'metadata', 'annotations')['kubernetes.io/change-cause'] = true;
      }),
      field: 'metadata.annotations[kubernetes.io/change-cause]',
      type: 'FieldValueTypeInvalid',
      message:
        'metadata.annotations[kubernetes.io/change-cause]: Invalid value: true: metadata.annotations[kubernetes.io/change-cause] in body must be of type string: "boolean"',
    },
    {
      what: 'a container without a name',
      manifest: broken('pod', (m) => delete at(m, 'spec', 'containers', 0).name),
      field: 'spec.containers[0].name',
      type: 'FieldValueRequired',
      message: 'spec.containers[0].name: Required value',
    },
    {
      what: 'a boolean targetPort',
      manifest: broken('service', (m) => (at(m, 'spec', 'ports', 0).targetPort = true)),
      field: 'spec.ports[0].targetPort',
      type: 'FieldValueTypeInvalid',
      message:
        'spec.ports[0].targetPort: Invalid value: true: spec.ports[0].targetPort in body must be of type integer or string: "boolean"',
    },
    {
      what: 'a string where a list belongs',
      manifest: broken('pod', (m) => (at(m, 'spec').tolerations = 'none')),
      field: 'spec.tolerations',
      type: 'FieldValueTypeInvalid',
      message:
        'spec.tolerations: Invalid value: "none": spec.tolerations in body must be of type array: "string"',
    },
    {
      what: 'a timestamp that is not RFC 3339',
      manifest: broken('pod', (m) => (at(m, 'status').startTime = 'yesterday')),
      field: 'status.startTime',
      type: 'FieldValueInvalid',
      message:
        'status.startTime: Invalid value: "yesterday": status.startTime in body must be of type date-time: "yesterday"',
    },
    {
      what: 'a port beyond int32',
      manifest: broken('service', (m) => (at(m, 'spec', 'ports', 1).port = 2 ** 31)),
      field: 'spec.ports[1].port',
      type: 'FieldValueInvalid',
      message:
        'spec.ports[1].port: Invalid value: 2147483648: spec.ports[1].port in body should be less than or equal to 2147483647',
    },
    {
      what: 'a wrong type inside a CRD schema, through the recursive definition',
      manifest: broken('crd', (m) => {
        const spec = at(m, 'spec', 'versions', 0, 'schema', 'openAPIV3Schema', 'properties');
        at(spec, 'spec', 'properties', 'tags', 'items').type = 3;
      }),
      field: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[tags].items.type',
      type: 'FieldValueTypeInvalid',
      message:
        'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[tags].items.type: Invalid value: 3: spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[tags].items.type in body must be of type string: "integer"',
    },
  ])('reports $what at its Kubernetes field path', ({ manifest, field, type, message }) => {
    const errors = validateStructure(manifest);
    expect(errors.map((e) => ({ field: e.field, type: e.type }))).toEqual([{ field, type }]);
    expect(messages(manifest)).toEqual([message]);
  });

  it('rejects Secret data that is not base64', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: {}, data: { key: 'not base64!' } };
    expect(validateStructure(secret)).toMatchObject([
      { field: 'data[key]', type: 'FieldValueInvalid', badValue: 'not base64!' },
    ]);
  });

  it('reports every error at once, not only the first', () => {
    const deployment = broken('deployment', (m) => {
      at(m, 'spec').replicas = 'three';
      at(m, 'spec', 'template', 'spec', 'containers', 0).image = 1;
      delete at(m, 'spec').selector;
    });
    expect(validateStructure(deployment).map((e) => e.field)).toEqual(
      expect.arrayContaining([
        'spec.selector',
        'spec.replicas',
        'spec.template.spec.containers[0].image',
      ]),
    );
  });

  it('ignores fields it does not know, as the apiserver does', () => {
    const pod = broken('pod', (m) => {
      at(m, 'spec').someFutureField = { nested: [1, 2] };
      m.extra = 'kept';
    });
    expect(messages(pod)).toEqual([]);
  });

  it('treats null fields as absent, as Go decoding does', () => {
    const pod = broken('pod', (m) => {
      at(m, 'metadata').creationTimestamp = null;
      at(m, 'spec', 'containers', 0).resources = null;
      at(m, 'spec').nodeSelector = null;
    });
    expect(messages(pod)).toEqual([]);
  });

  it('names the kind it does not know, and what it knows for that apiVersion', () => {
    const [error] = validateStructure({ apiVersion: 'v1', kind: 'Widget', metadata: {} });
    expect(error).toMatchObject({
      type: 'FieldValueNotSupported',
      field: 'kind',
      badValue: 'Widget',
    });
    expect(error?.detail).toContain('no kind "Widget" is registered for version "v1"');
    expect(error?.detail).toContain('"Pod"');
  });

  it('names the apiVersion it does not know, and lists those it does', () => {
    const [error] = validateStructure({ apiVersion: 'example.com/v9', kind: 'Widget' });
    expect(error).toMatchObject({ type: 'FieldValueNotSupported', field: 'apiVersion' });
    expect(error?.detail).toContain('"apps/v1"');
  });

  it('requires apiVersion and kind before anything else', () => {
    expect(messages({ metadata: { name: 'x' } })).toEqual([
      'apiVersion: Required value',
      'kind: Required value',
    ]);
  });

  it('treats an empty apiVersion as missing', () => {
    expect(messages({ apiVersion: '', kind: 'Pod' })).toEqual(['apiVersion: Required value']);
  });

  it('rejects a body that is not an object', () => {
    expect(validateStructure([1, 2])).toMatchObject([
      { field: 'body', type: 'FieldValueTypeInvalid' },
    ]);
  });

  it('validates a second object of the same kind with the cached validator', () => {
    expect(messages(loadManifest('service'))).toEqual([]);
    const bad = broken('service', (m) => (at(m, 'spec').selector = 'app=web'));
    expect(validateStructure(bad).map((e) => e.field)).toEqual(['spec.selector']);
  });

  it.each([
    ['Pod', 'v1', (spec: unknown) => ({ spec }), 'spec'],
    [
      'ReplicaSet',
      'apps/v1',
      (spec: unknown) => ({ spec: { template: { spec } } }),
      'spec.template.spec',
    ],
    [
      'Deployment',
      'apps/v1',
      (spec: unknown) => ({ spec: { template: { spec } } }),
      'spec.template.spec',
    ],
  ])(
    'reports a %s pod spec error (PodSpec compiled once, shared) at its full path',
    (kind, apiVersion, wrap, at) => {
      const spec = { containers: [{ name: 5, image: 'x' }] };
      const errors = validateStructure({
        apiVersion,
        kind,
        metadata: { name: 'a' },
        ...wrap(spec),
      });
      expect(errors.map((e) => e.field)).toContain(`${at}.containers[0].name`);
    },
  );
});
