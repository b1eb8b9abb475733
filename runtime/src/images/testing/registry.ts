// A real OCI distribution registry for tests: Debian's docker-registry (distribution 2.8) on a
// free loopback port with filesystem storage in a temp dir, optionally behind htpasswd basic
// auth, plus a pusher that speaks the registry's upload API (monolithic blob PUT, manifest PUT).
import { errorMessage } from '@skiff/api';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { BuiltBlob, BuiltImage } from '../build/image-builder.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
const READY_TIMEOUT_MS = 15_000;

export interface TestRegistry {
  /** `127.0.0.1:<port>`, usable as the domain of a reference. */
  readonly host: string;
  /** Where the registry keeps its data (to tamper with stored blobs). */
  readonly storageDir: string;
  stop(): Promise<void>;
}

export async function startRegistry(
  dir: string,
  options: { htpasswd?: string } = {},
): Promise<TestRegistry> {
  const port = await freePort();
  const storageDir = join(dir, 'registry-data');
  await mkdir(storageDir, { recursive: true });
  const auth =
    options.htpasswd === undefined
      ? ''
      : `auth:\n  htpasswd:\n    realm: skiff-test\n    path: ${join(dir, 'htpasswd')}\n`;
  if (options.htpasswd !== undefined) await writeFile(join(dir, 'htpasswd'), options.htpasswd);
  const config = join(dir, 'registry.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storageDir}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: skiff-test-secret',
      auth,
    ].join('\n'),
  );
  const child = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const host = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(host, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`docker-registry did not start: ${errorMessage(err)}\n${stderr}`);
  }
  return { host, storageDir, stop: () => stopChild(child) };
}

/** Pushes `image` (and optionally an index over it) as `repo:tag` through the HTTP API. */
export async function pushImage(
  host: string,
  repo: string,
  tag: string,
  images: readonly BuiltImage[],
  options: { index?: BuiltBlob; authorization?: string; manifestOverride?: BuiltBlob } = {},
): Promise<void> {
  const headers: Record<string, string> =
    options.authorization === undefined ? {} : { authorization: options.authorization };
  for (const image of images) {
    for (const blob of [image.config, ...image.layers]) await pushBlob(host, repo, blob, headers);
    const manifest = options.manifestOverride ?? image.manifest;
    await putManifest(
      host,
      repo,
      options.index === undefined ? tag : manifest.digest,
      manifest,
      headers,
    );
  }
  if (options.index !== undefined) await putManifest(host, repo, tag, options.index, headers);
}

async function pushBlob(
  host: string,
  repo: string,
  blob: BuiltBlob,
  headers: Record<string, string>,
): Promise<void> {
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, {
    method: 'POST',
    headers,
  });
  await start.arrayBuffer();
  const location = start.headers.get('location');
  if (start.status !== 202 || location === null)
    throw new Error(`upload start for ${blob.digest}: ${start.status}`);
  const url = new URL(location, `http://${host}`);
  url.searchParams.set('digest', blob.digest);
  const put = await fetch(url, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: blob.bytes,
  });
  const text = await put.text();
  if (put.status !== 201) throw new Error(`blob upload ${blob.digest}: ${put.status} ${text}`);
}

async function putManifest(
  host: string,
  repo: string,
  reference: string,
  manifest: BuiltBlob,
  headers: Record<string, string>,
): Promise<void> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': manifest.mediaType },
    body: manifest.bytes,
  });
  const text = await res.text();
  if (res.status !== 201)
    throw new Error(`manifest PUT ${repo}:${reference}: ${res.status} ${text}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(host: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
      lastError = `GET /v2/ answered ${res.status}`;
    } catch (err) {
      // Not listening yet: expected while the process starts.
      lastError = errorMessage(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not serving after ${READY_TIMEOUT_MS} ms (${lastError})`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
