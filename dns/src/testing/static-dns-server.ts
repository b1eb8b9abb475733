// A small authoritative DNS server on loopback for tests and the benchmark: answers the names
// it is given (A records), NXDOMAIN with an SOA for everything else, over UDP and TCP. It stands
// in for the host's resolvers as an upstream, and it counts the queries it gets so a test can
// see what the cache kept. `silent` makes it read and never answer (an upstream that times out).
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import * as packet from 'dns-packet';
import type { Answer } from 'dns-packet';
import { createServer, type Server, type Socket } from 'node:net';
import { frame, FrameReader } from '../tcp-frames.js';
import { decodeMessage, FLAG_AA, FLAG_RD, FLAG_TC, RCODE } from '../wire.js';

export interface StaticDnsServer {
  readonly host: string;
  readonly port: number;
  /** Questions received, `A example.test`, in order. */
  readonly queries: string[];
  close(): Promise<void>;
}

export interface StaticDnsOptions {
  /** Name (lower case) → its IPv4 addresses. */
  readonly records: Readonly<Record<string, readonly string[]>>;
  readonly ttl?: number;
  readonly silent?: boolean;
  /** Answer every UDP query truncated, so clients must come back over TCP. */
  readonly truncateUdp?: boolean;
  /** Where to listen (default 127.0.0.1, any free port): port 53 stands in for a resolv.conf's nameserver. */
  readonly host?: string;
  readonly port?: number;
}

export async function startStaticDnsServer(options: StaticDnsOptions): Promise<StaticDnsServer> {
  const queries: string[] = [];
  const ttl = options.ttl ?? 60;
  const answer = (message: Buffer, udp: boolean): Buffer | undefined => {
    const query = decodeMessage(message);
    const question = query?.questions?.[0];
    if (!query || !question) return undefined;
    queries.push(`${question.type} ${question.name}`);
    if (options.silent) return undefined;
    const name = question.name.toLowerCase();
    const ips = options.records[name];
    const answers: Answer[] =
      question.type === 'A'
        ? (ips ?? []).map((data) => ({ type: 'A', name: question.name, ttl, data }))
        : [];
    const soa: Answer = {
      type: 'SOA',
      name: 'test',
      ttl,
      data: { mname: 'ns.test', rname: 'hostmaster.test', serial: 1, minimum: ttl },
    };
    const truncated = udp && options.truncateUdp === true;
    return packet.encode({
      type: 'response',
      id: query.id ?? 0,
      flags:
        FLAG_AA |
        ((query.flags ?? 0) & FLAG_RD) |
        (ips ? RCODE.NOERROR : RCODE.NXDOMAIN) |
        (truncated ? FLAG_TC : 0),
      questions: [question],
      answers: truncated ? [] : answers,
      authorities: answers.length === 0 && !truncated ? [soa] : [],
    });
  };

  const host = options.host ?? '127.0.0.1';
  const connections = new Set<Socket>();
  const serveTcp = (conn: Socket): void => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => conn.destroy());
    const reader = new FrameReader();
    conn.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) {
        const reply = answer(message, false);
        if (reply) conn.write(frame(reply));
      }
    });
  };
  // UDP and TCP on one port. Without options.port the kernel picks the UDP port, which another
  // process may hold for TCP: then both are given up and another is tried (as skiff dns does).
  for (let attempt = 1; ; attempt++) {
    const udp = createSocket('udp4');
    udp.on('message', (message, peer) => {
      const reply = answer(message, true);
      if (reply) udp.send(reply, peer.port, peer.address);
    });
    await listening(udp, (done) => udp.bind(options.port ?? 0, host, done));
    const { port } = udp.address();
    const tcp = createServer(serveTcp);
    try {
      await listening(tcp, (done) => tcp.listen(port, host, done));
    } catch (err) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (options.port !== undefined || !taken || attempt >= 10) throw err;
      continue;
    }
    return served(udp, tcp, port);
  }

  function served(udp: DgramSocket, tcp: Server, port: number): StaticDnsServer {
    return {
      host,
      port,
      queries,
      close: async () => {
        for (const conn of connections) conn.destroy();
        await Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve) => tcp.close(() => resolve())),
        ]);
      },
    };
  }
}

/** Resolves once `start` has the socket listening; rejects with its error (EADDRINUSE) instead. */
function listening(socket: DgramSocket | Server, start: (done: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    start(() => {
      socket.off('error', reject);
      resolve();
    });
  });
}
