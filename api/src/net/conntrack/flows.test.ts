import { describe, expect, it } from 'vitest';
import { parseConntrackFlows } from './flows.js';

describe('parseConntrackFlows', () => {
  it.each([
    [
      'a DNATed UDP flow, unreplied',
      'udp      17 29 src=10.0.0.1 dst=10.96.0.10 sport=40000 dport=53 [UNREPLIED] src=10.244.0.5 dst=10.0.0.1 sport=5353 dport=40000 mark=0 use=1',
      {
        protocol: 'udp',
        original: { src: '10.0.0.1', dst: '10.96.0.10', sport: 40000, dport: 53 },
        reply: { src: '10.244.0.5', dst: '10.0.0.1', sport: 5353, dport: 40000 },
      },
    ],
    [
      'an assured TCP flow with its state',
      'tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=5000 dport=80 src=127.0.0.1 dst=127.0.0.1 sport=80 dport=5000 [ASSURED] mark=0 use=1',
      {
        protocol: 'tcp',
        original: { src: '127.0.0.1', dst: '127.0.0.1', sport: 5000, dport: 80 },
        reply: { src: '127.0.0.1', dst: '127.0.0.1', sport: 80, dport: 5000 },
      },
    ],
    [
      'an ICMP flow without ports',
      'icmp     1 29 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=7 src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=7 mark=0 use=1',
      {
        protocol: 'icmp',
        original: { src: '10.0.0.1', dst: '10.0.0.2' },
        reply: { src: '10.0.0.2', dst: '10.0.0.1' },
      },
    ],
  ])('reads %s', (_what, line, flow) => {
    expect(parseConntrackFlows(`${line}\n`)).toEqual([flow]);
  });

  it('skips the summary line and blank lines', () => {
    const text =
      'udp 17 29 src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 mark=0 use=1\n\n' +
      'conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n';
    expect(parseConntrackFlows(text)).toHaveLength(1);
  });
});
