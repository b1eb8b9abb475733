// What -f names, read as kubectl's resource builder reads it: files, directories (their .yaml,
// .yml and .json files; -R descends), `-` for stdin; every YAML document of a file, a `kind:
// List`'s items one by one. Each object remembers its source so errors can name it.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Unstructured } from '@skiff/client';
import { parseAllDocuments } from 'yaml';
import { UsageError } from './errors.js';

export interface Manifest {
  readonly object: Unstructured;
  /** The file it came from (`STDIN` for -). */
  readonly source: string;
}

const manifestFile = /\.(ya?ml|json)$/;

export async function readManifests(
  paths: readonly string[],
  recursive: boolean,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<Manifest[]> {
  if (paths.length === 0) throw new UsageError('error: must specify one of -f and -k');
  const manifests: Manifest[] = [];
  for (const path of paths) {
    if (path === '-') {
      manifests.push(...parse(await readAll(stdin), 'STDIN'));
      continue;
    }
    for (const file of await filesOf(path, recursive, true)) {
      manifests.push(...parse(await readFile(file, 'utf8'), file));
    }
  }
  if (manifests.length === 0) throw new UsageError('error: no objects passed to apply');
  return manifests;
}

async function filesOf(path: string, recursive: boolean, top: boolean): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`error: the path "${path}" does not exist`);
  }
  if (!info.isDirectory()) return top || manifestFile.test(path) ? [path] : [];
  if (!top && !recursive) return [];
  const entries = (await readdir(path)).sort();
  const nested = await Promise.all(entries.map((e) => filesOf(join(path, e), recursive, false)));
  return nested.flat();
}

function parse(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new UsageError(`error: error parsing ${source}: ${doc.errors[0]?.message ?? ''}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new UsageError(`error: error validating "${source}": not a Kubernetes object`);
    }
    const object = value as Unstructured;
    const missing = !object.apiVersion ? 'apiVersion' : !object.kind ? 'kind' : undefined;
    if (missing) {
      throw new UsageError(
        `error: error validating "${source}": error validating data: ${missing} not set; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    }
    if (object.kind === 'List' && Array.isArray(object.items)) {
      for (const item of object.items as Unstructured[]) out.push({ object: item, source });
    } else out.push({ object, source });
  }
  return out;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
