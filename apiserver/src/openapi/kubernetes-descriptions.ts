// Kubernetes' own field descriptions, read at run time from a maintained dependency rather than
// copied into this repository: @kubernetes/client-node (the Kubernetes project's JavaScript
// client) generates one model per API type from the Kubernetes OpenAPI document and keeps each
// type's and field's description as a doc comment in the model's .d.ts. `explain` falls back to
// these where skiff has no words of its own (./descriptions.ts).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface TypeDescriptions {
  readonly type: string | undefined;
  readonly fields: ReadonlyMap<string, string>;
}

const none: TypeDescriptions = { type: undefined, fields: new Map() };

let modelsDir: string | null | undefined;

/** The client's generated models, or null when the package is not installed. */
function models(): string | null {
  if (modelsDir !== undefined) return modelsDir;
  try {
    const entry = createRequire(import.meta.url).resolve('@kubernetes/client-node');
    const dir = join(dirname(entry), 'gen', 'models');
    modelsDir = existsSync(dir) ? dir : null;
  } catch (err) {
    // Not installed (a trimmed deployment): explain then shows skiff's own words only.
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    modelsDir = null;
  }
  return modelsDir;
}

/**
 * The generator's class names for a definition: group and version first where a kind name is
 * used by more than one group (`DiscoveryV1EndpointPort`), else the version (`V1Probe`).
 */
export function modelNames(definition: string): string[] {
  const parts = definition.split('.');
  const kind = parts.at(-1) ?? '';
  const version = capitalize(parts.at(-2) ?? '');
  const group = parts.at(-3) ?? '';
  const qualified = definition.startsWith('io.k8s.apimachinery.')
    ? []
    : [`${capitalize(group)}${version}${kind}`];
  return [...qualified, `${version}${kind}`];
}

const cache = new Map<string, TypeDescriptions>();

/** The descriptions of a definition's type and fields (none when the client has no model). */
export function kubernetesDescriptions(definition: string): TypeDescriptions {
  let found = cache.get(definition);
  if (found === undefined) {
    found = load(definition);
    cache.set(definition, found);
  }
  return found;
}

function load(definition: string): TypeDescriptions {
  const dir = models();
  if (dir === null) return none;
  for (const name of modelNames(definition)) {
    const file = join(dir, `${name}.d.ts`);
    if (existsSync(file)) return parseModel(readFileSync(file, 'utf8'), name);
  }
  return none;
}

const docComment = String.raw`/\*\*\n((?:[ \t]*\*(?!/).*\n)*?)[ \t]*\*/\n`;

/** A generated model's class and property doc comments. */
export function parseModel(source: string, className: string): TypeDescriptions {
  const classDoc = new RegExp(`${docComment}export declare class ${className}\\b`).exec(source);
  const fields = new Map<string, string>();
  const property = new RegExp(`${docComment}[ \\t]*'([^']+)'\\??:`, 'g');
  for (const match of source.matchAll(property)) {
    const [, doc, field] = match;
    if (doc !== undefined && field !== undefined) fields.set(field, text(doc));
  }
  return { type: classDoc?.[1] === undefined ? undefined : text(classDoc[1]), fields };
}

function text(doc: string): string {
  return doc
    .split('\n')
    .map((line) => line.replace(/^[ \t]*\* ?/, ''))
    .join('\n')
    .trim();
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
