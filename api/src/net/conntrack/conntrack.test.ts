import { describe, expect, it } from 'vitest';
import { Conntrack, filterArgs, findConntrack, type ToolResult } from './conntrack.js';

/** A runner that records its arguments and answers `result`. */
function answering(result: ToolResult): { calls: string[][]; conntrack: Conntrack } {
  const calls: string[][] = [];
  const conntrack = new Conntrack((args) => {
    calls.push([...args]);
    return Promise.resolve(result);
  });
  return { calls, conntrack };
}

describe('Conntrack', () => {
  it.each([
    [
      'a Service IP and its old endpoint (kube-proxy)',
      { protocol: 'udp', origDst: '10.96.0.10', replySrc: '10.244.0.5' },
      ['-p', 'udp', '--orig-dst', '10.96.0.10', '--reply-src', '10.244.0.5'],
    ],
    [
      'a NodePort and its old endpoint (kube-proxy)',
      { protocol: 'udp', origDstPort: 30053, replySrc: '10.244.0.5' },
      ['-p', 'udp', '--orig-port-dst', '30053', '--reply-src', '10.244.0.5'],
    ],
    [
      'a host port (portmap)',
      { protocol: 'udp', origDstPort: 5353 },
      ['-p', 'udp', '--orig-port-dst', '5353'],
    ],
  ] as const)('filters by %s', (_what, filter, args) => {
    expect(filterArgs(filter)).toEqual(args);
  });

  it('counts the entries a delete printed', async () => {
    const { calls, conntrack } = answering({
      exitCode: 0,
      stdout:
        'udp 17 29 src=1.1.1.1 dst=2.2.2.2 sport=1 dport=53 src=3.3.3.3 dst=1.1.1.1 sport=53 dport=1 mark=0 use=1\n',
      stderr: 'conntrack v1.4.7 (conntrack-tools): 1 flow entries have been deleted.\n',
    });
    expect(await conntrack.delete({ protocol: 'udp', origDstPort: 53 })).toBe(1);
    expect(calls).toEqual([['-D', '-f', 'ipv4', '-p', 'udp', '--orig-port-dst', '53']]);
  });

  it('takes "0 flow entries have been deleted" (exit 1) for nothing to do', async () => {
    const { conntrack } = answering({
      exitCode: 1,
      stdout: '',
      stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n',
    });
    expect(await conntrack.delete({ protocol: 'udp', origDstPort: 53 })).toBe(0);
  });

  it('fails on any other error, with what it ran and what it said', async () => {
    const { conntrack } = answering({
      exitCode: 1,
      stdout: '',
      stderr: 'conntrack v1.4.7 (conntrack-tools): Operation not permitted\n',
    });
    await expect(conntrack.delete({ protocol: 'udp', origDstPort: 53 })).rejects.toThrow(
      'conntrack -D -f ipv4 -p udp --orig-port-dst 53: exit 1: conntrack v1.4.7 (conntrack-tools): Operation not permitted',
    );
  });

  it('names the Debian package when the program is missing', () => {
    expect(() => findConntrack('/nonexistent', [])).toThrow(
      'install the Debian package conntrack (apt-get install -y conntrack)',
    );
  });
});
