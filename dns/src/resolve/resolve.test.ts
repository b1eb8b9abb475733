import { makeEndpointSlice, makeService } from '@skiff/api/testing';
import type { RecordType } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { ClusterRecords } from '../cluster/records.js';
import { describeRecord } from '../testing/ask.js';
import type { Resolution } from './resolution.js';
import { resolve } from './resolve.js';

function cluster(): ClusterRecords {
  const records = new ClusterRecords();
  records.setService(
    makeService()
      .name('web')
      .namespace('default')
      .clusterIP('10.96.0.10')
      .port(80, { name: 'http' })
      .port(9090, { name: 'metrics' })
      .obj(),
  );
  records.setService(
    makeService()
      .name('dual')
      .namespace('default')
      .clusterIP('10.96.0.20')
      .spec({ clusterIPs: ['10.96.0.20', 'fd00::20'] })
      .port(80)
      .obj(),
  );
  records.setService(
    makeService()
      .name('db')
      .namespace('default')
      .clusterIP('None')
      .port(5432, { name: 'pg' })
      .obj(),
  );
  records.setEndpointSlice(
    makeEndpointSlice()
      .name('db-1')
      .namespace('default')
      .service('db')
      .port(5432, { name: 'pg' })
      .endpoint('10.244.1.5', {}, { hostname: 'db-0' })
      .endpoint('10.244.1.6')
      .endpoint('10.244.1.7', { ready: false })
      .obj(),
  );
  // The same address in a second slice (a slice being replaced): still one record.
  records.setEndpointSlice(
    makeEndpointSlice()
      .name('db-2')
      .namespace('default')
      .service('db')
      .port(5432, { name: 'pg' })
      .endpoint('10.244.1.6')
      .obj(),
  );
  records.setService(
    makeService()
      .name('ext')
      .namespace('default')
      .type('ExternalName')
      .withoutPorts()
      .spec({ externalName: 'Example.COM.' })
      .obj(),
  );
  records.setService(makeService().name('lonely').namespace('other').clusterIP('None').obj());
  records.setService(
    makeService().name('kube-dns').namespace('kube-system').clusterIP('10.96.0.53').obj(),
  );
  return records;
}

type Shown =
  | 'forward'
  | {
      rcode: string;
      answers: string[];
      authority?: string[];
      additional?: string[];
      chase?: string;
    };

function shown(resolution: Resolution): Shown {
  if (resolution.kind === 'forward') return 'forward';
  return {
    rcode: resolution.rcode,
    answers: resolution.answers.map(describeRecord),
    ...(resolution.authorities.length > 0 && {
      authority: resolution.authorities.map(describeRecord),
    }),
    ...(resolution.additionals.length > 0 && {
      additional: resolution.additionals.map(describeRecord),
    }),
    ...(resolution.chase && { chase: `${resolution.chase.type} ${resolution.chase.name}` }),
  };
}

const soa = { authority: ['SOA cluster.local'] };
const nx: Shown = { rcode: 'NXDOMAIN', answers: [], ...soa };
const nodata: Shown = { rcode: 'NOERROR', answers: [], ...soa };
const ok = (...answers: string[]): Shown => ({ rcode: 'NOERROR', answers });

