// Turns a request body into a plain JSON value. JSON and YAML are accepted (kubectl sends JSON,
// curl users often send YAML); anything malformed is a 400 whose message says where the parser
// stopped, so a user can find the typo without guessing.
import { parseAllDocuments, YAMLError } from 'yaml';
import { apiErrors } from '@skiff/api';
import { jsonErrorOffset } from './json-error-offset.js';

export type BodyFormat = 'json' | 'yaml';

const yamlTypes = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** The media type without parameters, lowercased: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Which parser a Content-Type selects; undefined for types the apiserver cannot decode
 * (protobuf, CBOR, form data). JSON patch types are JSON; an absent type is read as JSON.
 */
export function bodyFormat(contentType: string | undefined): BodyFormat | undefined {
  const type = mediaType(contentType);
  if (type === '' || type === 'application/json' || type.endsWith('+json')) return 'json';
  if (yamlTypes.has(type) || type.endsWith('+yaml')) return 'yaml';
  return undefined;
}

/**
 * How deeply a body may nest. Real objects stay far below it; past it, the recursive code behind
 * the decoder (cloning, defaulting, validation, patching) would exhaust the stack and answer 500.
 */
export const MAX_NESTING_DEPTH = 1000;

/**
 * `jsonSyntaxError` turns the parser's complaint about malformed JSON into the error to throw
 * (object bodies answer as Kubernetes does: ./unrecognized-object.ts).
 */
export function decodeBody(
  body: Buffer,
  format: BodyFormat,
  jsonSyntaxError: (detail: string) => Error = (detail) =>
    apiErrors.badRequest(`error decoding JSON body: ${detail}`),
): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw apiErrors.badRequest('the request body is empty');
  const value = format === 'json' ? decodeJson(text, jsonSyntaxError) : decodeYaml(text);
  checkNesting(value, format);
  return value;
}

/** Iterative, so it cannot overflow itself; also stops YAML aliases that make a value cyclic. */
function checkNesting(value: unknown, format: BodyFormat): void {
  // Two parallel stacks, not a stack of [node, depth] pairs: this runs on every body, and a
  // pair per node was garbage for the collector on every create.
  const nodes: unknown[] = [value];
  const depths: number[] = [1];
  while (depths.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop() ?? 0;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_NESTING_DEPTH) {
      throw apiErrors.badRequest(
        `error decoding ${format.toUpperCase()} body: nesting exceeds the maximum depth of ${MAX_NESTING_DEPTH}`,
      );
    }
    const children = node as Record<string, unknown>;
    for (const key in children) {
      nodes.push(children[key]);
      depths.push(depth + 1);
    }
  }
}

function decodeJson(text: string, syntaxError: (detail: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const offset = jsonErrorOffset(text);
    if (offset === undefined) throw syntaxError(err.message.split('\n')[0] ?? '');
    const found = offset >= text.length ? 'end of input' : JSON.stringify(text.charAt(offset));
    throw syntaxError(`unexpected ${found} (${lineColumn(text, offset)})`);
  }
}

function decodeYaml(text: string): unknown {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  if (!Array.isArray(docs)) return undefined; // an empty stream; handled as empty above
  const nonEmpty = docs.filter((d) => d.contents !== null);
  if (nonEmpty.length > 1) {
    throw apiErrors.badRequest('error decoding YAML body: expected one document, found several');
  }
  const doc = nonEmpty[0] ?? docs[0];
  if (!doc) throw apiErrors.badRequest('the request body is empty');
  const error = doc.errors[0];
  if (error) throw apiErrors.badRequest(`error decoding YAML body: ${describeYamlError(error)}`);
  try {
    return doc.toJSON();
  } catch (err) {
    // The yaml library refuses alias expansions that would blow up (billion laughs) this way.
    if (err instanceof ReferenceError) {
      throw apiErrors.badRequest(`error decoding YAML body: ${err.message}`);
    }
    throw err;
  }
}

function describeYamlError(error: YAMLError): string {
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const pos = error.linePos?.[0];
  const stripped = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  return pos ? `${stripped} (line ${pos.line}, column ${pos.col})` : stripped;
}

/** 1-based line and column of a character offset, as editors count them. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
