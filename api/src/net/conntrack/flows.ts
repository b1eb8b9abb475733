// A connection-tracking entry as `conntrack -L` prints it: the original direction's addresses
// and ports first, then the reply direction's. A DNATed flow shows the rewrite as a reply source
// that is not the original destination — which endpoint a Service or host port sent it to.

export interface FlowTuple {
  readonly src: string;
  readonly dst: string;
  /** Absent for protocols without ports (icmp). */
  readonly sport?: number;
  readonly dport?: number;
}

export interface ConntrackFlow {
  /** As conntrack names it: tcp, udp, sctp, icmp… */
  readonly protocol: string;
  readonly original: FlowTuple;
  readonly reply: FlowTuple;
}

/**
 * The flows in `conntrack -L` output, one per line; lines that are not flows (the tool's
 * summary, blank lines) are skipped.
 * `udp 17 29 src=10.0.0.1 dst=10.96.0.10 sport=40000 dport=53 [UNREPLIED] src=10.244.0.5 …`
 */
export function parseConntrackFlows(text: string): ConntrackFlow[] {
  const flows: ConntrackFlow[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    const protocol = words[0] ?? '';
    const pairs = words
      .filter((w) => w.includes('='))
      .map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] as const);
    const tuples: Record<string, string>[] = [];
    for (const [key, value] of pairs) {
      // Each direction starts again at src=; keys after both tuples (mark, use…) are ignored.
      if (key === 'src') tuples.push({});
      const current = tuples[tuples.length - 1];
      if (current !== undefined && !(key in current)) current[key] = value;
    }
    const [original, reply] = tuples.map(tuple);
    if (!/^[a-z0-9]+$/.test(protocol) || original === undefined || reply === undefined) continue;
    flows.push({ protocol, original, reply });
  }
  return flows;
}

function tuple(fields: Record<string, string>): FlowTuple | undefined {
  const { src, dst, sport, dport } = fields;
  if (src === undefined || dst === undefined) return undefined;
  return {
    src,
    dst,
    ...(sport !== undefined && { sport: Number(sport) }),
    ...(dport !== undefined && { dport: Number(dport) }),
  };
}
