import { FakeClock, makeEndpointSlice, makeService } from '@skiff/api/testing';
import * as packet from 'dns-packet';
import type { DecodedPacket, Packet } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { ClusterRecords } from '../cluster/records.js';
import { ResponseCache } from '../forward/cache.js';
import { Forwarder } from '../forward/forwarder.js';
import { ednsOpt, FLAG_AA, FLAG_RA, FLAG_RD, FLAG_TC, rcodeOf } from '../wire.js';
import { describeRecord } from '../testing/ask.js';
import { QueryHandler, type Transport } from './handler.js';

function handler(): QueryHandler {
  const records = new ClusterRecords();
  records.setService(makeService().name('web').namespace('default').clusterIP('10.96.0.10').obj());
  records.setService(
    makeService()
      .name('alias')
      .namespace('default')
      .type('ExternalName')
      .withoutPorts()
      .spec({ externalName: 'web.default.svc.cluster.local' })
      .obj(),
  );
  records.setService(makeService().name('many').namespace('default').clusterIP('None').obj());
  // 20 A records: over 512 bytes, under 1232 (dns-packet writes names without compression).
  const slice = makeEndpointSlice().name('many-1').namespace('default').service('many');
  for (let i = 1; i <= 20; i++) slice.endpoint(`10.244.0.${i}`);
  records.setEndpointSlice(slice.obj());
  const clock = new FakeClock();
  // No upstreams: anything outside the cluster is SERVFAIL without a socket opened.
  const forwarder = new Forwarder({
    upstreams: [],
    cache: new ResponseCache({ clock }),
    clock,
    timeoutMs: 100,
  });
  return new QueryHandler({ view: records, zone: { zone: 'cluster.local', ttl: 5 }, forwarder });
}

const query = (fields: Packet): Buffer =>
  packet.encode({ type: 'query', id: 4242, flags: FLAG_RD, ...fields });

async function ask(
  message: Buffer,
  transport: Transport = 'udp',
): Promise<DecodedPacket | undefined> {
  const reply = await handler().handle(message, transport, 4);
  return reply && packet.decode(reply);
}

