// Creates a CRD over HTTP and waits until its resource answers. Serving a new CRD, and dropping
// a deleted one, happens asynchronously (Kubernetes promises no latency for it), so the bound is
// generous: it only catches a CRD that is never served, and holds on a heavily loaded machine.
import { expect } from 'vitest';
import type { ApiClient } from '../../server/testing/api-client.js';
import { type CrdManifest, crdPath, resourcePath } from './crd-fixtures.js';

/** How long a test waits for a CRD change (established, version added, deleted) to be served. */
export const CRD_CHANGE_TIMEOUT_MS = 20_000;

export async function installCrd(client: ApiClient, crd: CrdManifest): Promise<void> {
  const created = await client.post(crdPath(), crd);
  expect(created.status, created.text).toBe(201);
  await expectServed(client, crd);
}

export async function expectServed(
  client: ApiClient,
  crd: CrdManifest,
  version?: string,
): Promise<void> {
  await expect
    .poll(async () => (await client.get(resourcePath(crd, { version }))).status, {
      timeout: CRD_CHANGE_TIMEOUT_MS,
    })
    .toBe(200);
}
