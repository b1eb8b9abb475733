// kubectl describe service and endpoints: a Service's addresses and ports with the ready
// endpoints behind each port (from its EndpointSlices, at most three then `+ N more...`); an
// Endpoints object's subsets.
import type { EndpointSlice, Endpoints, Service } from '@skiff/api';
import { core, typed, type Describer } from './context.js';
import { describeEvents, searchEvents } from './events.js';
import { printAnnotations, printLabels } from './fields.js';
import { formatLabels } from '../printers/table.js';
import { tabbed } from './writer.js';

const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

export const describeService: Describer = async (ctx, namespace, name) => {
  const svc = await typed<Service>(ctx, core('services'), namespace).get(name);
  const slices = await typed<EndpointSlice>(ctx, SLICES, namespace)
    .list({ labelSelector: `kubernetes.io/service-name=${name}` })
    .then((l) => l.items);
  const events = ctx.showEvents
    ? await searchEvents(ctx.conn, { name, namespace, kind: 'Service', uid: svc.metadata.uid })
    : undefined;
  return tabbed((w) => {
    const spec = svc.spec ?? {};
    w.write(0, `Name:\t${svc.metadata.name ?? ''}\n`);
    w.write(0, `Namespace:\t${svc.metadata.namespace ?? ''}\n`);
    printLabels(w, 'Labels', svc.metadata.labels);
    printAnnotations(w, 'Annotations', svc.metadata.annotations);
    w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(0, `Type:\t${spec.type ?? ''}\n`);
    if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
    w.write(0, `IP Families:\t${(spec.ipFamilies ?? []).join(',') || '<none>'}\n`);
    w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
    w.write(0, `IPs:\t${(spec.clusterIPs ?? []).join(',') || '<none>'}\n`);
    if ((spec.externalIPs ?? []).length > 0)
      w.write(0, `External IPs:\t${(spec.externalIPs ?? []).join(',')}\n`);
    if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
    if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length > 0)
      w.write(
        0,
        `LoadBalancer Ingress:\t${ingress.map((i) => i.ip || i.hostname || '').join(', ')}\n`,
      );
    for (const p of spec.ports ?? []) {
      const portName = p.name || '<unset>';
      const protocol = p.protocol ?? '';
      w.write(0, `Port:\t${portName}\t${p.port}/${protocol}\n`);
      w.write(0, `TargetPort:\t${String(p.targetPort ?? '')}/${protocol}\n`);
      if (p.nodePort) w.write(0, `NodePort:\t${portName}\t${p.nodePort}/${protocol}\n`);
      w.write(0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
    }
    w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
    if (spec.externalTrafficPolicy)
      w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy)
      w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort)
      w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if ((spec.loadBalancerSourceRanges ?? []).length > 0)
      w.write(
        0,
        `LoadBalancer Source Ranges:\t${(spec.loadBalancerSourceRanges ?? []).join(',')}\n`,
      );
    if (events) describeEvents(w, events, ctx.now);
  });
};

/** The ready endpoints serving the Service port named `port`, as `ip:port`, three at most. */
export function formatEndpointSlices(slices: readonly EndpointSlice[], port: string): string {
  if (slices.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  // kubectl stops listing once three are listed and one more is seen, ready or not.
  let more = false;
  const ready = (e: EndpointSlice['endpoints'][number]) => e.conditions?.ready !== false;
  for (const slice of slices) {
    if ((slice.ports ?? []).length === 0) {
      // A headless Service without ports: the addresses alone.
      for (const e of slice.endpoints) {
        if (list.length === max) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(e.addresses[0] ?? '');
        count++;
      }
      continue;
    }
    for (const p of slice.ports ?? []) {
      if ((p.name ?? '') !== port) continue;
      for (const e of slice.endpoints) {
        if (list.length === max) more = true;
        if (!ready(e)) continue;
        const addr = e.addresses[0] ?? '';
        if (!more) list.push(`${addr.includes(':') ? `[${addr}]` : addr}:${p.port ?? 0}`);
        count++;
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

export const describeEndpoints: Describer = async (ctx, namespace, name) => {
  const ep = await typed<Endpoints>(ctx, core('endpoints'), namespace).get(name);
  const events = ctx.showEvents
    ? await searchEvents(ctx.conn, { name, namespace, kind: 'Endpoints', uid: ep.metadata.uid })
    : undefined;
  return tabbed((w) => {
    w.write(0, `Name:\t${ep.metadata.name ?? ''}\n`);
    w.write(0, `Namespace:\t${ep.metadata.namespace ?? ''}\n`);
    printLabels(w, 'Labels', ep.metadata.labels);
    printAnnotations(w, 'Annotations', ep.metadata.annotations);
    w.write(0, 'Subsets:\n');
    for (const subset of ep.subsets ?? []) {
      const ips = (list: { ip: string }[] | undefined) =>
        (list ?? []).map((a) => a.ip).join(',') || '<none>';
      w.write(1, `Addresses:\t${ips(subset.addresses)}\n`);
      w.write(1, `NotReadyAddresses:\t${ips(subset.notReadyAddresses)}\n`);
      if ((subset.ports ?? []).length > 0) {
        w.write(1, 'Ports:\n');
        w.write(2, 'Name\tPort\tProtocol\n');
        w.write(2, '----\t----\t--------\n');
        for (const p of subset.ports ?? [])
          w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
      }
      w.write(0, '\n');
    }
    if (events) describeEvents(w, events, ctx.now);
  });
};
