// Resolution as a pure function: one question and the cluster's records in, an answer (or
// "forward it") out. The server wraps it with the wire format, the cache and the upstreams.
//
// Authoritative for the cluster domain: every name under it is answered here, existing or not
// (`web.default.svc.cluster.local.default.svc.cluster.local`, what an ndots:5 search list asks
// first, gets NXDOMAIN at once). For the reverse zones only addresses the cluster owns are
// answered; any other PTR query falls through to the upstreams, as CoreDNS's `fallthrough
// in-addr.arpa ip6.arpa`.
import type { Answer, Question } from 'dns-packet';
import type { ClusterView } from '../cluster/view.js';
import { canonicalName, ipFromReverseName, REVERSE_ZONES } from '../names.js';
import { addressRecords, noData, nxDomain, orNoData, positive, soa } from './answers.js';
import type { ZoneContext } from './context.js';
import { resolvePodName } from './pods.js';
import { FORWARD, SCHEMA_VERSION, type Resolution, type ZoneConfig } from './resolution.js';
import { resolveServiceName } from './services.js';

/** Where kube-system/kube-dns answers: the name the zone's NS and SOA records point at. */
const NAMESERVER = 'ns.dns';

export function resolve(question: Question, view: ClusterView, config: ZoneConfig): Resolution {
  const name = canonicalName(question.name);
  const below = (apex: string): string[] | undefined =>
    name === apex
      ? []
      : name.endsWith(`.${apex}`)
        ? name.slice(0, -apex.length - 1).split('.')
        : undefined;
  const labels = below(config.zone);
  if (labels) {
    const ctx: ZoneContext = {
      question,
      view,
      config,
      soa: soa(config.zone, config, view.serial()),
    };
    return clusterZone(ctx, labels);
  }
  for (const zone of REVERSE_ZONES) {
    if (below(zone)) return reverse(question, name, zone, view, config);
  }
  return FORWARD;
}

function clusterZone(ctx: ZoneContext, labels: readonly string[]): Resolution {
  const { question, config } = ctx;
  const last = labels.at(-1);
  const rest = labels.slice(0, -1);
  if (last === undefined) return apex(ctx);
  if (last === 'svc') return resolveServiceName(ctx, rest);
  if (last === 'pod') return resolvePodName(ctx, rest);
  const relative = labels.join('.');
  if (relative === 'dns-version') {
    if (question.type !== 'TXT') return noData(ctx.soa);
    const txt: Answer = {
      type: 'TXT',
      name: question.name,
      ttl: config.ttl,
      class: 'IN',
      data: SCHEMA_VERSION,
    };
    return positive([txt]);
  }
  if (relative === 'dns') return noData(ctx.soa);
  if (relative === NAMESERVER) {
    const ips = ctx.view.service('kube-system', 'kube-dns')?.clusterIPs ?? [];
    return orNoData(
      positive(addressRecords(question.name, ips, question.type, config.ttl)),
      ctx.soa,
    );
  }
  return nxDomain(ctx.soa);
}

function apex(ctx: ZoneContext): Resolution {
  const { question, config } = ctx;
  if (question.type === 'SOA') return positive([{ ...ctx.soa, name: question.name }]);
  if (question.type === 'NS') {
    const ns: Answer = {
      type: 'NS',
      name: question.name,
      ttl: config.ttl,
      class: 'IN',
      data: `${NAMESERVER}.${config.zone}`,
    };
    return positive([ns]);
  }
  return noData(ctx.soa);
}

function reverse(
  question: Question,
  name: string,
  zone: string,
  view: ClusterView,
  config: ZoneConfig,
): Resolution {
  const ip = ipFromReverseName(name);
  const targets = ip === undefined ? [] : view.reverse(ip);
  if (targets.length === 0) return FORWARD;
  if (question.type !== 'PTR') return noData(soa(zone, config, view.serial()));
  return positive(
    targets.map((target): Answer => ({
      type: 'PTR',
      name: question.name,
      ttl: config.ttl,
      class: 'IN',
      data: `${target}.${config.zone}`,
    })),
  );
}
