// `skiff up --apply <file|dir>`: create what the manifests describe once the cluster is up, then
// wait until it runs — the quick start's "apply the demo and wait for it" with no kubectl on the
// machine. Create, not a three-way merge: an object that exists already (a resumed cluster) is
// left as it is and reported unchanged.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isAlreadyExists,
  kindFor,
  pollUntil,
  realClock,
  type Deployment,
  type Pod,
} from '@skiff/api';
import type { Client, Unstructured } from '@skiff/client';
import { parseAllDocuments } from 'yaml';

/** One object from a manifest file, with what every object must say. */
interface Manifest {
  readonly file: string;
  readonly object: Unstructured & {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  };
}

async function manifestFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => join(path, n));
}

export async function readManifests(path: string): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const file of await manifestFiles(path)) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? ''}`);
      const object = doc.toJS() as Manifest['object'] | null;
      if (object === null) continue;
      if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
        throw new Error(`${file}: an object without apiVersion and kind`);
      }
      if (typeof object.metadata?.name !== 'string') {
        throw new Error(`${file}: a ${object.kind} without metadata.name`);
      }
      manifests.push({ file, object });
    }
  }
  return manifests;
}

function describe(o: Manifest['object']): string {
  return `${o.kind.toLowerCase()}/${o.metadata.name}`;
}

/** Creates each object; resolves with one line per object: created or unchanged. */
export async function createManifests(
  client: Client,
  manifests: readonly Manifest[],
): Promise<string[]> {
  const lines: string[] = [];
  for (const { file, object } of manifests) {
    const kind = kindFor(object.apiVersion, object.kind);
    if (kind === undefined)
      throw new Error(`${file}: skiff serves no ${object.apiVersion} ${object.kind}`);
    const namespace = kind.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
    try {
      await client.resource(kind, namespace).create(object);
      lines.push(`${describe(object)} created`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      lines.push(`${describe(object)} unchanged (it exists)`);
    }
  }
  return lines;
}

function deploymentAvailable(d: Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  return (d.status?.availableReplicas ?? 0) >= want && (d.status?.updatedReplicas ?? 0) >= want;
}

function podSettled(p: Pod): boolean {
  return ['Running', 'Succeeded'].includes(p.status?.phase ?? '');
}

/**
 * Waits until every Deployment among `manifests` has all its replicas available and every Pod
 * is Running (or done); throws naming what is still not there when `signal` ends the wait.
 */
export async function waitForManifests(
  client: Client,
  manifests: readonly Manifest[],
  signal: AbortSignal,
): Promise<void> {
  let pending: string[] = [];
  const ok = await pollUntil(
    async () => {
      pending = [];
      for (const { object } of manifests) {
        const ns = object.metadata.namespace ?? 'default';
        const name = object.metadata.name;
        if (object.kind === 'Deployment') {
          if (!deploymentAvailable(await client.deployments(ns).get(name)))
            pending.push(describe(object));
        } else if (object.kind === 'Pod') {
          if (!podSettled(await client.pods(ns).get(name))) pending.push(describe(object));
        }
      }
      return pending.length === 0;
    },
    250,
    { clock: realClock, signal },
  );
  if (!ok) throw new Error(`still not running: ${pending.join(', ')}`);
}
