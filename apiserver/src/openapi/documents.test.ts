// The OpenAPI documents, checked structurally: every built-in kind is there under Kubernetes'
// name with its GVK, every $ref resolves, the extensions kubectl reads are where Kubernetes has
// them, custom resources' schemas are included, and the gnostic protobuf carries the same.
import { builtinKinds, type CustomResourceDefinition } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { makeCrd } from '../crd/testing/crd-fixtures.js';
import { builtinDefinitions } from './builtin-definitions.js';
import { describedKeys } from './descriptions.js';
import { decodeGnosticV2, encodeGnosticV2 } from './gnostic-v2.js';
import { openApiV2Document, openApiV3Document, openApiV3Root } from './documents.js';
import type { Definitions, OpenApiSchema } from './schema-types.js';

const crd = makeCrd().build() as unknown as CustomResourceDefinition;
const widgetKind = {
  ...builtinKinds[0],
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  apiVersion: 'example.com/v1',
  listKind: 'WidgetList',
  resource: 'widgets',
  singular: 'widget',
  namespaced: true,
  shortNames: [],
  categories: [],
  subresources: [],
} as (typeof builtinKinds)[number];
const served = [...builtinKinds, widgetKind];

const definitionNames: Readonly<Record<string, string>> = {
  Pod: 'io.k8s.api.core.v1.Pod',
  Service: 'io.k8s.api.core.v1.Service',
  Deployment: 'io.k8s.api.apps.v1.Deployment',
  Lease: 'io.k8s.api.coordination.v1.Lease',
  EndpointSlice: 'io.k8s.api.discovery.v1.EndpointSlice',
  CustomResourceDefinition:
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
};

function v3(group: string, version: string): Definitions {
  const doc = openApiV3Document(served, [crd], group, version, 'v1.31.0') as {
    components: { schemas: Definitions };
  };
  return doc.components.schemas;
}

function refsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' ? [v] : refsOf(v),
  );
}

function byGvk(
  defs: Definitions,
  group: string,
  version: string,
  kind: string,
): [string, OpenApiSchema] | undefined {
  return Object.entries(defs).find(([, s]) =>
    (s['x-kubernetes-group-version-kind'] ?? []).some(
      (g) => g.group === group && g.version === version && g.kind === kind,
    ),
  );
}

