import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newImageServiceClient,
  newRuntimeServiceClient,
  unaryCall,
  type ImageServiceClient,
  type RuntimeServiceClient,
} from './index.js';

// Wire compatibility with a CRI runtime we did not write: a real containerd (Debian's package)
// answers our client. It runs as its own daemon with root, state, socket, CNI and opt dirs all
// inside one temp dir, so it never touches a system containerd.

const ci = process.env.CI === 'true' || process.env.CI === '1';
const hasContainerd = spawnSync('containerd', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;
const missing = !hasContainerd
  ? 'containerd is not installed (Debian: apt-get install -y containerd)'
  : !isRoot
    ? 'containerd needs root to start'
    : undefined;
if (missing !== undefined && !ci) console.warn(`skipping the containerd CRI test: ${missing}`);

interface RunningContainerd {
  readonly dir: string;
  readonly socket: string;
  readonly log: string;
  readonly process: ChildProcess;
}

function startContainerd(): RunningContainerd {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-containerd-'));
  const socket = join(dir, 'containerd.sock');
  const log = join(dir, 'containerd.log');
  for (const sub of ['cni/net.d', 'cni/bin', 'opt']) mkdirSync(join(dir, sub), { recursive: true });
  // native snapshotter: works on any filesystem (temp dirs may sit on overlayfs or tmpfs).
  const config = [
    'version = 2',
    `root = "${dir}/root"`,
    `state = "${dir}/state"`,
    '[grpc]',
    `  address = "${socket}"`,
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = "${dir}/opt"`,
    '[plugins."io.containerd.grpc.v1.cri".containerd]',
    '  snapshotter = "native"',
    '[plugins."io.containerd.grpc.v1.cri".cni]',
    `  conf_dir = "${dir}/cni/net.d"`,
    `  bin_dir = "${dir}/cni/bin"`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'config.toml'), config);
  writeFileSync(log, '');
  const child = spawn('containerd', ['--config', join(dir, 'config.toml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => writeFileSync(log, chunk, { flag: 'a' }));
  return { dir, socket, log, process: child };
}

function logTail(log: string): string {
  return readFileSync(log, 'utf8').split('\n').slice(-15).join('\n');
}

// Resolves once the socket accepts gRPC; rejects if containerd exits or 20 s pass first.
function waitReady(client: RuntimeServiceClient, containerd: RunningContainerd): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`containerd exited (${code}) before serving:\n${logTail(containerd.log)}`));
    containerd.process.once('exit', onExit);
    client.waitForReady(Date.now() + 20_000, (err) => {
      containerd.process.off('exit', onExit);
      if (err) reject(new Error(`containerd did not serve ${containerd.socket}: ${err.message}`));
      else resolve();
    });
  });
}

async function stopContainerd(containerd: RunningContainerd): Promise<void> {
  if (containerd.process.exitCode === null && containerd.process.signalCode === null) {
    const exited = new Promise((resolve) => containerd.process.once('exit', resolve));
    containerd.process.kill('SIGTERM');
    await exited;
  }
  rmSync(containerd.dir, { recursive: true, force: true });
}

describe.skipIf(missing !== undefined && !ci)('CRI wire compatibility with containerd', () => {
  let containerd: RunningContainerd | undefined;
  let runtime: RuntimeServiceClient;
  let images: ImageServiceClient;

  beforeAll(async () => {
    // Under CI nothing may be skipped: a machine without containerd fails here, saying why.
    if (missing !== undefined) throw new Error(`${missing}; CI must install it`);
    containerd = startContainerd();
    runtime = newRuntimeServiceClient(containerd.socket);
    images = newImageServiceClient(containerd.socket);
    await waitReady(runtime, containerd);
  });

  afterAll(async () => {
    runtime?.close();
    images?.close();
    if (containerd) await stopContainerd(containerd);
  });

  it('answers Version as a CRI v1 runtime', async () => {
    const version = await unaryCall(runtime, 'Version', { version: 'v1' }, { timeoutMs: 10_000 });
    expect(version.runtime_name).toBe('containerd');
    expect(version.runtime_api_version).toBe('v1');
    expect(version.runtime_version).not.toBe('');
  });

  it('reports its image filesystem with a nanosecond timestamp', async () => {
    const fs = await unaryCall(images, 'ImageFsInfo', {}, { timeoutMs: 10_000 });
    expect(fs.image_filesystems.length).toBeGreaterThan(0);
    const [first] = fs.image_filesystems;
    expect(first?.fs_id?.mountpoint).toContain(containerd?.dir ?? '<no dir>');
    // Now in nanoseconds, exact: beyond 2^53, so only the string form is trustworthy.
    expect(BigInt(first?.timestamp ?? '0')).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(first?.used_bytes).not.toBeNull();
  });

  it('reports RuntimeReady in Status and lists no containers or images yet', async () => {
    const status = await unaryCall(runtime, 'Status', { verbose: false }, { timeoutMs: 10_000 });
    const conditions = status.status?.conditions ?? [];
    expect(conditions.find((c) => c.type === 'RuntimeReady')?.status).toBe(true);
    // No CNI config in our temp dir: the network is honestly not ready.
    expect(conditions.find((c) => c.type === 'NetworkReady')?.status).toBe(false);

    const listed = await unaryCall(runtime, 'ListContainers', {}, { timeoutMs: 10_000 });
    expect(listed.containers).toEqual([]);
    const imageList = await unaryCall(images, 'ListImages', {}, { timeoutMs: 10_000 });
    expect(imageList.images).toEqual([]);
  });
});
