// The proxier's bookkeeping, with a backend that records what it is asked to program (the real
// backends are tested on the kernel in proxy.netns.test.ts).
import { Conntrack } from '@skiff/api';
import { FakeClock, makeEndpointSlice, makeNode, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import type { RuleContext } from '../model/context.js';
import type { ServicePortPlan } from '../model/plan.js';
import type { SyncKind } from '../model/sync-kind.js';
import type { ProxyBackend } from './backend.js';
import { ProxyHealth } from './health.js';
import { ProxyMetrics } from './metrics.js';
import { Proxier } from './proxier.js';

interface Call {
  kind: SyncKind;
  ctx: RuleContext;
  updates: Map<string, string[] | undefined>;
}

/** `cleanupAt(clock)`: what the backend says it left for a later sync, per sync. */
function proxier(cleanupAt: (clock: FakeClock) => number | undefined = () => undefined) {
  const calls: Call[] = [];
  /** The conntrack commands a sync ran, with a table holding one flow to the DNS Service. */
  const conntrackRuns: string[] = [];
  const conntrack = new Conntrack((args) => {
    conntrackRuns.push(args.join(' '));
    const flow =
      'udp 17 29 src=10.0.0.1 dst=10.96.0.53 sport=4000 dport=53 src=10.244.0.9 dst=10.0.0.1 sport=5353 dport=4000 mark=0 use=1\n';
    return Promise.resolve({ exitCode: 0, stdout: args[0] === '-L' ? flow : '', stderr: '' });
  });
  const backend: ProxyBackend = {
    mode: 'nftables',
    sync: (kind, ctx, updates: ReadonlyMap<string, ServicePortPlan | undefined>) => {
      const summary = new Map(
        [...updates].map(([k, p]) => [k, p?.clusterEndpoints.map((e) => e.ip)]),
      );
      calls.push({ kind, ctx, updates: summary });
      const leftover = cleanupAt(clock);
      return Promise.resolve({
        counts: { rules: 1 },
        ...(leftover === undefined ? {} : { cleanupAt: leftover }),
      });
    },
    cleanup: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const clock = new FakeClock();
  const p = new Proxier({
    backend,
    nodeName: 'node-a',
    nodePortCIDRs: [],
    localhostNodePorts: false,
    clock,
    metrics: new ProxyMetrics(),
    health: new ProxyHealth(clock, 60_000),
    log: () => undefined,
    conntrack,
  });
  return { p, calls, conntrackRuns, clock };
}

const web = makeService()
  .name('web')
  .namespace('ns')
  .clusterIP('10.96.0.10')
  .port(80, { name: 'http' });
const slice = (...ips: string[]) => {
  const b = makeEndpointSlice().name('web-1').namespace('ns').port(8080, { name: 'http' });
  for (const ip of ips) b.endpoint(ip);
  return b.obj();
};

describe('Proxier', () => {
  it('programs everything on the first sync, then only the Services that changed', async () => {
    const { p, calls } = proxier();
    p.onServiceUpdate(web.obj());
    p.onServiceUpdate(
      makeService().name('db').namespace('ns').clusterIP('10.96.0.11').port(5432).obj(),
    );
    p.onEndpointSliceUpdate(slice('10.244.1.2'));
    await p.sync(false);
    p.onEndpointSliceUpdate(slice('10.244.1.2', '10.244.1.3'));
    await p.sync(false);
    expect(calls.map((c) => [c.kind, [...c.updates]])).toEqual([
      [
        'initial',
        [
          ['ns/web/tcp/http', ['10.244.1.2']],
          ['ns/db/tcp/', []],
        ],
      ],
      ['partial', [['ns/web/tcp/http', ['10.244.1.2', '10.244.1.3']]]],
    ]);
  });

  it('removes the ports of a deleted Service and of a renamed port', async () => {
    const { p, calls } = proxier();
    p.onServiceUpdate(web.obj());
    await p.sync(false);
    p.onServiceUpdate(
      makeService()
        .name('web')
        .namespace('ns')
        .clusterIP('10.96.0.10')
        .port(80, { name: 'web' })
        .obj(),
    );
    await p.sync(false);
    p.onServiceDelete(web.obj());
    await p.sync(false);
    expect(calls.slice(1).map((c) => [...c.updates])).toEqual([
      [
        ['ns/web/tcp/http', undefined],
        ['ns/web/tcp/web', []],
      ],
      [['ns/web/tcp/web', undefined]],
    ]);
  });

  it('resyncs in full when the node’s addresses change, and skips a partial sync with nothing to do', async () => {
    const { p, calls } = proxier();
    p.onServiceUpdate(web.obj());
    await p.sync(false);
    await p.sync(false);
    p.onNodeUpdate(
      makeNode().name('node-a').addresses({ type: 'InternalIP', address: '192.168.1.10' }).obj(),
    );
    await p.sync(false);
    expect(calls.map((c) => [c.kind, c.ctx.nodePortAddresses])).toEqual([
      ['initial', []],
      ['full', ['192.168.1.10']],
    ]);
  });

  it('runs a sync with nothing changed once the backend’s leftovers are due, and says when', async () => {
    let leftovers = true;
    const { p, calls, clock } = proxier((c) => (leftovers ? c.now() + 1000 : undefined));
    p.onServiceUpdate(web.obj());
    await p.sync(false);
    expect(p.cleanupDueInMs()).toBe(1000);
    await clock.advance(999);
    await p.sync(false);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    leftovers = false;
    await p.sync(false);
    expect(calls.map((c) => [c.kind, c.updates.size])).toEqual([
      ['initial', 1],
      ['partial', 0],
    ]);
    expect(p.cleanupDueInMs()).toBeUndefined();
  });

  it('deletes stale UDP flows after a sync that touched a UDP Service, and only then', async () => {
    const { p, conntrackRuns } = proxier();
    const dns = makeService()
      .name('dns')
      .namespace('ns')
      .clusterIP('10.96.0.53')
      .port(53, { name: 'dns', protocol: 'UDP' });
    const dnsSlice = (ip: string) =>
      makeEndpointSlice()
        .name('dns-1')
        .namespace('ns')
        .service('dns')
        .port(5353, { name: 'dns', protocol: 'UDP' })
        .endpoint(ip)
        .obj();
    p.onServiceUpdate(web.obj());
    p.onEndpointSliceUpdate(slice('10.1.0.1'));
    await p.sync(false);
    expect(conntrackRuns).toEqual([]);

    p.onServiceUpdate(dns.obj());
    p.onEndpointSliceUpdate(dnsSlice('10.244.0.9'));
    await p.sync(false);
    // The flow's endpoint serves: nothing to delete.
    expect(conntrackRuns.splice(0)).toEqual(['-L -f ipv4 -p udp']);

    p.onEndpointSliceUpdate(slice('10.1.0.2'));
    await p.sync(false);
    expect(conntrackRuns).toEqual([]);

    p.onEndpointSliceUpdate(dnsSlice('10.244.0.10'));
    await p.sync(false);
    expect(conntrackRuns.splice(0)).toEqual([
      '-L -f ipv4 -p udp',
      '-D -f ipv4 -p udp --orig-dst 10.96.0.53 --reply-src 10.244.0.9',
    ]);
  });
});
