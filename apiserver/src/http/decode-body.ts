// Turns a request body into a plain JSON value. JSON and YAML are accepted (kubectl sends JSON,
// curl users often send YAML); anything malformed is a 400 whose message says where the parser
// stopped, so a user can find the typo without guessing.
import { parseAllDocuments, YAMLError } from 'yaml';
import { apiErrors } from './api-error.js';
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

export function decodeBody(body: Buffer, format: BodyFormat): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw apiErrors.badRequest('the request body is empty');
  return format === 'json' ? decodeJson(text) : decodeYaml(text);
}

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const offset = jsonErrorOffset(text);
    if (offset === undefined) {
      throw apiErrors.badRequest(`error decoding JSON body: ${err.message.split('\n')[0] ?? ''}`);
    }
    const found = offset >= text.length ? 'end of input' : JSON.stringify(text.charAt(offset));
    throw apiErrors.badRequest(
      `error decoding JSON body: unexpected ${found} (${lineColumn(text, offset)})`,
    );
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
  return doc.toJSON();
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
