// The OpenAPI v3 schema of a kind, from the apiserver's /openapi/v3 (one document per group
// version, listed in an index), and the walk `explain` does along a field path: through
// properties, array items, additionalProperties and `allOf: [{$ref}]` wrappers.
import type { Connection } from './connection.js';
import { UsageError } from './errors.js';

export interface Schema {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly allOf?: readonly Schema[];
  readonly $ref?: string;
  readonly enum?: readonly unknown[];
  readonly 'x-kubernetes-group-version-kind'?: readonly {
    group: string;
    version: string;
    kind: string;
  }[];
}

interface Document {
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>> };
}

export class SchemaDocument {
  constructor(private readonly doc: Document) {}

  /** The top-level schema of group/version/kind, if the document has it. */
  kind(group: string, version: string, kind: string): Schema | undefined {
    return Object.values(this.doc.components?.schemas ?? {}).find((s) =>
      (s['x-kubernetes-group-version-kind'] ?? []).some(
        (g) => g.group === group && g.version === version && g.kind === kind,
      ),
    );
  }

  /** A `$ref` or `allOf: [{$ref}]` followed to its schema; anything else as is. */
  deref(schema: Schema): Schema {
    const ref = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
    if (!ref) return schema;
    return this.doc.components?.schemas?.[ref.replace('#/components/schemas/', '')] ?? schema;
  }

  /** `Container`, `[]string`, `map[string]string`, `Object`: what kubectl shows in <…>. */
  typeName(schema: Schema): string {
    const ref = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
    if (ref) return ref.split('.').pop() ?? 'Object';
    if (schema.type === 'array')
      return `[]${schema.items ? this.typeName(schema.items) : 'Object'}`;
    if (schema.type === 'object' || schema.properties) {
      const extra = schema.additionalProperties;
      return typeof extra === 'object' ? `map[string]${this.typeName(extra)}` : 'Object';
    }
    return schema.type ?? 'Object';
  }
}

/** The document of one group version (`v1`, `apps/v1`). */
export async function openApiDocument(
  conn: Connection,
  groupVersion: string,
): Promise<SchemaDocument> {
  const index = await conn.rest.json<{ paths?: Record<string, { serverRelativeURL?: string }> }>({
    method: 'GET',
    path: '/openapi/v3',
  });
  const key = groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
  const url = index.paths?.[key]?.serverRelativeURL;
  if (!url)
    throw new UsageError(
      `error: couldn't find resource for "${groupVersion}" in the server's OpenAPI v3 documents`,
    );
  const [path = '', query = ''] = url.split('?');
  return new SchemaDocument(
    await conn.rest.json<Document>({ method: 'GET', path, query: new URLSearchParams(query) }),
  );
}
