// Fixture builders for CRD tests: a CRD manifest changed one fact at a time, and the URLs of
// its custom resources.
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinitionVersion,
  JSONSchemaProps,
} from '@skiff/api';

export interface CrdManifest {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: {
      plural: string;
      singular?: string;
      kind: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions: CustomResourceDefinitionVersion[];
  };
}

/** The widget schema most tests use: typed spec with bounds, a default and a status. */
export const widgetSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        color: { type: 'string', enum: ['red', 'green', 'blue'], default: 'red' },
        replicas: { type: 'integer', format: 'int32', default: 1 },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: {
      type: 'object',
      properties: { ready: { type: 'boolean' }, replicas: { type: 'integer' } },
    },
  },
};

export class CrdBuilder {
  private readonly manifest: CrdManifest;

  constructor(plural = 'widgets', kind = 'Widget', group = 'example.com') {
    this.manifest = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural, singular: plural.replace(/s$/, ''), kind },
        versions: [
          { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: widgetSchema } },
        ],
      },
    };
  }

  cluster(): this {
    this.manifest.spec.scope = 'Cluster';
    return this;
  }

  shortNames(...names: string[]): this {
    this.manifest.spec.names.shortNames = names;
    return this;
  }

  categories(...names: string[]): this {
    this.manifest.spec.names.categories = names;
    return this;
  }

  schema(schema: JSONSchemaProps): this {
    for (const v of this.manifest.spec.versions) v.schema = { openAPIV3Schema: schema };
    return this;
  }

  statusSubresource(): this {
    for (const v of this.manifest.spec.versions) v.subresources = { ...v.subresources, status: {} };
    return this;
  }

  scaleSubresource(): this {
    for (const v of this.manifest.spec.versions) {
      v.subresources = {
        ...v.subresources,
        scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
      };
    }
    return this;
  }

  printerColumns(...columns: CustomResourceColumnDefinition[]): this {
    for (const v of this.manifest.spec.versions) v.additionalPrinterColumns = columns;
    return this;
  }

  /** Replaces the versions: `served` in order, the one named `storage` stores. */
  versions(names: string[], storage: string): this {
    const schema = this.manifest.spec.versions[0]?.schema;
    this.manifest.spec.versions = names.map((name) => ({
      name,
      served: true,
      storage: name === storage,
      ...(schema ? { schema } : {}),
    }));
    return this;
  }

  build(): CrdManifest {
    return structuredClone(this.manifest);
  }
}

export const makeCrd = (plural?: string, kind?: string, group?: string): CrdBuilder =>
  new CrdBuilder(plural, kind, group);

export const crdPath = (name?: string): string =>
  `/apis/apiextensions.k8s.io/v1/customresourcedefinitions${name ? `/${name}` : ''}`;

/** `/apis/example.com/v1/namespaces/default/widgets[/name]`, or without the namespace. */
export function resourcePath(
  crd: CrdManifest,
  options: { version?: string; namespace?: string; name?: string } = {},
): string {
  const version = options.version ?? crd.spec.versions[0]?.name ?? 'v1';
  const namespaced = crd.spec.scope === 'Namespaced';
  const ns = namespaced ? `/namespaces/${options.namespace ?? 'default'}` : '';
  return `/apis/${crd.spec.group}/${version}${ns}/${crd.spec.names.plural}${options.name ? `/${options.name}` : ''}`;
}

export function widget(
  name: string,
  spec: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec, ...extra };
}
