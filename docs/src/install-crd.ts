// Installing a CustomResourceDefinition from a YAML file and waiting until the apiserver serves
// it: what the tutorial's steps and the exercises' tests do before their controllers start.
import { readFile } from 'node:fs/promises';
import { pollUntil, realClock, type CustomResourceDefinition } from '@skiff/api';
import { isAlreadyExists, type Client } from '@skiff/client';
import { parse } from 'yaml';

export async function loadCrd(file: URL): Promise<CustomResourceDefinition> {
  const crd = parse(await readFile(file, 'utf8')) as CustomResourceDefinition;
  if (crd.kind !== 'CustomResourceDefinition' || !crd.metadata?.name) {
    throw new Error(`${file.pathname}: not a CustomResourceDefinition`);
  }
  return crd;
}

/**
 * Creates the CRD in `file` (or updates its spec if it exists, so an edited YAML takes effect)
 * and resolves once its resource answers a list.
 */
export async function installCrd(client: Client, file: URL, timeoutMs = 10_000): Promise<void> {
  const crd = await loadCrd(file);
  const crds = client.customResourceDefinitions();
  try {
    await crds.create(crd);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const existing = await crds.get(crd.metadata?.name ?? '');
    await crds.update({ ...existing, spec: crd.spec });
  }
  const version = crd.spec.versions.find((v) => v.served)?.name;
  if (!version) throw new Error(`${crd.metadata?.name}: no served version`);
  const gvr = { group: crd.spec.group, version, resource: crd.spec.names.plural };
  // A new CRD is served once the apiserver has established it (well within a second).
  let lastError: unknown;
  const served = await pollUntil(
    async () => {
      try {
        await client.resource(gvr).list({ limit: 1 });
        return true;
      } catch (err) {
        lastError = err;
        return false;
      }
    },
    100,
    { clock: realClock, signal: AbortSignal.timeout(timeoutMs) },
  );
  if (!served) {
    throw new Error(`${crd.metadata?.name} is not served after ${timeoutMs} ms`, {
      cause: lastError,
    });
  }
}
