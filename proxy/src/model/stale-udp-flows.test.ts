import type { ConntrackFlow } from '@skiff/api';
import { makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { servicePortsOf, type ServicePortInfo } from './service-port.js';
import { staleUdpFlowFilters, type UdpServicePort } from './stale-udp-flows.js';

const CLIENT = '192.168.1.5';

/** A datagram's entry: from the client to `dst:dport`, answered by `replySrc`. */
const flow = (dst: string, dport: number, replySrc: string, protocol = 'udp'): ConntrackFlow => ({
  protocol,
  original: { src: CLIENT, dst, sport: 40000, dport },
  reply: { src: replySrc, dst: CLIENT, sport: 5353, dport: 40000 },
});

const dnsPort = (): ServicePortInfo => {
  const [port] = servicePortsOf(
    makeService()
      .namespace('kube-system')
      .name('dns')
      .type('NodePort')
      .clusterIP('10.96.0.10')
      .port(53, { name: 'dns', protocol: 'UDP', nodePort: 30053 })
      .obj(),
  );
  if (port === undefined) throw new Error('no port');
  return { ...port, externalIPs: ['203.0.113.9'] };
};

const serving = (...ips: string[]): UdpServicePort => ({
  svc: dnsPort(),
  servingIPs: new Set(ips),
});

describe('staleUdpFlowFilters', () => {
  it.each([
    {
      name: 'keeps a flow to the cluster IP DNATed to a serving endpoint',
      flows: [flow('10.96.0.10', 53, '10.244.0.5')],
      want: [],
    },
    {
      name: 'deletes a flow to the cluster IP DNATed to an endpoint that went',
      flows: [flow('10.96.0.10', 53, '10.244.0.9')],
      want: [{ protocol: 'udp', origDst: '10.96.0.10', replySrc: '10.244.0.9' }],
    },
    {
      name: 'deletes a flow the Service IP answered itself (it had no endpoints then)',
      flows: [flow('10.96.0.10', 53, '10.96.0.10')],
      want: [{ protocol: 'udp', origDst: '10.96.0.10', replySrc: '10.96.0.10' }],
    },
    {
      name: 'deletes a stale flow to an external IP',
      flows: [flow('203.0.113.9', 53, '10.244.0.9')],
      want: [{ protocol: 'udp', origDst: '203.0.113.9', replySrc: '10.244.0.9' }],
    },
    {
      name: 'deletes a stale flow to the NodePort on any node address',
      flows: [flow('192.168.1.10', 30053, '10.244.0.9')],
      want: [{ protocol: 'udp', origDstPort: 30053, replySrc: '10.244.0.9' }],
    },
    {
      name: 'leaves other destinations and other protocols alone',
      flows: [flow('10.96.0.11', 53, '10.244.0.9'), flow('10.96.0.10', 53, '10.244.0.9', 'tcp')],
      want: [],
    },
    {
      name: 'names each stale pair once',
      flows: [flow('10.96.0.10', 53, '10.244.0.9'), flow('10.96.0.10', 53, '10.244.0.9')],
      want: [{ protocol: 'udp', origDst: '10.96.0.10', replySrc: '10.244.0.9' }],
    },
  ])('$name', ({ flows, want }) => {
    expect(staleUdpFlowFilters(flows, [serving('10.244.0.5')])).toEqual(want);
  });

  it('pools the serving endpoints of ports that share an address', () => {
    const other = {
      svc: { ...dnsPort(), key: 'kube-system/dns/udp/other' },
      servingIPs: new Set(['10.244.0.9']),
    };
    expect(
      staleUdpFlowFilters([flow('10.96.0.10', 53, '10.244.0.9')], [serving('10.244.0.5'), other]),
    ).toEqual([]);
  });

  it('deletes every flow to a vanished Service port, unless a current one owns the address', () => {
    const gone: ServicePortInfo = {
      ...dnsPort(),
      clusterIP: '10.96.0.99',
      externalIPs: [],
      nodePort: 30099,
    };
    const flows = [
      flow('10.96.0.99', 53, '10.244.0.5'),
      flow('192.168.1.10', 30099, '10.244.0.5'),
      flow('10.96.0.10', 53, '10.244.0.5'),
    ];
    expect(staleUdpFlowFilters(flows, [serving('10.244.0.5')], [gone, dnsPort()])).toEqual([
      { protocol: 'udp', origDst: '10.96.0.99', replySrc: '10.244.0.5' },
      { protocol: 'udp', origDstPort: 30099, replySrc: '10.244.0.5' },
    ]);
  });
});
