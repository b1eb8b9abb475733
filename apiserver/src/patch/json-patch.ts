// JSON Patch (RFC 6902): `application/json-patch+json`, a list of operations applied in order.
// Kubernetes answers 400 when the document is not a list of operation objects and 422 when an
// operation cannot apply (missing path, failed test, unknown op); we keep that split.
import { PatchError, malformedPatch, patchDoesNotApply } from './errors.js';
import { parseArrayIndex, parsePointer } from './json-pointer.js';
import {
  type JsonObject,
  type JsonValue,
  copyJson,
  deleteField,
  hasField,
  isJsonObject,
  jsonEqual,
  preview,
  setField,
} from './json.js';

/** Kubernetes caps a JSON patch at this many operations and answers 413 beyond it. */
export const maxJsonPatchOperations = 10_000;

type Container = JsonObject | JsonValue[];

/** Where a pointer lands: the container that holds (or would hold) the value, and the key in it. */
interface Slot {
  container: Container;
  token: string;
}

class OperationFailure extends Error {}

export function applyJsonPatch(original: unknown, patchDocument: unknown): JsonObject {
  // Copied so that values the patch adds never alias the caller's patch document.
  const patch = copyJson(patchDocument, 'patch');
  if (!Array.isArray(patch)) {
    throw malformedPatch('a JSON patch must be a list of operations');
  }
  if (patch.length > maxJsonPatchOperations) {
    throw new PatchError(
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`,
    );
  }
  const operations = patch.map((op, i) => {
    if (!isJsonObject(op)) throw malformedPatch(`JSON patch operation ${i} is not an object`);
    return op;
  });

  // The document sits under a holder key so that the pointer "" (the whole document) is a slot too.
  const holder: JsonObject = { document: copyJson(original, 'original object') };
  operations.forEach((op, i) => {
    try {
      applyOperation(holder, op);
    } catch (err) {
      if (err instanceof OperationFailure) {
        throw patchDoesNotApply(
          `JSON patch operation ${i} (${describeOperation(op)}) failed: ${err.message}`,
        );
      }
      throw err;
    }
  });

  const result = holder['document'] ?? null;
  if (!isJsonObject(result)) {
    throw patchDoesNotApply('the JSON patch does not leave a JSON object');
  }
  return result;
}

function applyOperation(holder: JsonObject, op: JsonObject): void {
  const name = op['op'];
  switch (name) {
    case 'add':
      return add(holder, member(op, 'path'), value(op));
    case 'remove':
      remove(holder, member(op, 'path'));
      return;
    case 'replace': {
      const path = member(op, 'path');
      const replacement = value(op);
      read(holder, path);
      return write(slotFor(holder, path), replacement, 'replace');
    }
    case 'move': {
      const from = member(op, 'from');
      const path = member(op, 'path');
      if (from === path) {
        read(holder, from);
        return;
      }
      if (path.startsWith(`${from}/`)) {
        throw new OperationFailure(`cannot move ${from} into its own child ${path}`);
      }
      return add(holder, path, remove(holder, from));
    }
    case 'copy':
      return add(holder, member(op, 'path'), copyJson(read(holder, member(op, 'from')), 'copy'));
    case 'test': {
      const path = member(op, 'path');
      const expected = value(op);
      const actual = read(holder, path);
      if (!jsonEqual(actual, expected)) {
        throw new OperationFailure(
          `value at ${path} is ${preview(actual)}, not ${preview(expected)}`,
        );
      }
      return;
    }
    default:
      throw new OperationFailure(
        name === undefined ? 'the operation has no "op"' : `unknown op ${preview(name)}`,
      );
  }
}

function add(holder: JsonObject, path: string, item: JsonValue): void {
  write(slotFor(holder, path), item, 'add');
}

function remove(holder: JsonObject, path: string): JsonValue {
  const removed = read(holder, path);
  const { container, token } = slotFor(holder, path);
  if (Array.isArray(container)) {
    container.splice(Number(token), 1);
  } else {
    deleteField(container, token);
  }
  return removed;
}

function read(holder: JsonObject, path: string): JsonValue {
  const { container, token } = slotFor(holder, path);
  if (Array.isArray(container)) {
    const index = parseArrayIndex(token);
    if (index === undefined || index >= container.length) {
      throw new OperationFailure(
        `path ${path} does not exist: no index ${token} in a list of ${container.length}`,
      );
    }
    return container[index] ?? null;
  }
  if (!hasField(container, token)) {
    throw new OperationFailure(`path ${path} does not exist`);
  }
  return container[token] ?? null;
}

/** Puts a value at a slot: `add` inserts into lists (and may append with `-`), `replace` overwrites. */
function write(slot: Slot, item: JsonValue, mode: 'add' | 'replace'): void {
  const { container, token } = slot;
  if (!Array.isArray(container)) {
    setField(container, token, item);
    return;
  }
  if (mode === 'add' && token === '-') {
    container.push(item);
    return;
  }
  const index = parseArrayIndex(token);
  const limit = mode === 'add' ? container.length : container.length - 1;
  if (index === undefined || index > limit) {
    throw new OperationFailure(`index ${token} is out of bounds for a list of ${container.length}`);
  }
  if (mode === 'add') container.splice(index, 0, item);
  else container[index] = item;
}

/** Walks to the parent of the pointer's last token; every step on the way must exist. */
function slotFor(holder: JsonObject, path: string): Slot {
  const tokens = parsePointer(path);
  if (tokens === undefined) {
    throw new OperationFailure(
      `${preview(path)} is not a JSON pointer (it must be empty or start with "/")`,
    );
  }
  let container: Container = holder;
  let token = 'document';
  let walked = '';
  for (const next of tokens) {
    const child: JsonValue | undefined = Array.isArray(container)
      ? container[parseArrayIndex(token) ?? -1]
      : hasField(container, token)
        ? container[token]
        : undefined;
    if (child === undefined) {
      throw new OperationFailure(`path ${path} does not exist: nothing at ${walked || '/'}`);
    }
    if (child === null || typeof child !== 'object') {
      throw new OperationFailure(
        `path ${path} does not exist: ${walked || '/'} is not a map or list`,
      );
    }
    container = child;
    token = next;
    walked = `${walked}/${next}`;
  }
  return { container, token };
}

function member(op: JsonObject, name: 'path' | 'from'): string {
  const found = op[name];
  if (typeof found !== 'string') {
    throw new OperationFailure(`the operation needs a string "${name}"`);
  }
  return found;
}

function value(op: JsonObject): JsonValue {
  if (!hasField(op, 'value')) throw new OperationFailure('the operation needs a "value"');
  return op['value'] ?? null;
}

function describeOperation(op: JsonObject): string {
  const name = typeof op['op'] === 'string' ? op['op'] : '?';
  const path = typeof op['path'] === 'string' ? op['path'] : '?';
  return typeof op['from'] === 'string' ? `${name} ${op['from']} -> ${path}` : `${name} ${path}`;
}
