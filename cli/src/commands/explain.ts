// `skiff explain TYPE[.field…]`: the kind's schema from the apiserver's OpenAPI v3, printed as
// kubectl 1.27+ prints it (KIND/VERSION, the field and its type, its description and the type's,
// then each field with its type, -required- and description). `skiff explain pod NAME` is the
// scheduler's decision for that pod instead (./explain-decision.ts).
import { NoMatchError, type ResourceMapping } from '@skiff/client';
import { UsageError } from '../kubectl/errors.js';
import { openApiDocument, type Schema, type SchemaDocument } from '../kubectl/openapi-schema.js';
import { verbCommand } from '../kubectl/run-verb.js';
import { explainDecision, findScheduler } from './explain-decision.js';

const usage = `Describe fields and structure of resources, from the server's OpenAPI schema.

Usage:
  skiff explain TYPE[.FIELD…] [--api-version=group/version] [--recursive]
  skiff explain pod NAME [--scheduler URL]   the scheduler's decision for the pod, per node

Examples:
  skiff explain pods
  skiff explain deployments.spec.strategy
  skiff explain pod web-7d9c-abcde
`;

const verb = {
  name: 'explain',
  usage,
  options: {
    'api-version': { type: 'string' },
    recursive: { type: 'boolean' },
    scheduler: { type: 'string' },
  },
} as const;

const WIDTH = 80;

export const explainCommand = verbCommand(verb, async ({ flags, args, conn, out }) => {
  const [what, podName] = args;
  if (!what) {
    throw new UsageError(
      'error: You must specify the type of resource to explain. Use "skiff api-resources" for a complete list of supported resources.',
    );
  }
  const [resource = '', ...fieldPath] = what.split('.');
  const mapper = await conn.mapper();
  let mapping;
  try {
    mapping = mapper.resourceFor(resource);
  } catch (err) {
    // kubectl explain words this one without its usual `error: `.
    if (err instanceof NoMatchError) throw new UsageError(err.message);
    throw err;
  }
  if (podName !== undefined) {
    if (mapping.kind !== 'Pod' || fieldPath.length > 0)
      throw new UsageError("error: only 'skiff explain pod NAME' takes a name");
    return explainDecision(conn, podName, await findScheduler(flags), out);
  }
  if (flags['api-version'])
    mapping = withApiVersion(mapper.mappings, mapping, flags['api-version']);
  const groupVersion = mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version;
  const doc = await openApiDocument(conn, groupVersion);
  const root = doc.kind(mapping.group, mapping.version, mapping.kind);
  if (!root)
    throw new UsageError(
      `error: couldn't find resource for "${mapping.kind}" in the server's OpenAPI v3 schema`,
    );
  let field: { name: string; schema: Schema } | undefined;
  let current = root;
  for (const name of fieldPath) {
    const next = doc.deref(elementOf(doc, current)).properties?.[name];
    if (!next) {
      // kubectl has printed the kind's header by the time it finds the field missing.
      out.write(headerText(mapping));
      throw new UsageError(`error: field "${name}" does not exist`);
    }
    field = { name, schema: next };
    current = next;
  }
  out.write(explainText(doc, mapping, field, current, flags.recursive === true));
  return 0;
});

function withApiVersion(
  mappings: readonly ResourceMapping[],
  found: ResourceMapping,
  apiVersion: string,
): ResourceMapping {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const match = mappings.find(
    (m) => m.resource === found.resource && m.group === group && m.version === version,
  );
  if (!match)
    throw new UsageError(
      `error: couldn't find resource for "${found.resource}" in version "${apiVersion}"`,
    );
  return match;
}

function headerText(mapping: ResourceMapping): string {
  const group = mapping.group ? `GROUP:      ${mapping.group}\n` : '';
  return `${group}KIND:       ${mapping.kind}\nVERSION:    ${mapping.version}\n\n`;
}

/** Arrays and maps explain their elements' fields. */
function elementOf(doc: SchemaDocument, schema: Schema): Schema {
  const s = doc.deref(schema);
  if (s.type === 'array' && s.items) return elementOf(doc, s.items);
  if (typeof s.additionalProperties === 'object' && !s.properties)
    return elementOf(doc, s.additionalProperties);
  return s;
}

function explainText(
  doc: SchemaDocument,
  mapping: ResourceMapping,
  field: { name: string; schema: Schema } | undefined,
  schema: Schema,
  recursive: boolean,
): string {
  let text = headerText(mapping);
  if (field) text += `FIELD: ${field.name} <${doc.typeName(field.schema)}>\n\n`;
  const element = elementOf(doc, schema);
  const enumValues = doc.deref(schema).enum ?? [];
  if (enumValues.length > 0)
    text += `ENUM:\n${enumValues.map((v) => `    ${String(v)}\n`).join('')}\n`;
  if (field) text += '\n';
  const descriptions = [
    schema.description,
    element !== schema ? element.description : undefined,
  ].filter((d): d is string => d !== undefined && d !== '');
  if (
    field &&
    doc.deref(schema) !== schema &&
    doc.deref(schema).description &&
    element === schema
  ) {
    descriptions.push(doc.deref(schema).description ?? '');
  }
  text += `DESCRIPTION:\n${descriptions.map((d) => wrap(d, 4)).join('')}    \n`;
  const properties = Object.entries(element.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (properties.length === 0) return `${text}\n`;
  text += 'FIELDS:\n';
  if (recursive) return `${text}${recursiveFields(doc, element, 1, new Set())}`;
  for (const [name, property] of properties) {
    const required = element.required?.includes(name) ? ' -required-' : '';
    text += `  ${name}\t<${doc.typeName(property)}>${required}\n`;
    text += property.description ? wrap(property.description, 4) : '    <no description>\n';
    text += '\n';
  }
  return `${text}\n`;
}

function recursiveFields(
  doc: SchemaDocument,
  schema: Schema,
  depth: number,
  seen: ReadonlySet<Schema>,
): string {
  let text = '';
  for (const [name, property] of Object.entries(schema.properties ?? {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const required = schema.required?.includes(name) ? ' -required-' : '';
    text += `${'  '.repeat(depth)}${name}\t<${doc.typeName(property)}>${required}\n`;
    const element = elementOf(doc, property);
    if (element.properties && !seen.has(element))
      text += recursiveFields(doc, element, depth + 1, new Set([...seen, element]));
  }
  return text;
}

/**
 * Words wrapped so that no line, indent included, passes 80 columns. Split on single spaces, as
 * kubectl does, so a double space in a description stays double.
 */
function wrap(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line: string | undefined;
    for (const word of paragraph.split(' ')) {
      if (line === undefined) line = word;
      else if (line && indent + line.length + 1 + word.length > WIDTH) {
        lines.push(line);
        line = word;
      } else line = `${line} ${word}`;
    }
    lines.push(line ?? '');
  }
  return lines.map((l) => `${pad}${l}\n`).join('');
}
