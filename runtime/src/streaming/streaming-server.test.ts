// The streaming server's HTTP side: tokens, verbs, upgrades and protocol negotiation, refused
// before any runtime work starts. (Sessions themselves run against real containers in the CRI
// suite: runtime/src/testing/critest/cases/streaming.ts.)
import { FakeClock } from '@skiff/api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { isRuntimeError } from '../containers/index.js';
import { TOKEN_TTL_MS } from './request-cache.js';
import type { StreamingRuntime } from './streaming-runtime.js';
import { STREAM_IDLE_TIMEOUT_MS, StreamingServer } from './streaming-server.js';
import { dialSpdy } from './testing/streaming-client.js';

/** Every request in these tests is refused before it could reach a runtime. */
const unreachable: StreamingRuntime = {
  exec: () => Promise.reject(new Error('not reached')),
  attach: () => Promise.reject(new Error('not reached')),
  portForward: () => Promise.reject(new Error('not reached')),
};

const exec = {
  containerId: 'c1',
  cmd: ['true'],
  stdin: false,
  stdout: true,
  stderr: true,
  tty: false,
};

describe('StreamingServer', () => {
  let server: StreamingServer | undefined;
  const clock = new FakeClock();
  const start = async (): Promise<StreamingServer> =>
    (server = await StreamingServer.start({ runtime: unreachable, clock, log: () => undefined }));
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('hands out /<verb>/<token> URLs on its own address', async () => {
    const s = await start();
    expect(s.getExec(exec)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exec\/[\w-]{11}$/);
    expect(s.getAttach({ ...exec })).toMatch(/\/attach\/[\w-]{11}$/);
    expect(s.getPortForward({ sandboxId: 'p1', ports: [80] })).toMatch(/\/portforward\/[\w-]{11}$/);
  });

  it.each([
    ['no container', { ...exec, containerId: '' }, 'missing required container_id'],
    ['a TTY with stderr', { ...exec, tty: true }, 'tty and stderr cannot both be true'],
    [
      'no stream at all',
      { ...exec, stdout: false, stderr: false },
      'one of stdin, stdout, or stderr must be set',
    ],
  ])('refuses an exec with %s (InvalidArgument)', async (_name, request, message) => {
    const s = await start();
    let refused: unknown;
    try {
      s.getExec(request);
    } catch (err) {
      refused = err;
    }
    expect(isRuntimeError(refused, 'InvalidArgument')).toBe(true);
    expect((refused as Error).message).toBe(message);
  });

  it('answers 404 to a made-up token, a used one, and one issued for another verb', async () => {
    const s = await start();
    expect((await dialSpdy(`${s.baseUrl}/exec/AAAAAAAAAAA`, ['v4.channel.k8s.io'])).status).toBe(
      404,
    );
    const url = s.getExec(exec);
    expect((await dialSpdy(url.replace('/exec/', '/attach/'), ['v4.channel.k8s.io'])).status).toBe(
      404,
    );
    // The attempt above spent the token.
    expect((await dialSpdy(url, ['v4.channel.k8s.io'])).status).toBe(404);
  });

  it('answers 404 once the token has outlived its minute', async () => {
    const s = await start();
    const url = s.getExec(exec);
    await clock.advance(TOKEN_TTL_MS + 1);
    expect((await dialSpdy(url, ['v4.channel.k8s.io'])).status).toBe(404);
  });

  it('answers 400 to a request that does not upgrade', async () => {
    const s = await start();
    const response = await fetch(s.getExec(exec), { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('unable to upgrade');
  });

  it('answers 403 with the protocols it accepts when none offered fits', async () => {
    const s = await start();
    const answer = await dialSpdy(s.getExec(exec), ['v9.channel.k8s.io']);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('unable to negotiate protocol');
    expect(answer.headers['x-accepted-stream-protocol-versions']).toBeDefined();
  });

  it('picks the first protocol the client offers that it speaks', async () => {
    const s = await start();
    const answer = await dialSpdy(s.getPortForward({ sandboxId: 'p1', ports: [] }), [
      'nonsense',
      'portforward.k8s.io',
    ]);
    expect(answer.status).toBe(101);
    expect(answer.headers['x-stream-protocol-version']).toBe('portforward.k8s.io');
    await answer.session?.close();
  });

  it.each([
    ['an unknown WebSocket protocol', '/exec/', ['v9.channel.k8s.io'], ''],
    ['a WebSocket port-forward without ports', '/portforward/', ['v4.channel.k8s.io'], ''],
    ['a WebSocket port-forward with port 0', '/portforward/', ['v4.channel.k8s.io'], '?port=0'],
  ])('refuses %s with 400', async (_name, verb, protocols, query) => {
    const s = await start();
    const url =
      verb === '/exec/' ? s.getExec(exec) : s.getPortForward({ sandboxId: 'p1', ports: [] });
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${query}`, protocols);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('the upgrade was accepted')));
      ws.once('error', () => undefined);
    });
    expect(status).toBe(400);
  });

  it('closes a session that carries nothing for its idle timeout (4 h), not one in use', async () => {
    const s = await start();
    const idle = await dialSpdy(s.getPortForward({ sandboxId: 'p1', ports: [] }), [
      'portforward.k8s.io',
    ]);
    const busy = await dialSpdy(s.getPortForward({ sandboxId: 'p1', ports: [] }), [
      'portforward.k8s.io',
    ]);
    const idleSession = idle.session;
    const busySession = busy.session;
    if (idleSession === undefined || busySession === undefined) throw new Error('no session');
    const idleClosed = new Promise<void>((resolve) => idleSession.once('close', resolve));
    for (let i = 0; i < 2; i++) {
      await busySession.ping();
      await clock.advance(STREAM_IDLE_TIMEOUT_MS);
    }
    await idleClosed;
    await busySession.ping();
    expect(busySession.closed).toBe(false);
    await busySession.close();
  });
});
