import { describe, expect, it } from 'vitest';
import { describeField, describeType } from './descriptions.js';
import { kubernetesDescriptions, modelNames, parseModel } from './kubernetes-descriptions.js';

describe("Kubernetes' descriptions from @kubernetes/client-node's models", () => {
  it.each([
    ['io.k8s.api.core.v1.Probe', ['CoreV1Probe', 'V1Probe']],
    ['io.k8s.api.discovery.v1.EndpointPort', ['DiscoveryV1EndpointPort', 'V1EndpointPort']],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', ['V1ObjectMeta']],
    [
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
      ['ApiextensionsV1JSONSchemaProps', 'V1JSONSchemaProps'],
    ],
  ])('names the generated model of %s', (definition, names) => {
    expect(modelNames(definition)).toEqual(names);
  });

  it('reads the class and property doc comments of a generated model', () => {
    const source = [
      '/**',
      ' * Generated header, not a description.',
      ' */',
      "import { V1Other } from '../models/V1Other.js';",
      '/**',
      '* A widget of the test.',
      '*/',
      'export declare class V1Widget {',
      "    'ref'?: V1Other;",
      '    /**',
      '    * How big it is.',
      '    * In centimetres.',
      '    */',
      "    'size'?: number;",
      '    /**',
      '    * Its labels.',
      '    */',
      "    'labels'?: {",
      '        [key: string]: string;',
      '    };',
      '}',
    ].join('\n');
    const parsed = parseModel(source, 'V1Widget');
    expect(parsed.type).toBe('A widget of the test.');
    expect(Object.fromEntries(parsed.fields)).toEqual({
      size: 'How big it is.\nIn centimetres.',
      labels: 'Its labels.',
    });
  });

  it("fills in what skiff has no words for, and keeps skiff's own where it has them", () => {
    const probe = kubernetesDescriptions('io.k8s.api.core.v1.Probe');
    expect(probe.type).toMatch(/health check/);
    const container = kubernetesDescriptions('io.k8s.api.core.v1.Container');
    // skiff says nothing of its own about workingDir: Kubernetes' words fill in.
    expect(container.fields.get('workingDir')).toMatch(/working directory/);
    expect(describeField('io.k8s.api.core.v1.Container', 'workingDir')).toBe(
      container.fields.get('workingDir'),
    );
    // skiff's own words, where it has them, come first.
    expect(describeField('io.k8s.api.core.v1.Container', 'image')).not.toBe(
      container.fields.get('image'),
    );
    expect(describeType('io.k8s.api.core.v1.Probe')).not.toBe(probe.type);
    expect(kubernetesDescriptions('io.k8s.api.core.v1.NoSuchType')).toEqual({
      type: undefined,
      fields: new Map(),
    });
  });
});
