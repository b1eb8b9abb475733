// One query to one upstream and its answer, over UDP (a fresh socket per query: a random source
// port, so a forged answer must guess it as well as the ID) or over TCP (two-byte length
// prefix, RFC 1035 §4.2.2). Only an answer with our ID and our question is taken.
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import type { Clock } from '@skiff/api';
import * as packet from 'dns-packet';
import type { DecodedPacket, Question } from 'dns-packet';
import { frame, FrameReader } from '../tcp-frames.js';
import { decodeMessage, ednsOpt, MAX_UDP_SIZE } from '../wire.js';
import type { Upstream } from './upstream.js';

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
}

export interface ExchangeOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
}

export function encodeQuery(id: number, question: Question): Buffer {
  return packet.encode({
    type: 'query',
    id,
    flags: packet.RECURSION_DESIRED,
    questions: [question],
    // EDNS0 with the DNS flag day's 1232-byte payload: most answers fit in one datagram.
    additionals: [ednsOpt(MAX_UDP_SIZE)],
  });
}

function answers(reply: DecodedPacket, id: number, question: Question): boolean {
  const q = reply.questions?.[0];
  return (
    reply.id === id &&
    reply.flag_qr &&
    q !== undefined &&
    q.type === question.type &&
    q.name.toLowerCase() === question.name.toLowerCase()
  );
}

/** Calls `body(finish)`; settles once, on the first finish() or on the timeout. */
function withTimeout<T>(
  options: ExchangeOptions,
  what: string,
  body: (finish: (err: Error | undefined, value?: T) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let cleanup = (): void => undefined;
    const finish = (err: Error | undefined, value?: T): void => {
      if (done) return;
      done = true;
      timer.cancel();
      cleanup();
      if (err || value === undefined) reject(err ?? new UpstreamError(`${what}: no answer`));
      else resolve(value);
    };
    const timer = options.clock.setTimer(options.timeoutMs, () =>
      finish(new UpstreamError(`${what}: no answer within ${options.timeoutMs} ms`)),
    );
    cleanup = body(finish);
  });
}

export function exchangeUdp(
  upstream: Upstream,
  id: number,
  question: Question,
  options: ExchangeOptions,
): Promise<DecodedPacket> {
  const what = `udp ${upstream.host}:${upstream.port}`;
  return withTimeout<DecodedPacket>(options, what, (finish) => {
    const socket = createSocket(isIPv6(upstream.host) ? 'udp6' : 'udp4');
    socket.on('error', (err) => finish(new UpstreamError(`${what}: ${err.message}`)));
    socket.on('message', (message) => {
      // Anything but our answer (garbage, a stale reply) is ignored: the timeout still runs.
      const reply = decodeMessage(message);
      if (reply && answers(reply, id, question)) finish(undefined, reply);
    });
    // Connected, so the kernel drops datagrams from anyone else and an ICMP "port
    // unreachable" arrives as ECONNREFUSED at once instead of a wait for the timeout.
    socket.connect(upstream.port, upstream.host, () => {
      socket.send(encodeQuery(id, question), (err) => {
        if (err) finish(new UpstreamError(`${what}: ${err.message}`));
      });
    });
    return () => socket.close();
  });
}

export function exchangeTcp(
  upstream: Upstream,
  id: number,
  question: Question,
  options: ExchangeOptions,
): Promise<DecodedPacket> {
  const what = `tcp ${upstream.host}:${upstream.port}`;
  return withTimeout<DecodedPacket>(options, what, (finish) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    const reader = new FrameReader();
    socket.on('error', (err) => finish(new UpstreamError(`${what}: ${err.message}`)));
    socket.on('close', () =>
      finish(new UpstreamError(`${what}: connection closed before an answer`)),
    );
    socket.on('connect', () => socket.write(frame(encodeQuery(id, question))));
    socket.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) {
        const reply = decodeMessage(message);
        if (!reply) finish(new UpstreamError(`${what}: malformed answer`));
        else if (answers(reply, id, question)) finish(undefined, reply);
      }
    });
    return () => socket.destroy();
  });
}
