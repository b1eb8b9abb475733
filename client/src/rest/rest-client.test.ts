import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RestConfig } from './config.js';
import { ApiError, isTooManyRequests } from '@skiff/api';
import { ConnectionError, RequestTimeoutError, RestClient } from './rest-client.js';
import {
  sendJson,
  startScriptedServer,
  until,
  type ScriptedServer,
} from './testing/scripted-server.js';

const tooMany = (retryAfter: number) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code: 429,
  reason: 'TooManyRequests',
  message: 'too many requests, please try again later',
  details: { retryAfterSeconds: retryAfter },
});

/** A client on fake time with no rate limit and no timeout: the only timers are retry waits. */
function clientFor(server: ScriptedServer, extra: Partial<RestConfig> = {}) {
  const clock = new FakeClock(0);
  const rest = new RestClient({
    server: server.url,
    clock,
    qps: Infinity,
    timeoutMs: 0,
    retry: { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 1000 },
    ...extra,
  });
  onTestFinished(() => rest.close());
  return { rest, clock };
}

describe('RestClient retries', () => {
  it('retries a 429 after the Retry-After seconds, even for a POST', async () => {
    const server = await startScriptedServer((_req, res, n) => {
      if (n === 1) {
        res.setHeader('retry-after', '3');
        sendJson(res, 429, tooMany(3));
      } else sendJson(res, 201, { created: true });
    });
    const { rest, clock } = clientFor(server);
    const answer = rest.json({ method: 'POST', path: '/api/v1/namespaces/a/configmaps', body: {} });
    await clock.waitForTimers(); // answered 429: waiting to retry
    expect(server.requests).toHaveLength(1);
    await clock.advance(2999);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1);
    expect(await answer).toEqual({ created: true });
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(server.requests[1]?.body).toBe('{}');
  });

  it('gives up after maxAttempts and throws the 429 as an ApiError', async () => {
    const server = await startScriptedServer((_req, res) => {
      res.setHeader('retry-after', '1');
      sendJson(res, 429, tooMany(1));
    });
    const { rest, clock } = clientFor(server);
    const answer = rest.json({ method: 'GET', path: '/api/v1/pods' });
    const failed = expect(answer).rejects.toSatisfy(isTooManyRequests);
    for (let sleeps = 0; sleeps < 2; sleeps++) {
      await clock.waitForTimers(); // answered 429: waiting to retry
      await clock.advance(1000);
    }
    await failed;
    expect(server.requests).toHaveLength(3);
  });

  it('backs off on a 503 for a GET, doubling the wait', async () => {
    const server = await startScriptedServer((_req, res, n) => {
      if (n < 3) sendJson(res, 503, { kind: 'Status', code: 503, reason: 'ServiceUnavailable' });
      else sendJson(res, 200, { kind: 'PodList', items: [] });
    });
    const { rest, clock } = clientFor(server);
    const answer = rest.json({ method: 'GET', path: '/api/v1/pods' });
    await clock.waitForTimers(); // answered 503: backing off
    await clock.advance(199);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1);
    await clock.waitForTimers(); // the retry answered 503 too
    expect(server.requests).toHaveLength(2);
    await clock.advance(399);
    expect(server.requests).toHaveLength(2);
    await clock.advance(1);
    expect(await answer).toEqual({ kind: 'PodList', items: [] });
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)(
    'does not retry a 503 for a %s, which may have been applied',
    async (method) => {
      const server = await startScriptedServer((_req, res) =>
        sendJson(res, 503, { kind: 'Status', code: 503, reason: 'ServiceUnavailable' }),
      );
      const { rest } = clientFor(server);
      await expect(
        rest.json({ method, path: '/api/v1/namespaces/a/pods/x', body: {} }),
      ).rejects.toBeInstanceOf(ApiError);
      expect(server.requests).toHaveLength(1);
    },
  );

  it('retries a refused connection until the server is up', async () => {
    const probe = await startScriptedServer(() => undefined);
    const port = probe.port;
    await probe.close();
    const { rest, clock } = clientFor(probe);
    const answer = rest.json({ method: 'POST', path: '/api/v1/namespaces', body: {} });
    await clock.waitForTimers(); // refused: waiting to retry
    const server = await startScriptedServer((_req, res) => sendJson(res, 201, { up: true }), port);
    await clock.advance(200);
    expect(await answer).toEqual({ up: true });
    expect(server.requests).toHaveLength(1);
  });

  it('throws a ConnectionError naming the request when retries run out', async () => {
    const probe = await startScriptedServer(() => undefined);
    await probe.close();
    const { rest, clock } = clientFor(probe, { retry: { maxAttempts: 1 } });
    const error = await rest.json({ method: 'GET', path: '/api/v1/pods' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('ECONNREFUSED');
    expect((error as Error).message).toMatch(/^GET \/api\/v1\/pods: /);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('RestClient requests', () => {
  it('sends JSON with the headers and the base path of the server URL', async () => {
    const server = await startScriptedServer((_req, res) => sendJson(res, 200, {}));
    const { rest } = clientFor(server, {
      server: `${server.url}/clusters/lab/`,
      credentials: { token: 'abc' },
      userAgent: 'my-controller/1.0',
    });
    await rest.json({
      method: 'PATCH',
      path: '/api/v1/namespaces/a/pods/x',
      query: new URLSearchParams({ dryRun: 'All' }),
      body: { metadata: { labels: { a: 'b' } } },
      contentType: 'application/merge-patch+json',
    });
    const [request] = server.requests;
    expect(request?.url).toBe('/clusters/lab/api/v1/namespaces/a/pods/x?dryRun=All');
    expect(request?.headers).toMatchObject({
      accept: 'application/json',
      authorization: 'Bearer abc',
      'content-type': 'application/merge-patch+json',
      'user-agent': 'my-controller/1.0',
    });
    expect(JSON.parse(request?.body ?? '')).toEqual({ metadata: { labels: { a: 'b' } } });
  });

  it('sends basic auth when the kubeconfig user has a username and password', async () => {
    const server = await startScriptedServer((_req, res) => sendJson(res, 200, {}));
    const { rest } = clientFor(server, { credentials: { username: 'ann', password: 's3:cret' } });
    await rest.json({ method: 'GET', path: '/api' });
    const expected = `Basic ${Buffer.from('ann:s3:cret').toString('base64')}`;
    expect(server.requests[0]?.headers.authorization).toBe(expected);
  });

  it('re-reads a token file a minute later, so rotated tokens are used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-token-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'first\n');
    const server = await startScriptedServer((_req, res) => sendJson(res, 200, {}));
    const { rest, clock } = clientFor(server, { credentials: { tokenFile } });
    await rest.json({ method: 'GET', path: '/api' });
    await writeFile(tokenFile, 'second\n');
    await rest.json({ method: 'GET', path: '/api' });
    await clock.advance(60_000);
    await rest.json({ method: 'GET', path: '/api' });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer first',
      'Bearer first',
      'Bearer second',
    ]);
  });

  it('waits for the rate limiter before each request', async () => {
    const server = await startScriptedServer((_req, res) => sendJson(res, 200, {}));
    const { rest, clock } = clientFor(server, { qps: 2, burst: 1 });
    await rest.json({ method: 'GET', path: '/api' });
    const second = rest.json({ method: 'GET', path: '/api' });
    await clock.waitForTimers(); // waiting for its token
    await clock.advance(499);
    expect(server.requests).toHaveLength(1);
    await clock.advance(1);
    await second;
    expect(server.requests).toHaveLength(2);
  });

  it('rejects with the signal reason when the caller aborts', async () => {
    const server = await startScriptedServer(() => undefined);
    const { rest } = clientFor(server);
    const abort = new AbortController();
    const answer = rest.json({ method: 'GET', path: '/api', signal: abort.signal });
    await until(() => server.requests.length === 1, 'the request');
    abort.abort(new Error('reconcile cancelled'));
    await expect(answer).rejects.toThrow('reconcile cancelled');
  });

  it('times out a request that gets no answer', async () => {
    const server = await startScriptedServer(() => undefined);
    const { rest, clock } = clientFor(server, { timeoutMs: 5000 });
    const answer = rest.json({ method: 'GET', path: '/api' });
    await until(() => server.requests.length === 1, 'the request');
    await clock.advance(5000);
    await expect(answer).rejects.toThrow(RequestTimeoutError);
    await expect(answer).rejects.toThrow('GET /api: no answer within 5000 ms');
  });
});
