import { FakeClock } from '@skiff/api/testing';
import type { Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { ResponseCache, type CachedAnswer } from './cache.js';

const a = (ttl: number, data = '192.0.2.1'): Answer => ({
  type: 'A',
  name: 'example.test',
  ttl,
  data,
});
const soa = (ttl: number, minimum: number): Answer => ({
  type: 'SOA',
  name: 'test',
  ttl,
  data: { mname: 'ns.test', rname: 'hostmaster.test', minimum },
});
const reply = (rcode: number, answers: Answer[], authorities: Answer[] = []): CachedAnswer => ({
  rcode,
  answers,
  authorities,
  additionals: [],
});

describe('ResponseCache', () => {
  const cases: [what: string, answer: CachedAnswer, keptSeconds: number | undefined][] = [
    ['keeps an answer as long as its smallest TTL', reply(0, [a(30), a(10, '192.0.2.2')]), 10],
    ['caps an answer at an hour', reply(0, [a(86400)]), 3600],
    ['keeps NXDOMAIN by the SOA minimum', reply(3, [], [soa(300, 60)]), 60],
    ['keeps NODATA by the SOA TTL when smaller', reply(0, [], [soa(20, 60)]), 20],
    ['caps a denial at half an hour', reply(3, [], [soa(7200, 7200)]), 1800],
    ['does not keep a denial without SOA', reply(3, []), undefined],
    ['does not keep SERVFAIL', reply(2, [], [soa(300, 300)]), undefined],
    ['does not keep REFUSED', reply(5, []), undefined],
    ['does not keep a zero TTL', reply(0, [a(0)]), undefined],
  ];
  it.each(cases)('%s', async (_what, answer, keptSeconds) => {
    const clock = new FakeClock();
    const cache = new ResponseCache({ clock });
    cache.put('k', answer);
    if (keptSeconds === undefined) {
      expect(cache.get('k')).toBeUndefined();
      return;
    }
    await clock.advance(keptSeconds * 1000 - 1);
    expect(cache.get('k')).toBeDefined();
    await clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
  });

  it('gives each hit the TTLs that are left', async () => {
    const clock = new FakeClock();
    const cache = new ResponseCache({ clock });
    cache.put('k', reply(0, [a(30), a(10, '192.0.2.2')]));
    await clock.advance(4500);
    const hit = cache.get('k');
    expect(hit?.type).toBe('success');
    expect(hit?.answer.answers.map((r) => ('ttl' in r ? r.ttl : undefined))).toEqual([26, 6]);
  });

  it('counts a denial hit as denial', () => {
    const cache = new ResponseCache({ clock: new FakeClock() });
    cache.put('k', reply(3, [], [soa(60, 60)]));
    expect(cache.get('k')?.type).toBe('denial');
  });

  it('drops the oldest entry when full', () => {
    const cache = new ResponseCache({ clock: new FakeClock(), capacity: 2 });
    cache.put('one', reply(0, [a(60)]));
    cache.put('two', reply(0, [a(60)]));
    cache.put('three', reply(0, [a(60)]));
    expect([cache.get('one'), cache.get('two'), cache.get('three')].map(Boolean)).toEqual([
      false,
      true,
      true,
    ]);
    expect(cache.size).toBe(2);
  });
});
