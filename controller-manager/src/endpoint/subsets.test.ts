import { makePod, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { desiredSubsets } from './subsets.js';

const svc = () => makeService().name('web').namespace('ns').selector({ app: 'web' });
const pod = (name: string, ip: string) =>
  makePod()
    .name(name)
    .namespace('ns')
    .uid(`uid-${name}`)
    .labels({ app: 'web' })
    .node('n1')
    .podIP(ip);

describe('desired Endpoints subsets', () => {
  it('lists ready pods as addresses and not-ready pods as notReadyAddresses', () => {
    const service = svc().port(80, { name: 'http', targetPort: 8080 }).obj();
    const subsets = desiredSubsets(service, [
      pod('b', '10.0.0.2').ready().obj(),
      pod('a', '10.0.0.1').ready(false).obj(),
    ]);
    expect(subsets).toEqual([
      {
        addresses: [
          {
            ip: '10.0.0.2',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'ns', name: 'b', uid: 'uid-b' },
          },
        ],
        notReadyAddresses: [
          {
            ip: '10.0.0.1',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' },
          },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('drops terminating pods and pods without an IP', () => {
    const service = svc().port(80).obj();
    const subsets = desiredSubsets(service, [
      pod('gone', '10.0.0.1').ready().deletionTimestamp('2026-01-01T00:00:00Z').obj(),
      makePod().name('no-ip').namespace('ns').labels({ app: 'web' }).ready().obj(),
    ]);
    expect(subsets).toEqual([]);
  });

  it('publishes not-ready and terminating pods as ready with publishNotReadyAddresses', () => {
    const service = svc().port(80).spec({ publishNotReadyAddresses: true }).obj();
    const subsets = desiredSubsets(service, [
      pod('a', '10.0.0.1').ready(false).obj(),
      pod('b', '10.0.0.2').ready().deletionTimestamp('2026-01-01T00:00:00Z').obj(),
    ]);
    expect(subsets[0]?.addresses?.map((a) => a.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(subsets[0]?.notReadyAddresses).toBeUndefined();
  });

  it('resolves a named targetPort per pod and groups pods by the ports they serve', () => {
    const service = svc().port(80, { name: 'http', targetPort: 'web' }).obj();
    const on8080 = pod('a', '10.0.0.1')
      .container('app', { ports: [{ name: 'web', containerPort: 8080 }] })
      .ready()
      .obj();
    const on9090 = pod('b', '10.0.0.2')
      .container('app', { ports: [{ name: 'web', containerPort: 9090 }] })
      .ready()
      .obj();
    const unnamed = pod('c', '10.0.0.3').ready().obj();
    const subsets = desiredSubsets(service, [on8080, on9090, unnamed]);
    expect(subsets.map((s) => [s.ports?.[0]?.port, s.addresses?.map((a) => a.ip)])).toEqual([
      [8080, ['10.0.0.1']],
      [9090, ['10.0.0.2']],
    ]);
  });

  it('lists the pods of a headless service without ports, with their hostnames', () => {
    const service = svc().withoutPorts().clusterIP('None').obj();
    const member = pod('a', '10.0.0.1').ready().spec({ hostname: 'web-0', subdomain: 'web' }).obj();
    expect(desiredSubsets(service, [member])).toEqual([
      {
        addresses: [
          {
            ip: '10.0.0.1',
            hostname: 'web-0',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' },
          },
        ],
      },
    ]);
  });
});
