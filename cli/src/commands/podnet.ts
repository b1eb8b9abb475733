// `skiff podnet`: flannel's role. Routes this node's pods to every other node's podCIDR —
// host-gw for nodes on one L2 segment, a VXLAN overlay otherwise — kept in step with the Node
// objects, and masquerades pods' traffic leaving the cluster. Pod↔pod packets between nodes take
// the BPF fast path (decision 0023) unless --fast-path=false. `--cleanup` removes its routes, the
// VXLAN device, the masquerade rules and the fast path, and exits.
import { errorMessage, parseDuration } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import {
  cleanupPodNetwork,
  DEFAULT_ROUTE_PROTOCOL,
  startPodNetwork,
  type RoutingMode,
} from '@skiff/podnet';
import { hostname } from 'node:os';
import type { Command } from './command.js';
import { parseFlags, parsePort } from './flags.js';
import { serveUntilSignal } from './serve-until-signal.js';

/** flannel's --healthz-port is off (0) unless set; skiff's components all serve one. */
const DEFAULT_HEALTHZ_PORT = 10264;

const help = `usage: skiff podnet [--kubeconfig <file>] [--hostname-override <node>]
          [--routing host-gw|vxlan] --cluster-cidr <cidr> [--service-cluster-ip-range <cidr>]
          [--iface <name>] [--public-ip <ip>] [--route-protocol <n>] [--resync-period <d>]
          [--fast-path=true|false] [--healthz-ip <ip>] [--healthz-port <n>] [--cleanup]

  --kubeconfig                the apiserver and credentials (default: KUBECONFIG, ~/.kube/config)
  --hostname-override         this node's name (default: the host name)
  --routing                   host-gw (nodes on one L2 segment) or vxlan (default host-gw)
  --cluster-cidr              every pod address (required): never masqueraded between pods
  --service-cluster-ip-range  Service addresses: not masqueraded either
  --iface                     the uplink (default: the interface holding the node's InternalIP)
  --public-ip                 where other nodes send this node's VXLAN traffic (default: the uplink address)
  --route-protocol            the route protocol number marking our routes (default ${DEFAULT_ROUTE_PROTOCOL})
  --resync-period             full resync at least this often (default 30s)
  --fast-path                 pod-to-pod packets between nodes skip the nodes' forwarding and netfilter
                              (BPF on the uplink and pod veths; default true; off by itself, logged,
                              on a kernel without it)
  --healthz-ip                where /healthz and /metrics listen (default 127.0.0.1)
  --healthz-port              their port (default ${DEFAULT_HEALTHZ_PORT}; 0 picks a free one, logged)
  --cleanup                   remove the routes, the VXLAN device, the masquerade rules and the fast
                              path, and exit
`;

function parseRouting(text: string): RoutingMode {
  if (text === 'host-gw' || text === 'vxlan') return text;
  throw new Error(`--routing ${JSON.stringify(text)}: want host-gw or vxlan`);
}

function parseBool(flag: string, text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new Error(`--${flag}=${text}: want true or false`);
  return text === 'true';
}

function parseProtocol(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 255)
    throw new Error(`--route-protocol ${JSON.stringify(text)}: want a number from 1 to 255`);
  return n;
}

export const podnetCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff podnet', help, {
      args,
      options: {
        kubeconfig: { type: 'string' },
        'hostname-override': { type: 'string' },
        routing: { type: 'string', default: 'host-gw' },
        'cluster-cidr': { type: 'string' },
        'service-cluster-ip-range': { type: 'string' },
        iface: { type: 'string' },
        'public-ip': { type: 'string' },
        'route-protocol': { type: 'string', default: String(DEFAULT_ROUTE_PROTOCOL) },
        'resync-period': { type: 'string', default: '30s' },
        'fast-path': { type: 'string', default: 'true' },
        'healthz-ip': { type: 'string', default: '127.0.0.1' },
        'healthz-port': { type: 'string', default: String(DEFAULT_HEALTHZ_PORT) },
        cleanup: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (typeof parsed === 'number') return parsed;
    const { values } = parsed;
    let routeProtocol: number;
    let mode: RoutingMode;
    let resyncPeriodMs: number;
    let fastPath: boolean;
    let healthzBindAddress: string;
    try {
      fastPath = parseBool('fast-path', values['fast-path']);
      const healthzIP = values['healthz-ip'];
      healthzBindAddress = `${healthzIP.includes(':') ? `[${healthzIP}]` : healthzIP}:${parsePort('--healthz-port', values['healthz-port'])}`;
      routeProtocol = parseProtocol(values['route-protocol']);
      mode = parseRouting(values.routing);
      resyncPeriodMs = parseDuration(values['resync-period']);
    } catch (err) {
      process.stderr.write(`skiff podnet: ${errorMessage(err)}\n\n${help}`);
      return 2;
    }
    if (values.cleanup) {
      try {
        await cleanupPodNetwork([], routeProtocol);
        process.stdout.write('skiff podnet: removed the pod network routes, rules and fast path\n');
        return 0;
      } catch (err) {
        process.stderr.write(`skiff podnet: cleanup failed: ${errorMessage(err)}\n`);
        return 1;
      }
    }
    const clusterCIDR = values['cluster-cidr'];
    if (!clusterCIDR) {
      process.stderr.write(`skiff podnet: --cluster-cidr is required\n\n${help}`);
      return 2;
    }
    const nodeName = values['hostname-override'] ?? hostname();
    try {
      const client = await clientFromKubeconfig(
        values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {},
      );
      const podnet = await startPodNetwork({
        client,
        nodeName,
        mode,
        clusterCIDR,
        routeProtocol,
        resyncPeriodMs,
        fastPath,
        healthzBindAddress,
        ...(values['service-cluster-ip-range']
          ? { serviceCIDR: values['service-cluster-ip-range'] }
          : {}),
        ...(values.iface ? { iface: values.iface } : {}),
        ...(values['public-ip'] ? { publicIP: values['public-ip'] } : {}),
      });
      const status = podnet.status();
      const code = await serveUntilSignal({
        command: 'skiff podnet',
        banner: [
          `skiff podnet: node ${nodeName}, ${mode} routing, masquerading with ${status.packetFilter}, fast path ${status.fastPath}`,
          status.waitingFor
            ? `skiff podnet: waiting for ${status.waitingFor}`
            : `skiff podnet: routes to ${Object.keys(status.routedNodes).length} node(s) via ${status.uplink?.name ?? '?'}`,
          `skiff podnet: serving ${podnet.healthzUrl ?? ''}/healthz, /metrics`,
        ],
        stopping: 'stopping (the routes stay in place)',
        stop: () => podnet.stop(),
        stopFailed: 'stop failed',
      });
      client.close();
      return code;
    } catch (err) {
      process.stderr.write(`skiff podnet: ${errorMessage(err)}\n`);
      return 1;
    }
  },
};