const cases: [what: string, name: string, type: RecordType, want: Shown][] = [
  [
    'a ClusterIP service answers its ClusterIP',
    'web.default.svc.cluster.local',
    'A',
    ok('A 10.96.0.10'),
  ],
  ['names compare case-insensitively', 'WEB.Default.SVC.cluster.LOCAL', 'A', ok('A 10.96.0.10')],
  [
    'a trailing root dot is the same name',
    'web.default.svc.cluster.local.',
    'A',
    ok('A 10.96.0.10'),
  ],
  ['AAAA of an IPv4-only service is NODATA', 'web.default.svc.cluster.local', 'AAAA', nodata],
  ['a dual-stack service answers A', 'dual.default.svc.cluster.local', 'A', ok('A 10.96.0.20')],
  [
    'a dual-stack service answers AAAA',
    'dual.default.svc.cluster.local',
    'AAAA',
    ok('AAAA fd00::20'),
  ],
  ['TXT of a service is NODATA', 'web.default.svc.cluster.local', 'TXT', nodata],
  ['a missing service is NXDOMAIN', 'nope.default.svc.cluster.local', 'A', nx],
  ['a service in another namespace is not found here', 'web.other.svc.cluster.local', 'A', nx],
  [
    'what ndots:5 tries first for an already qualified name is NXDOMAIN, not forwarded',
    'web.default.svc.cluster.local.default.svc.cluster.local',
    'A',
    nx,
  ],
  [
    'an external name under the search path is NXDOMAIN',
    'example.com.default.svc.cluster.local',
    'A',
    nx,
  ],
  ['a namespace with services exists as a name', 'default.svc.cluster.local', 'A', nodata],
  ['a namespace without services does not', 'empty.svc.cluster.local', 'A', nx],
  ['svc.<zone> exists', 'svc.cluster.local', 'A', nodata],
  ['the zone apex has its SOA', 'cluster.local', 'SOA', ok('SOA cluster.local')],
  ['the zone apex has its NS', 'cluster.local', 'NS', ok('NS ns.dns.cluster.local')],
  ['the nameserver name answers kube-dns', 'ns.dns.cluster.local', 'A', ok('A 10.96.0.53')],
  ['an unknown name under the zone is NXDOMAIN', 'foo.cluster.local', 'A', nx],
  ['the schema version', 'dns-version.cluster.local', 'TXT', ok('TXT 1.1.0')],
  [
    'SRV of a named port of a ClusterIP service',
    '_http._tcp.web.default.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: ['SRV 0 100 80 web.default.svc.cluster.local'],
      additional: ['A 10.96.0.10'],
    },
  ],
  [
    'SRV of a port with the wrong protocol is NXDOMAIN',
    '_http._udp.web.default.svc.cluster.local',
    'SRV',
    nx,
  ],
  ['SRV of an unknown port is NXDOMAIN', '_grpc._tcp.web.default.svc.cluster.local', 'SRV', nx],
  ['A of a port name is NODATA', '_http._tcp.web.default.svc.cluster.local', 'A', nodata],
  ['the protocol label in use exists', '_tcp.web.default.svc.cluster.local', 'SRV', nodata],
  ['a protocol label not in use does not', '_udp.web.default.svc.cluster.local', 'SRV', nx],
  [
    'SRV of the bare service name lists every named port',
    'web.default.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: [
        'SRV 0 50 80 web.default.svc.cluster.local',
        'SRV 0 50 9090 web.default.svc.cluster.local',
      ],
      additional: ['A 10.96.0.10'],
    },
  ],
  [
    'a headless service answers one A per ready endpoint',
    'db.default.svc.cluster.local',
    'A',
    ok('A 10.244.1.5', 'A 10.244.1.6'),
  ],
  [
    'a headless endpoint by its hostname',
    'db-0.db.default.svc.cluster.local',
    'A',
    ok('A 10.244.1.5'),
  ],
  [
    'a headless endpoint without hostname by its dashed IP',
    '10-244-1-6.db.default.svc.cluster.local',
    'A',
    ok('A 10.244.1.6'),
  ],
  ['a not-ready endpoint has no name', '10-244-1-7.db.default.svc.cluster.local', 'A', nx],
  [
    'an endpoint name of a ClusterIP service is NXDOMAIN',
    'x.web.default.svc.cluster.local',
    'A',
    nx,
  ],
  [
    'SRV of a headless service points at each ready endpoint',
    '_pg._tcp.db.default.svc.cluster.local',
    'SRV',
    {
      rcode: 'NOERROR',
      answers: [
        'SRV 0 50 5432 db-0.db.default.svc.cluster.local',
        'SRV 0 50 5432 10-244-1-6.db.default.svc.cluster.local',
      ],
      additional: ['A 10.244.1.5', 'A 10.244.1.6'],
    },
  ],
  [
    'a headless service without ready endpoints is NODATA',
    'lonely.other.svc.cluster.local',
    'A',
    nodata,
  ],
  [
    'an ExternalName service is a CNAME, chased for the asked type',
    'ext.default.svc.cluster.local',
    'A',
    { rcode: 'NOERROR', answers: ['CNAME example.com'], chase: 'A example.com' },
  ],
  [
    'a CNAME query of an ExternalName is not chased',
    'ext.default.svc.cluster.local',
    'CNAME',
    ok('CNAME example.com'),
  ],
  [
    'a pod name answers the address it spells',
    '10-244-1-9.default.pod.cluster.local',
    'A',
    ok('A 10.244.1.9'),
  ],
  ['an IPv6 pod name', 'fd00--9.default.pod.cluster.local', 'AAAA', ok('AAAA fd00::9')],
  ['AAAA of an IPv4 pod name is NODATA', '10-244-1-9.default.pod.cluster.local', 'AAAA', nodata],
  ['a pod label that spells no address is NXDOMAIN', 'web.default.pod.cluster.local', 'A', nx],
  ['<ns>.pod exists', 'default.pod.cluster.local', 'A', nodata],
  ['PTR of a ClusterIP', '10.0.96.10.in-addr.arpa', 'PTR', ok('PTR web.default.svc.cluster.local')],
  [
    'PTR of an IPv6 ClusterIP',
    '0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa',
    'PTR',
    ok('PTR dual.default.svc.cluster.local'),
  ],
  [
    'PTR of a headless endpoint with hostname',
    '5.1.244.10.in-addr.arpa',
    'PTR',
    ok('PTR db-0.db.default.svc.cluster.local'),
  ],
  [
    'PTR of a headless endpoint without',
    '6.1.244.10.in-addr.arpa',
    'PTR',
    ok('PTR 10-244-1-6.db.default.svc.cluster.local'),
  ],
  [
    'PTR of an address the cluster does not own is forwarded',
    '8.8.8.8.in-addr.arpa',
    'PTR',
    'forward',
  ],
  ['a partial reverse name is forwarded', '10.in-addr.arpa', 'PTR', 'forward'],
  [
    'A of a cluster reverse name is NODATA in the reverse zone',
    '10.0.96.10.in-addr.arpa',
    'A',
    { rcode: 'NOERROR', answers: [], authority: ['SOA in-addr.arpa'] },
  ],
  ['a name outside the cluster domain is forwarded', 'example.com', 'A', 'forward'],
  ['a name that only ends like the zone is forwarded', 'notcluster.local', 'A', 'forward'],
];

describe('resolve', () => {
  const records = cluster();
  it.each(cases)('%s (%s %s)', (_what, name, type, want) => {
    expect(
      shown(resolve({ name, type, class: 'IN' }, records, { zone: 'cluster.local', ttl: 5 })),
    ).toEqual(want);
  });

  it('gives every cluster record the configured TTL', () => {
    const got = resolve({ name: '_pg._tcp.db.default.svc.cluster.local', type: 'SRV' }, records, {
      zone: 'cluster.local',
      ttl: 7,
    });
    expect(got.kind).toBe('answer');
    if (got.kind !== 'answer') return;
    const all = [...got.answers, ...got.additionals];
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((a) => 'ttl' in a && a.ttl === 7)).toBe(true);
  });

  it('serves another cluster domain', () => {
    const got = resolve({ name: 'web.default.svc.lab.example', type: 'A' }, records, {
      zone: 'lab.example',
      ttl: 5,
    });
    expect(shown(got)).toEqual(ok('A 10.96.0.10'));
  });
});
