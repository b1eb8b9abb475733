// Building blocks of cluster answers: address records, the zone's SOA, and the two negative
// answers. Record names echo the question's spelling; names the cluster made up (SRV and PTR
// targets) are written lower case.
import type { Answer } from 'dns-packet';
import { familyOf } from '../names.js';
import type { ClusterAnswer, ZoneConfig } from './resolution.js';

export function addressRecords(
  name: string,
  ips: readonly string[],
  type: string,
  ttl: number,
): Answer[] {
  if (type !== 'A' && type !== 'AAAA') return [];
  const family = type === 'A' ? 'IPv4' : 'IPv6';
  return ips
    .filter((ip) => familyOf(ip) === family)
    .map((ip): Answer => ({ type, name, ttl, class: 'IN', data: ip }));
}

/** A and AAAA records for a name a SRV record points at, for the additional section. */
export function glue(name: string, ips: readonly string[], ttl: number): Answer[] {
  return [...addressRecords(name, ips, 'A', ttl), ...addressRecords(name, ips, 'AAAA', ttl)];
}

export function soa(apex: string, config: ZoneConfig, serial: number): Answer {
  return {
    type: 'SOA',
    name: apex,
    ttl: config.ttl,
    class: 'IN',
    data: {
      mname: `ns.dns.${config.zone}`,
      rname: `hostmaster.${config.zone}`,
      serial,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      // The negative-caching TTL: a denial is cached no longer than a record would be.
      minimum: config.ttl,
    },
  };
}

export function positive(
  answers: readonly Answer[],
  additionals: readonly Answer[] = [],
): ClusterAnswer {
  return { kind: 'answer', rcode: 'NOERROR', answers, authorities: [], additionals };
}

/** The name exists but has no record of the asked type (NODATA): NOERROR, SOA, no answers. */
export function noData(apexSoa: Answer): ClusterAnswer {
  return { kind: 'answer', rcode: 'NOERROR', answers: [], authorities: [apexSoa], additionals: [] };
}

export function nxDomain(apexSoa: Answer): ClusterAnswer {
  return {
    kind: 'answer',
    rcode: 'NXDOMAIN',
    answers: [],
    authorities: [apexSoa],
    additionals: [],
  };
}

/** The answer if it has records, else NODATA. */
export function orNoData(answer: ClusterAnswer, apexSoa: Answer): ClusterAnswer {
  return answer.answers.length > 0 ? answer : noData(apexSoa);
}
