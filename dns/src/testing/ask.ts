// A DNS client for tests: one question over UDP or TCP, the answer summarised as text lines
// (`A 10.96.0.10`, `SRV 0 100 80 web.default.svc.cluster.local`) beside its rcode and flags.
import { realClock } from '@skiff/api';
import type { Answer, DecodedPacket, RecordType } from 'dns-packet';
import { exchangeTcp, exchangeUdp } from '../forward/exchange.js';
import type { HostPort } from '../host-port.js';
import { rcodeName } from '../metrics/metrics.js';
import { FLAG_AA, rcodeOf } from '../wire.js';

export interface Asked {
  readonly rcode: string;
  readonly authoritative: boolean;
  readonly answers: string[];
  readonly authority: string[];
  readonly additional: string[];
  readonly reply: DecodedPacket;
}

export function describeRecord(record: Answer): string {
  switch (record.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return `${record.type} ${record.data}`;
    case 'SRV':
      return `SRV ${record.data.priority ?? 0} ${record.data.weight ?? 0} ${record.data.port} ${record.data.target}`;
    case 'SOA':
      return `SOA ${record.name}`;
    case 'TXT':
      return `TXT ${Buffer.isBuffer(record.data) ? record.data.toString() : Array.isArray(record.data) ? record.data.map(String).join('') : record.data}`;
    default:
      return record.type;
  }
}

export async function ask(
  server: HostPort,
  name: string,
  type: RecordType,
  transport: 'udp' | 'tcp' = 'udp',
  timeoutMs = 5000,
): Promise<Asked> {
  const exchange = transport === 'udp' ? exchangeUdp : exchangeTcp;
  const id = Math.floor(Math.random() * 0x10000);
  const reply = await exchange(
    server,
    id,
    { name, type, class: 'IN' },
    { clock: realClock, timeoutMs },
  );
  return {
    rcode: rcodeName(rcodeOf(reply.flags ?? 0)),
    authoritative: ((reply.flags ?? 0) & FLAG_AA) !== 0,
    answers: (reply.answers ?? []).map(describeRecord),
    authority: (reply.authorities ?? []).map(describeRecord),
    additional: (reply.additionals ?? []).filter((r) => r.type !== 'OPT').map(describeRecord),
    reply,
  };
}
