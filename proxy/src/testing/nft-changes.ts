// A run of partial nftables syncs that touches every statement a partial transaction can hold:
// endpoints changing address, added, all gone (reject) and back, sessionAffinity sets created
// and deleted, node ports and external IPs, externalTrafficPolicy Local losing its local
// endpoint (drop), a UDP Service removed and added again. The netlink tests replay it.
import type { EndpointSlice, Service } from '@skiff/api';
import { makeEndpointSlice, makeService } from '@skiff/api/testing';
import type { RuleContext } from '../model/context.js';
import { nftServiceFragment, type NftFragment } from '../nftables/fragment.js';
import { plansOf, TEST_NODE } from './fixtures.js';

export const NFT_CHANGES_CONTEXT: RuleContext = {
  clusterCIDR: '10.244.0.0/16',
  nodePortAddresses: ['192.168.77.10'],
};

const svc = (name: string, clusterIP: string) =>
  makeService().name(name).namespace('ns').clusterIP(clusterIP);

const SERVICES = {
  web: () => svc('web', '10.96.0.10').port(80, { name: 'http', targetPort: 8080 }).obj(),
  sticky: (affinity: boolean) =>
    svc('sticky', '10.96.0.11')
      .port(80, { name: 'http', targetPort: 8080 })
      .spec(
        affinity
          ? {
              sessionAffinity: 'ClientIP',
              sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
            }
          : {},
      )
      .obj(),
  nodePort: (externalIPs: string[]) =>
    svc('np', '10.96.0.12')
      .type('NodePort')
      .port(80, { name: 'http', targetPort: 8080, nodePort: 30080 })
      .spec({ externalIPs })
      .obj(),
  local: () =>
    svc('local', '10.96.0.13')
      .type('NodePort')
      .port(80, { name: 'http', targetPort: 8080, nodePort: 30081 })
      .spec({ externalTrafficPolicy: 'Local' })
      .obj(),
  dns: () =>
    svc('dns', '10.96.0.14').port(53, { name: 'dns', protocol: 'UDP', targetPort: 53 }).obj(),
};

/** Ready endpoints of `service` at `ips` (on node-b; `local` ones on this node). */
function slice(service: string, port: number, ips: string[], local: string[] = []): EndpointSlice {
  const s = makeEndpointSlice()
    .namespace('ns')
    .service(service)
    .port(port, {
      name: service === 'dns' ? 'dns' : 'http',
      ...(port === 53 ? { protocol: 'UDP' } : {}),
    });
  for (const ip of ips) s.endpoint(ip, {}, { nodeName: 'node-b' });
  for (const ip of local) s.endpoint(ip, {}, { nodeName: TEST_NODE });
  return s.obj();
}

type Fragments = Map<string, NftFragment | undefined>;

function fragments(service: Service, endpoints: EndpointSlice | undefined): Fragments {
  const out: Fragments = new Map();
  for (const plan of plansOf(service, ...(endpoints ? [endpoints] : [])))
    out.set(plan.svc.key, nftServiceFragment(plan, NFT_CHANGES_CONTEXT));
  return out;
}

const removed = (service: Service): Fragments =>
  new Map([...fragments(service, undefined).keys()].map((key) => [key, undefined]));

export interface NftChange {
  readonly name: string;
  readonly updates: Fragments;
}

/** What the first sync programs, and the partial changes after it, in order. */
export function nftChanges(): { initial: Fragments; changes: NftChange[] } {
  const initial: Fragments = new Map([
    ...fragments(SERVICES.web(), slice('web', 8080, ['10.244.1.2', '10.244.1.3'])),
    ...fragments(SERVICES.sticky(true), slice('sticky', 8080, ['10.244.2.2'])),
    ...fragments(SERVICES.nodePort([]), slice('np', 8080, ['10.244.3.2'])),
    ...fragments(SERVICES.local(), slice('local', 8080, ['10.244.4.2'], ['10.244.1.9'])),
    ...fragments(SERVICES.dns(), slice('dns', 53, ['10.244.5.2'])),
  ]);
  const web = (...ips: string[]) => fragments(SERVICES.web(), slice('web', 8080, ips));
  return {
    initial,
    changes: [
      { name: 'an endpoint changes address', updates: web('10.244.1.2', '10.244.1.4') },
      { name: 'an endpoint is added', updates: web('10.244.1.2', '10.244.1.4', '10.244.1.5') },
      { name: 'the last endpoint goes (reject)', updates: web() },
      { name: 'an endpoint comes back', updates: web('10.244.1.6') },
      {
        name: 'an endpoint with session affinity changes address',
        updates: fragments(SERVICES.sticky(true), slice('sticky', 8080, ['10.244.2.3'])),
      },
      {
        name: 'session affinity is turned off',
        updates: fragments(SERVICES.sticky(false), slice('sticky', 8080, ['10.244.2.3'])),
      },
      {
        name: 'a node port Service gains an external IP and changes endpoint',
        updates: fragments(SERVICES.nodePort(['203.0.113.7']), slice('np', 8080, ['10.244.3.3'])),
      },
      {
        name: 'externalTrafficPolicy Local loses its local endpoint (drop)',
        updates: fragments(SERVICES.local(), slice('local', 8080, ['10.244.4.2'])),
      },
      { name: 'a UDP Service is removed', updates: removed(SERVICES.dns()) },
      {
        name: 'a UDP Service is added',
        updates: fragments(SERVICES.dns(), slice('dns', 53, ['10.244.5.3'])),
      },
    ],
  };
}