describe('QueryHandler', () => {
  it('answers a cluster name authoritatively, echoing ID, question spelling and RD', async () => {
    const reply = await ask(
      query({ questions: [{ type: 'A', name: 'Web.Default.svc.cluster.local' }] }),
    );
    expect(reply?.id).toBe(4242);
    expect(reply?.questions).toEqual([
      { type: 'A', name: 'Web.Default.svc.cluster.local', class: 'IN' },
    ]);
    expect((reply?.flags ?? 0) & (FLAG_AA | FLAG_RD | FLAG_RA)).toBe(FLAG_AA | FLAG_RD | FLAG_RA);
    expect(
      reply?.answers?.map((r) => [
        r.type,
        'data' in r ? r.data : undefined,
        'ttl' in r ? r.ttl : 0,
      ]),
    ).toEqual([['A', '10.96.0.10', 5]]);
  });

  it('follows an ExternalName that points inside the cluster to its address', async () => {
    const reply = await ask(
      query({ questions: [{ type: 'A', name: 'alias.default.svc.cluster.local' }] }),
    );
    expect(rcodeOf(reply?.flags ?? 0)).toBe(0);
    expect((reply?.answers ?? []).map(describeRecord)).toEqual([
      'CNAME web.default.svc.cluster.local',
      'A 10.96.0.10',
    ]);
  });

  const refused: [what: string, message: Buffer, rcode: number | 'dropped'][] = [
    ['drops what is too short for a header', Buffer.from([1, 2, 3]), 'dropped'],
    [
      'drops a response (answering one could loop two servers)',
      packet.encode({ type: 'response', id: 1, questions: [{ type: 'A', name: 'x' }] }),
      'dropped',
    ],
    [
      'answers FORMERR to a header followed by garbage',
      Buffer.concat([query({}).subarray(0, 4), Buffer.from([0, 1, 0, 0, 0, 0, 0, 0, 0xff, 0xff])]),
      1,
    ],
    ['answers FORMERR to no question', query({ questions: [] }), 1],
    [
      'answers FORMERR to two questions',
      query({
        questions: [
          { type: 'A', name: 'a' },
          { type: 'A', name: 'b' },
        ],
      }),
      1,
    ],
    [
      'answers NOTIMP to an opcode other than QUERY',
      query({ flags: 2 << 11, questions: [{ type: 'A', name: 'web.default.svc.cluster.local' }] }),
      4,
    ],
    [
      'answers SERVFAIL when no upstream can be asked',
      query({ questions: [{ type: 'A', name: 'example.test' }] }),
      2,
    ],
  ];
  it.each(refused)('%s', async (_what, message, rcode) => {
    const reply = await ask(message);
    if (rcode === 'dropped') {
      expect(reply).toBeUndefined();
      return;
    }
    expect(reply?.id).toBe(message.readUInt16BE(0));
    expect(rcodeOf(reply?.flags ?? 0)).toBe(rcode);
  });

  it('truncates an answer too big for 512 bytes over UDP, and sends it whole over TCP', async () => {
    const message = query({ questions: [{ type: 'A', name: 'many.default.svc.cluster.local' }] });
    const udp = await ask(message, 'udp');
    expect(udp?.flag_tc).toBe(true);
    expect(udp?.answers).toEqual([]);
    const tcp = await ask(message, 'tcp');
    expect(tcp?.flag_tc).toBe(false);
    expect(tcp?.answers).toHaveLength(20);
  });

  it('fits the same answer in one datagram for a client offering EDNS0, and answers with OPT', async () => {
    const reply = await ask(
      query({
        questions: [{ type: 'A', name: 'many.default.svc.cluster.local' }],
        additionals: [ednsOpt(4096)],
      }),
    );
    expect((reply?.flags ?? 0) & FLAG_TC).toBe(0);
    expect(reply?.answers).toHaveLength(20);
    expect(reply?.additionals?.map((r) => r.type)).toEqual(['OPT']);
  });

  it('answers a repeated query from the records of the moment, not from the last answer', async () => {
    const records = new ClusterRecords();
    const clock = new FakeClock();
    const forwarder = new Forwarder({
      upstreams: [],
      cache: new ResponseCache({ clock }),
      clock,
      timeoutMs: 100,
    });
    const h = new QueryHandler({
      view: records,
      zone: { zone: 'cluster.local', ttl: 5 },
      forwarder,
    });
    const message = query({ questions: [{ type: 'A', name: 'late.default.svc.cluster.local' }] });
    const rcode = async (id: number): Promise<number> => {
      message.writeUInt16BE(id, 0);
      const reply = packet.decode((await h.handle(message, 'udp', 4)) ?? Buffer.alloc(0));
      expect(reply.id).toBe(id);
      return rcodeOf(reply.flags ?? 0);
    };
    expect([await rcode(1), await rcode(2)]).toEqual([3, 3]);
    records.setService(
      makeService().name('late').namespace('default').clusterIP('10.96.0.99').obj(),
    );
    expect([await rcode(3), await rcode(4)]).toEqual([0, 0]);
    records.deleteService('default', 'late');
    expect(await rcode(5)).toBe(3);
  });

  it('survives any bytes: every reply it gives is a well-formed response', async () => {
    const h = handler();
    // A fixed-seed generator: the same 3000 messages every run.
    let seed = 0x2545f491;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const valid = query({
      questions: [{ type: 'SRV', name: '_http._tcp.web.default.svc.cluster.local' }],
    });
    for (let i = 0; i < 3000; i++) {
      const bytes = i % 2 === 0 ? Buffer.from(valid) : Buffer.alloc(next() % 64);
      const flips = 1 + (next() % 6);
      for (let f = 0; f < flips && bytes.length > 0; f++)
        bytes[next() % bytes.length] = next() & 0xff;
      if (bytes.length >= 3) bytes[2] = (bytes[2] ?? 0) & 0x7f; // a query, so it is not simply dropped
      const reply = await h.handle(bytes, i % 3 === 0 ? 'tcp' : 'udp', 4);
      if (reply) expect(packet.decode(reply).flag_qr).toBe(true);
    }
  });
});
