import { FakeClock } from '@skiff/api/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { closedUdpPort } from '../testing/closed-port.js';
import { startStaticDnsServer } from '../testing/static-dns-server.js';
import { ResponseCache } from './cache.js';
import { Forwarder, UPSTREAM_PENALTY_MS, type ForwarderMetrics } from './forwarder.js';

/** Records which upstreams were asked, in order. */
function askedLog(): ForwarderMetrics & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    cacheHit: () => undefined,
    cacheMiss: () => undefined,
    upstreamRequest: (to) => void asked.push(to),
    upstreamResponse: () => undefined,
  };
}

describe('Forwarder', () => {
  it('asks a failed upstream last until its penalty has passed', async () => {
    const good = await startStaticDnsServer({
      records: { 'a.test': ['192.0.2.1'], 'b.test': ['192.0.2.2'], 'c.test': ['192.0.2.3'] },
    });
    onTestFinished(() => good.close());
    const dead = { host: '127.0.0.1', port: await closedUdpPort() };
    const clock = new FakeClock();
    const metrics = askedLog();
    const forwarder = new Forwarder({
      upstreams: [dead, good],
      cache: new ResponseCache({ clock }),
      clock,
      timeoutMs: 5000,
      metrics,
    });
    const deadTo = `127.0.0.1:${dead.port}`;
    const goodTo = `127.0.0.1:${good.port}`;

    expect((await forwarder.forward({ name: 'a.test', type: 'A' })).from).toBe(goodTo);
    expect(metrics.asked.splice(0)).toEqual([deadTo, goodTo]);
    expect((await forwarder.forward({ name: 'b.test', type: 'A' })).from).toBe(goodTo);
    expect(metrics.asked.splice(0)).toEqual([goodTo]);
    await clock.advance(UPSTREAM_PENALTY_MS);
    expect((await forwarder.forward({ name: 'c.test', type: 'A' })).from).toBe(goodTo);
    expect(metrics.asked.splice(0)).toEqual([deadTo, goodTo]);
  });

  it('asks the upstream once for identical questions in flight, and not at all when cached', async () => {
    const good = await startStaticDnsServer({ records: { 'a.test': ['192.0.2.1'] } });
    onTestFinished(() => good.close());
    const clock = new FakeClock();
    const forwarder = new Forwarder({
      upstreams: [good],
      cache: new ResponseCache({ clock }),
      clock,
      timeoutMs: 5000,
    });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => forwarder.forward({ name: 'a.test', type: 'A' })),
    );
    expect(answers.map((a) => a.answers.length)).toEqual([1, 1, 1, 1, 1]);
    expect((await forwarder.forward({ name: 'A.TEST', type: 'A' })).from).toBe('cache');
    expect(good.queries).toEqual(['A a.test']);
  });
});
