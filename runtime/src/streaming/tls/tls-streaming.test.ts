// The streaming server over HTTPS, through the whole runtime server on the process backend (no
// root): Exec answers an https URL, real SPDY and WebSocket clients that trust the runtime's
// certificate exec through it, and one that does not is refused at the handshake.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { newRuntimeServiceClient, unaryCall, type RuntimeServiceClient } from '@skiff/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { startRuntimeServer, type RuntimeServer } from '../../cri/runtime-server.js';
import type { StreamingTlsOptions } from './streaming-tls.js';
import {
  dialChannels,
  dialSpdy,
  openSpdyCommand,
  parseStatus,
} from '../testing/streaming-client.js';
import { selfSignedCertificate } from './self-signed-certificate.js';

const opts = { timeoutMs: 10_000 };

interface Running {
  readonly dir: string;
  readonly server: RuntimeServer;
  readonly runtime: RuntimeServiceClient;
  readonly container: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWithTls(tls: (dir: string) => Promise<StreamingTlsOptions>): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-tls-streaming-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const server = await startRuntimeServer({
    socket: join(dir, 'cri.sock'),
    root: join(dir, 'state'),
    backend: 'process',
    streamingTls: await tls(dir),
    log: () => undefined,
  });
  cleanups.push(() => server.stop());
  const runtime = newRuntimeServiceClient(server.socket);
  cleanups.push(() => Promise.resolve(runtime.close()));
  const { pod_sandbox_id: sandbox } = await unaryCall(
    runtime,
    'RunPodSandbox',
    { config: { metadata: { name: 'p', namespace: 'default', uid: 'u' }, log_directory: dir } },
    opts,
  );
  cleanups.push(async () => {
    await unaryCall(runtime, 'StopPodSandbox', { pod_sandbox_id: sandbox }, opts);
    await unaryCall(runtime, 'RemovePodSandbox', { pod_sandbox_id: sandbox }, opts);
  });
  const { container_id: container } = await unaryCall(
    runtime,
    'CreateContainer',
    {
      pod_sandbox_id: sandbox,
      config: {
        metadata: { name: 'sleeper' },
        command: ['sleep', '3600'],
        envs: [{ key: 'GREETING', value: 'over tls' }],
        log_path: 'sleeper.log',
      },
    },
    opts,
  );
  await unaryCall(runtime, 'StartContainer', { container_id: container }, opts);
  return { dir, server, runtime, container };
}

const execUrl = async ({ runtime, container }: Running, cmd: string[]): Promise<string> =>
  (
    await unaryCall(
      runtime,
      'Exec',
      { container_id: container, cmd, stdout: true, stderr: true },
      opts,
    )
  ).url;

/** The certificate the server presents to a client that checks nothing. */
function presented(url: string): Promise<X509Certificate> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: target.hostname, port: Number(target.port), rejectUnauthorized: false },
      () => {
        const raw = socket.getPeerX509Certificate();
        socket.destroy();
        if (raw === undefined) reject(new Error('no certificate presented'));
        else resolve(raw);
      },
    );
    socket.once('error', reject);
  });
}

describe('the streaming server over HTTPS', () => {
  it('makes a self-signed certificate, writes its public half, and answers https URLs', async () => {
    const running = await startWithTls(() => Promise.resolve({}));
    const path = running.server.streamingCertificatePath ?? '';
    expect(path).toBe(join(running.dir, 'state', 'streaming', 'self-signed.crt'));
    const written = new X509Certificate(await readFile(path, 'utf8'));
    expect(running.server.streamingUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const url = await execUrl(running, ['true']);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/exec\/[\w-]{11}$/);
    expect((await presented(url)).fingerprint256).toBe(written.fingerprint256);
  });

  it('execs over SPDY for a client that trusts the certificate, with the exit code', async () => {
    const running = await startWithTls(() => Promise.resolve({}));
    const ca = await readFile(running.server.streamingCertificatePath ?? '', 'utf8');
    const url = await execUrl(running, ['sh', '-c', 'echo $GREETING; exit 3']);
    const answer = await dialSpdy(url, ['v4.channel.k8s.io'], { ca });
    if (answer.session === undefined) throw new Error(`HTTP ${answer.status}`);
    const command = await openSpdyCommand(answer.session, { stdout: true, stderr: true });
    expect((await command.stdout).toString()).toBe('over tls\n');
    expect(parseStatus(await command.error)).toMatchObject({
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    await answer.session.close();
  });

  it('execs over WebSocket (v5) for a client that trusts the certificate', async () => {
    const running = await startWithTls(() => Promise.resolve({}));
    const ca = await readFile(running.server.streamingCertificatePath ?? '', 'utf8');
    const url = await execUrl(running, ['sh', '-c', 'echo $GREETING']);
    const session = await dialChannels(url, ['v5.channel.k8s.io'], { ca });
    await session.closed;
    expect(session.received.get(1)?.toString()).toBe('over tls\n');
    expect(parseStatus(session.received.get(3)?.toString() ?? '').status).toBe('Success');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    const running = await startWithTls(() => Promise.resolve({}));
    const url = await execUrl(running, ['true']);
    await expect(dialSpdy(url, ['v4.channel.k8s.io'])).rejects.toThrow(/self.signed certificate/);
  });

  it('serves the key pair it was given instead of making one', async () => {
    const given = selfSignedCertificate(
      { commonName: 'given', dnsNames: [], ipAddresses: ['127.0.0.1'] },
      new Date(),
    );
    const running = await startWithTls(async (dir) => {
      await writeFile(join(dir, 'tls.crt'), given.cert);
      await writeFile(join(dir, 'tls.key'), given.key);
      return { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    });
    expect(running.server.streamingCertificatePath).toBeUndefined();
    const url = await execUrl(running, ['sh', '-c', 'echo $GREETING']);
    expect((await presented(url)).fingerprint256).toBe(
      new X509Certificate(given.cert).fingerprint256,
    );
    const session = await dialChannels(url, ['v5.channel.k8s.io'], { ca: given.cert });
    await session.closed;
    expect(session.received.get(1)?.toString()).toBe('over tls\n');
  });
});
