// Names under `svc.<zone>` (Kubernetes DNS schema §2.3 and §2.4):
//   <ns>.svc                         exists while the namespace has services (empty non-terminal)
//   <svc>.<ns>.svc                   A/AAAA: ClusterIPs, or a headless service's ready endpoints;
//                                    CNAME for ExternalName; SRV for every named port
//   <hostname>.<svc>.<ns>.svc        A/AAAA of a headless service's endpoint
//   _<port>._<proto>.<svc>.<ns>.svc  SRV of one named port
import type { Answer } from 'dns-packet';
import type { EndpointRecord, NamedPort, ServiceRecord } from '../cluster/view.js';
import { addressRecords, glue, noData, nxDomain, orNoData, positive } from './answers.js';
import type { ZoneContext } from './context.js';
import type { ClusterAnswer } from './resolution.js';

/** `labels` are the name's labels left of `svc.<zone>`, left to right. */
export function resolveServiceName(ctx: ZoneContext, labels: readonly string[]): ClusterAnswer {
  const namespace = labels.at(-1);
  const name = labels.at(-2);
  if (namespace === undefined) return noData(ctx.soa);
  if (name === undefined)
    return ctx.view.hasNamespace(namespace) ? noData(ctx.soa) : nxDomain(ctx.soa);
  const service = ctx.view.service(namespace, name);
  const [first, second, ...more] = labels.slice(0, -2);
  if (!service || more.length > 0) return nxDomain(ctx.soa);
  if (first === undefined) return serviceRecords(ctx, service);
  if (second === undefined) {
    return first.startsWith('_')
      ? protocolNode(ctx, service, first)
      : endpointRecords(ctx, service, first);
  }
  return first.startsWith('_') && second.startsWith('_')
    ? portRecords(ctx, service, first.slice(1), second.slice(1))
    : nxDomain(ctx.soa);
}

function serviceRecords(ctx: ZoneContext, service: ServiceRecord): ClusterAnswer {
  const { question, config } = ctx;
  if (service.shape === 'ExternalName') return externalName(ctx, service);
  if (question.type === 'SRV') return srvAnswer(ctx, service, service.ports);
  const ips =
    service.shape === 'ClusterIP'
      ? service.clusterIPs
      : ctx.view.readyEndpoints(service.namespace, service.name).map((e) => e.ip);
  return orNoData(positive(addressRecords(question.name, ips, question.type, config.ttl)), ctx.soa);
}

function externalName(ctx: ZoneContext, service: ServiceRecord): ClusterAnswer {
  const { question, config } = ctx;
  if (!service.externalName) return noData(ctx.soa);
  const cname: Answer = {
    type: 'CNAME',
    name: question.name,
    ttl: config.ttl,
    class: 'IN',
    data: service.externalName,
  };
  if (question.type === 'CNAME') return positive([cname]);
  return {
    ...positive([cname]),
    chase: { name: service.externalName, type: question.type, class: 'IN' },
  };
}

/** `_tcp.<svc>.<ns>.svc`: a name that exists (no records of its own) while a port uses it. */
function protocolNode(ctx: ZoneContext, service: ServiceRecord, label: string): ClusterAnswer {
  const used = portsOf(ctx, service).some((p) => `_${p.protocol}` === label);
  return used ? noData(ctx.soa) : nxDomain(ctx.soa);
}

function endpointRecords(
  ctx: ZoneContext,
  service: ServiceRecord,
  hostname: string,
): ClusterAnswer {
  const { question, config } = ctx;
  if (service.shape !== 'Headless') return nxDomain(ctx.soa);
  const matching = ctx.view
    .readyEndpoints(service.namespace, service.name)
    .filter((e) => e.hostname === hostname);
  if (matching.length === 0) return nxDomain(ctx.soa);
  const ips = matching.map((e) => e.ip);
  return orNoData(positive(addressRecords(question.name, ips, question.type, config.ttl)), ctx.soa);
}

function portRecords(
  ctx: ZoneContext,
  service: ServiceRecord,
  port: string,
  protocol: string,
): ClusterAnswer {
  const ports = portsOf(ctx, service).filter((p) => p.name === port && p.protocol === protocol);
  if (ports.length === 0) return nxDomain(ctx.soa);
  if (ctx.question.type !== 'SRV') return noData(ctx.soa);
  return srvAnswer(ctx, service, ports);
}

/** The ports SRV names can use: the service's, or for headless ones also its slices'. */
function portsOf(ctx: ZoneContext, service: ServiceRecord): readonly NamedPort[] {
  if (service.shape !== 'Headless') return service.ports;
  const fromSlices = ctx.view
    .readyEndpoints(service.namespace, service.name)
    .flatMap((e) => e.ports);
  return [...service.ports, ...fromSlices];
}

/**
 * SRV records for `ports`: a ClusterIP service points at its own name with the service port; a
 * headless one at each ready endpoint's `<hostname>.<svc>…` with the endpoint's port of that
 * name. The targets' addresses go in the additional section, saving the client a round trip.
 */
function srvAnswer(
  ctx: ZoneContext,
  service: ServiceRecord,
  ports: readonly NamedPort[],
): ClusterAnswer {
  const { question, config } = ctx;
  const serviceName = `${service.name}.${service.namespace}.svc.${config.zone}`;
  const wanted = (p: NamedPort): boolean =>
    ports.some((q) => q.name === p.name && q.protocol === p.protocol);
  const targets: { target: string; port: number; ips: readonly string[] }[] =
    service.shape === 'ClusterIP'
      ? ports.map((p) => ({ target: serviceName, port: p.port, ips: service.clusterIPs }))
      : ctx.view.readyEndpoints(service.namespace, service.name).flatMap((e: EndpointRecord) =>
          uniquePorts(e.ports.filter(wanted)).map((p) => ({
            target: `${e.hostname}.${serviceName}`,
            port: p.port,
            ips: [e.ip],
          })),
        );
  if (targets.length === 0) return noData(ctx.soa);
  // Equal shares of 100, as CoreDNS weighs the records of one name.
  const weight = Math.max(1, Math.floor(100 / targets.length));
  const answers = targets.map((t): Answer => ({
    type: 'SRV',
    name: question.name,
    ttl: config.ttl,
    class: 'IN',
    data: { priority: 0, weight, port: t.port, target: t.target },
  }));
  const seen = new Set<string>();
  const additionals = targets.flatMap((t) => {
    if (seen.has(t.target)) return [];
    seen.add(t.target);
    return glue(t.target, t.ips, config.ttl);
  });
  return positive(answers, additionals);
}

function uniquePorts(ports: readonly NamedPort[]): NamedPort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const key = `${p.name}/${p.protocol}/${p.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
