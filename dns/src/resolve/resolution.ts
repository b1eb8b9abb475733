// What resolving one question gives: an authoritative answer from the cluster's records, or
// "not ours" — the question goes to the upstream resolvers.
import type { Answer, Question } from 'dns-packet';

export interface ClusterAnswer {
  readonly kind: 'answer';
  /** NXDOMAIN: the name does not exist; NOERROR with no answers: it exists, not with that type. */
  readonly rcode: 'NOERROR' | 'NXDOMAIN';
  readonly answers: readonly Answer[];
  /** The zone's SOA on a negative answer (RFC 2308: resolvers cache the denial by it). */
  readonly authorities: readonly Answer[];
  readonly additionals: readonly Answer[];
  /** An ExternalName's CNAME target, which the server resolves further for the client. */
  readonly chase?: Question;
}

export interface Forward {
  readonly kind: 'forward';
}

export type Resolution = ClusterAnswer | Forward;

export const FORWARD: Forward = { kind: 'forward' };

export interface ZoneConfig {
  /** The cluster domain, lower case, no root dot: `cluster.local`. */
  readonly zone: string;
  /** TTL of every record served from the cluster (CoreDNS's kubernetes plugin: 5 s). */
  readonly ttl: number;
}

/** The `dns-version` TXT record: the version of the Kubernetes DNS schema served. */
export const SCHEMA_VERSION = '1.1.0';