describe('OpenAPI v3', () => {
  it.each(builtinKinds.map((k) => [k.kind, k] as const))(
    'describes %s and its list under their group/version, with the GVK',
    (_name, k) => {
      const defs = v3(k.group, k.version);
      const item = byGvk(defs, k.group, k.version, k.kind);
      expect(item, k.kind).toBeDefined();
      expect(item?.[1].properties?.metadata).toBeDefined();
      expect(item?.[1].properties?.apiVersion?.type).toBe('string');
      const expectedName = definitionNames[k.kind];
      if (expectedName) expect(item?.[0]).toBe(expectedName);
      expect(byGvk(defs, k.group, k.version, k.listKind)).toBeDefined();
    },
  );

  it.each([...new Set(served.map((k) => `${k.group}/${k.version}`))])(
    'resolves every $ref of the %s document inside it',
    (gv) => {
      const [group = '', version = ''] = gv.split('/');
      const defs = v3(group, version);
      for (const ref of refsOf(defs)) {
        expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
        expect(defs[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
      }
    },
  );

  it('carries the fields, types, required and list extensions kubectl reads', () => {
    const defs = v3('', 'v1');
    const podSpec = defs['io.k8s.api.core.v1.PodSpec'];
    expect(podSpec?.required).toEqual(['containers']);
    expect(podSpec?.properties?.containers).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(podSpec?.properties?.tolerations?.['x-kubernetes-list-type']).toBe('atomic');
    const container = defs['io.k8s.api.core.v1.Container'];
    expect(container?.required).toEqual(['name']);
    expect(container?.properties?.livenessProbe?.allOf).toEqual([
      { $ref: '#/components/schemas/io.k8s.api.core.v1.Probe' },
    ]);
    expect(container?.properties?.livenessProbe?.description).toBeTruthy();
    // Probe embeds ProbeHandler in Go: its fields are Probe's own in JSON.
    expect(Object.keys(defs['io.k8s.api.core.v1.Probe']?.properties ?? {})).toEqual(
      expect.arrayContaining(['exec', 'httpGet', 'tcpSocket', 'grpc', 'periodSeconds']),
    );
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    });
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']?.properties?.labels).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
      description: expect.any(String) as unknown,
    });
  });

  it('marks retainKeys on the deployment strategy', () => {
    const spec = v3('apps', 'v1')['io.k8s.api.apps.v1.DeploymentSpec'];
    expect(spec?.properties?.strategy?.['x-kubernetes-patch-strategy']).toBe('retainKeys');
  });

  it("includes a custom resource's schema with ObjectMeta and its GVK", () => {
    const defs = v3('example.com', 'v1');
    const widget = defs['com.example.v1.Widget'];
    expect(widget?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Widget' },
    ]);
    expect(widget?.properties?.metadata).toEqual({
      $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    });
    expect(widget?.properties?.spec?.properties?.size).toMatchObject({ type: 'integer' });
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    expect(defs['com.example.v1.WidgetList']).toBeDefined();
  });

  it('indexes every group/version with a hash that follows the document', () => {
    const root = openApiV3Root(served, [crd], 'v1.31.0') as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    expect(Object.keys(root.paths)).toEqual(
      expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/example.com/v1']),
    );
    const changed = makeCrd()
      .schema({ type: 'object' })
      .build() as unknown as CustomResourceDefinition;
    const after = openApiV3Root(served, [changed], 'v1.31.0') as typeof root;
    expect(after.paths['apis/example.com/v1']).not.toEqual(root.paths['apis/example.com/v1']);
    expect(after.paths['api/v1']).toEqual(root.paths['api/v1']);
  });
});

describe('OpenAPI v2', () => {
  const doc = openApiV2Document(served, [crd], 'v1.31.0');

  it('holds every kind once, with every $ref resolved in definitions', () => {
    for (const k of builtinKinds) {
      expect(byGvk(doc.definitions, k.group, k.version, k.kind), k.kind).toBeDefined();
    }
    for (const ref of refsOf(doc.definitions)) {
      expect(doc.definitions[ref.slice('#/definitions/'.length)], ref).toBeDefined();
    }
    // v2 writes descriptions beside a $ref; it has no allOf wrapping.
    expect(
      doc.definitions['io.k8s.api.core.v1.Container']?.properties?.livenessProbe,
    ).toMatchObject({ $ref: '#/definitions/io.k8s.api.core.v1.Probe' });
  });

  it('round-trips through gnostic protobuf with its extensions as YAML', () => {
    const decoded = decodeGnosticV2(encodeGnosticV2(doc)) as {
      swagger: string;
      definitions: {
        additional_properties: {
          name: string;
          value: { vendor_extension?: { name: string; value: { yaml: string } }[] };
        }[];
      };
    };
    expect(decoded.swagger).toBe('2.0');
    const names = decoded.definitions.additional_properties.map((d) => d.name);
    expect(names.sort()).toEqual(Object.keys(doc.definitions).sort());
    const pod = decoded.definitions.additional_properties.find(
      (d) => d.name === 'io.k8s.api.core.v1.Pod',
    );
    const gvk = pod?.value.vendor_extension?.find(
      (e) => e.name === 'x-kubernetes-group-version-kind',
    );
    expect(JSON.parse(gvk?.value.yaml ?? 'null')).toEqual([
      { group: '', version: 'v1', kind: 'Pod' },
    ]);
  });
});

describe('descriptions', () => {
  it('name only definitions and fields that exist', () => {
    const defs = builtinDefinitions('v3');
    const { types, fields } = describedKeys();
    for (const name of types) expect(defs[name], name).toBeDefined();
    for (const key of fields) {
      const dot = key.lastIndexOf('.');
      const owner = defs[key.slice(0, dot)];
      expect(owner?.properties?.[key.slice(dot + 1)], key).toBeDefined();
    }
  });
});
