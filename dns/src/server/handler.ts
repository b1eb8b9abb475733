// One query message in, one answer message out: the wire format, the protocol's rules and the
// metrics around resolve() and the forwarder. Nothing a client sends can crash it: a message
// too short to have a header, or one that is itself a response, is dropped; a malformed one is
// answered FORMERR, an opcode other than QUERY NOTIMP, an unreachable upstream SERVFAIL.
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';
import type { ClusterView } from '../cluster/view.js';
import { UpstreamError } from '../forward/exchange.js';
import type { Forwarder } from '../forward/forwarder.js';
import type { DnsMetrics, Plugin } from '../metrics/metrics.js';
import type { ZoneConfig } from '../resolve/resolution.js';
import { resolve } from '../resolve/resolve.js';
import { ReplyMemo } from './reply-memo.js';
import {
  CLASSIC_UDP_SIZE,
  decodeMessage,
  ednsOpt,
  FLAG_AA,
  FLAG_CD,
  FLAG_QR,
  FLAG_RA,
  FLAG_RD,
  FLAG_TC,
  MAX_UDP_SIZE,
  opcodeOf,
  RCODE,
} from '../wire.js';

export type Transport = 'udp' | 'tcp';

export interface QueryHandlerOptions {
  readonly view: ClusterView;
  readonly zone: ZoneConfig;
  readonly forwarder: Forwarder;
  readonly metrics?: DnsMetrics;
}

interface Result {
  /** Only from the cluster's records (nothing forwarded), so the same query gets the same bytes. */
  readonly fromRecordsOnly: boolean;
  readonly rcode: number;
  readonly answers: readonly Answer[];
  readonly authorities: readonly Answer[];
  readonly additionals: readonly Answer[];
  readonly authoritative: boolean;
  readonly plugin: Plugin;
}

const HEADER_SIZE = 12;
/** How many CNAMEs an ExternalName chain is followed through the cluster before giving up. */
const MAX_CHASE = 8;

export class QueryHandler {
  private readonly memo = new ReplyMemo();

  constructor(private readonly options: QueryHandlerOptions) {}

  async handle(message: Buffer, transport: Transport, family: 4 | 6): Promise<Buffer | undefined> {
    const started = performance.now();
    if (message.length < HEADER_SIZE) return undefined;
    const id = message.readUInt16BE(0);
    const flags = message.readUInt16BE(2);
    // Answering a response could start a loop between two servers.
    if (flags & FLAG_QR) return undefined;
    const serial = this.options.view.serial();
    const key = ReplyMemo.key(message, transport);
    const memoized = this.memo.get(key, serial);
    if (memoized) {
      this.options.metrics?.request(transport, family, memoized.type);
      this.options.metrics?.response(
        memoized.rcode,
        'kubernetes',
        memoized.type,
        (performance.now() - started) / 1000,
      );
      return ReplyMemo.withId(memoized, id);
    }
    const query = decodeMessage(message);
    const question = query?.questions?.[0];
    const type = question?.type ?? 'other';
    this.options.metrics?.request(transport, family, type);
    let reply: Buffer;
    let rcode: number;
    let plugin: Plugin = '';
    if (opcodeOf(flags) !== 0) {
      rcode = RCODE.NOTIMP;
      reply = bare(id, flags, rcode, query?.questions ?? []);
    } else if (!query || !question || query.questions?.length !== 1) {
      rcode = RCODE.FORMERR;
      reply = bare(id, flags, rcode, []);
    } else {
      const result = await this.answer(question, 0);
      ({ rcode, plugin } = result);
      reply = encodeReply(query, question, result, transport);
      if (result.fromRecordsOnly) this.memo.set(key, serial, { reply, rcode, type });
    }
    this.options.metrics?.response(rcode, plugin, type, (performance.now() - started) / 1000);
    return reply;
  }

  private async answer(question: Question, depth: number): Promise<Result> {
    const resolution = resolve(question, this.options.view, this.options.zone);
    if (resolution.kind === 'answer') {
      const own: Result = {
        rcode: RCODE[resolution.rcode],
        answers: resolution.answers,
        authorities: resolution.authorities,
        additionals: resolution.additionals,
        authoritative: true,
        plugin: 'kubernetes',
        fromRecordsOnly: true,
      };
      if (!resolution.chase || depth >= MAX_CHASE) return own;
      // An ExternalName: the CNAME, then what its target resolves to (in the cluster or
      // upstream). If the target cannot be resolved now the CNAME alone still answers.
      const target = await this.answer(resolution.chase, depth + 1);
      if (target.rcode !== RCODE.NOERROR && target.rcode !== RCODE.NXDOMAIN) {
        return { ...own, fromRecordsOnly: false };
      }
      return {
        ...own,
        rcode: target.rcode,
        answers: [...resolution.answers, ...target.answers],
        authorities: target.authorities,
        additionals: target.additionals,
        fromRecordsOnly: target.fromRecordsOnly,
      };
    }
    try {
      const forwarded = await this.options.forwarder.forward(question);
      return {
        ...forwarded,
        authoritative: false,
        plugin: forwarded.from === 'cache' ? 'cache' : 'forward',
        fromRecordsOnly: false,
      };
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      const none: readonly Answer[] = [];
      return {
        rcode: RCODE.SERVFAIL,
        answers: none,
        authorities: none,
        additionals: none,
        authoritative: false,
        plugin: 'forward',
        fromRecordsOnly: false,
      };
    }
  }
}

/** A header-only answer (FORMERR, NOTIMP): the ID, the client's RD and CD bits, the code. */
function bare(id: number, flags: number, rcode: number, questions: readonly Question[]): Buffer {
  return packet.encode({
    type: 'response',
    id,
    flags: (flags & (FLAG_RD | FLAG_CD)) | FLAG_RA | rcode,
    questions: [...questions],
  });
}

/**
 * The answer for the client. Over UDP it must fit what the client can take — 512 bytes, or its
 * EDNS0 offer up to 1232 — else it goes out truncated (TC, no records) and the client asks
 * again over TCP, as RFC 1035 and RFC 7766 have it.
 */
function encodeReply(
  query: DecodedPacket,
  question: Question,
  result: Result,
  transport: Transport,
): Buffer {
  const clientOpt = query.additionals?.find((r) => r.type === 'OPT');
  const opt = clientOpt ? [ednsOpt(MAX_UDP_SIZE)] : [];
  const flags =
    (result.authoritative ? FLAG_AA : 0) |
    ((query.flags ?? 0) & (FLAG_RD | FLAG_CD)) |
    FLAG_RA |
    (result.rcode & 0xf);
  const header = { type: 'response' as const, id: query.id ?? 0, questions: [question] };
  const full = packet.encode({
    ...header,
    flags,
    answers: [...result.answers],
    authorities: [...result.authorities],
    additionals: [...result.additionals, ...opt],
  });
  if (transport === 'tcp') return full;
  const offered = clientOpt?.type === 'OPT' ? clientOpt.udpPayloadSize : CLASSIC_UDP_SIZE;
  const limit = Math.min(Math.max(offered, CLASSIC_UDP_SIZE), MAX_UDP_SIZE);
  if (full.length <= limit) return full;
  return packet.encode({ ...header, flags: flags | FLAG_TC, additionals: opt });
}
