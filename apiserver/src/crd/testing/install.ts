// Creates a CRD over HTTP and waits (at most a second, the promise CRDs make) until its
// resource answers.
import { expect } from 'vitest';
import type { ApiClient } from '../../server/testing/api-client.js';
import { type CrdManifest, crdPath, resourcePath } from './crd-fixtures.js';

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
    .poll(async () => (await client.get(resourcePath(crd, { version }))).status, { timeout: 1000 })
    .toBe(200);
}
