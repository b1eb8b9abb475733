// `skiff runtime` and `skiff image import` as real processes. The runtime runs on the process
// backend here (no root or namespaces needed); src/testing/critest in @skiff/runtime drives the same
// command on real containers.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSkiff as skiff, tempDir as newTempDir } from '../testing/skiff-process.js';

const tempDir = (): Promise<string> => newTempDir('skiff-cli-runtime-');

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A one-layer `docker save` archive tagged `tag`, made with the host's tar. */
async function dockerArchive(dir: string, tag: string): Promise<string> {
  const work = join(dir, 'archive');
  await mkdir(join(work, 'rootfs'), { recursive: true });
  await writeFile(join(work, 'rootfs', 'hello.txt'), 'hello\n');
  tar(['-C', join(work, 'rootfs'), '-cf', join(work, 'layer.tar'), 'hello.txt']);
  const layer = await readFile(join(work, 'layer.tar'));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/hello.txt'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] },
    }),
  );
  const configName = `${sha256(config)}.json`;
  await mkdir(join(work, 'out', 'layer'), { recursive: true });
  await writeFile(join(work, 'out', configName), config);
  await writeFile(join(work, 'out', 'layer', 'layer.tar'), layer);
  await writeFile(
    join(work, 'out', 'manifest.json'),
    JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: ['layer/layer.tar'] }]),
  );
  const archive = join(dir, 'image.tar');
  tar(['-C', join(work, 'out'), '-cf', archive, 'manifest.json', configName, 'layer']);
  return archive;
}

function tar(args: string[]): void {
  const result = spawnSync('tar', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar ${args.join(' ')}: ${result.stderr}`);
}

// Real processes, started from source: the time a loaded 2-core machine needs.
describe('skiff runtime', { timeout: 120_000 }, () => {
  it('serves CRI on its socket, says which backend, and stops cleanly on SIGTERM', async () => {
    const dir = await tempDir();
    const socket = join(dir, 'runtime.sock');
    const proc = skiff([
      'runtime',
      '--socket',
      socket,
      '--root',
      join(dir, 'root'),
      '--backend',
      'process',
    ]);
    await expect.poll(() => proc.output(), { timeout: 60_000 }).toContain('try: crictl');
    expect(proc.output()).toContain(`skiff runtime serving CRI on ${socket} (backend process:`);
    expect(proc.output()).toContain('NO isolation');
    expect(existsSync(socket)).toBe(true);
    proc.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });

  /** Starts `skiff runtime` on the process backend with `flags`; its root and streaming URL. */
  async function runtimeWithStreaming(
    flags: readonly string[],
  ): Promise<{ root: string; url: string; proc: ReturnType<typeof skiff> }> {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const proc = skiff([
      'runtime',
      '--socket',
      join(dir, 'runtime.sock'),
      '--root',
      root,
      '--backend',
      'process',
      ...flags,
    ]);
    await expect.poll(() => proc.output(), { timeout: 60_000 }).toContain('try: crictl');
    const url = /streaming \(exec, attach, port-forward\) on (https?:\/\/127\.0\.0\.1:\d+)/.exec(
      proc.output(),
    )?.[1];
    if (url === undefined) throw new Error(`no streaming URL in: ${proc.output()}`);
    return { root, url, proc };
  }

  it('serves the streaming server where --streaming-address and --streaming-port say', async () => {
    const { url, proc } = await runtimeWithStreaming([
      '--streaming-address',
      '127.0.0.1',
      '--streaming-port',
      '0',
    ]);
    expect(url).toMatch(/^http:/);
    // A token nobody issued: the server is there, and refuses it.
    expect((await fetch(`${url}/exec/AAAAAAAAAAA`)).status).toBe(404);
    proc.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('serves the streaming server over HTTPS with --streaming-tls, trusted by its written certificate', async () => {
    const { root, url, proc } = await runtimeWithStreaming(['--streaming-tls']);
    expect(url).toMatch(/^https:/);
    const certificate = join(root, 'streaming', 'self-signed.crt');
    expect(proc.errors()).toContain(certificate);
    const ca = await readFile(certificate, 'utf8');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpsGet(`${url}/exec/AAAAAAAAAAA`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).once('error', reject);
    });
    expect(status).toBe(404);
    proc.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('wants the streaming certificate and key files together', async () => {
    const proc = skiff(['runtime', '--backend', 'process', '--streaming-tls-cert-file', '/x.crt']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain(
      '--streaming-tls-cert-file and --streaming-tls-private-key-file go together',
    );
  });

  it('explains a bad streaming port', async () => {
    const proc = skiff(['runtime', '--backend', 'process', '--streaming-port', 'ten']);
    expect(await proc.exit).toBe(1);
    expect(proc.errors()).toContain('--streaming-port "ten": not a port number');
  });

  it('explains a bad backend', async () => {
    const proc = skiff(['runtime', '--backend', 'docker']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('--backend "docker": want auto, linux or process');
  });
});

// Real processes, started from source: the time a loaded 2-core machine needs.
describe('skiff image import', { timeout: 120_000 }, () => {
  it.skipIf(process.getuid?.() !== 0 && process.env.CI !== 'true')(
    'imports straight into --root when no runtime answers on the socket',
    async () => {
      const dir = await tempDir();
      const archive = await dockerArchive(dir, 'skiff.local/cli-test:1');
      const root = join(dir, 'root');
      const proc = skiff([
        'image',
        'import',
        archive,
        '--socket',
        join(dir, 'none.sock'),
        '--root',
        root,
      ]);
      expect(await proc.exit).toBe(0);
      expect(proc.output()).toMatch(/^imported sha256:[0-9a-f]{64} skiff.local\/cli-test:1$/m);
      expect(proc.output()).toContain(`into ${root} (no runtime answered`);
      const index = await readFile(join(root, 'images', 'images.json'), 'utf8');
      expect(index).toContain('skiff.local/cli-test:1');
    },
  );

  it('says clearly when the tarball does not exist', async () => {
    const dir = await tempDir();
    const proc = skiff([
      'image',
      'import',
      join(dir, 'missing.tar'),
      '--socket',
      join(dir, 'none.sock'),
      '--root',
      join(dir, 'root'),
    ]);
    expect(await proc.exit).toBe(1);
    expect(proc.errors()).toContain(`archive ${join(dir, 'missing.tar')} does not exist`);
  });

  it('wants exactly one tarball', async () => {
    const proc = skiff(['image', 'import']);
    expect(await proc.exit).toBe(2);
    expect(proc.errors()).toContain('want exactly one tarball');
  });
});
