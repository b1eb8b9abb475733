// `skiff dns`: cluster DNS in CoreDNS's role. Serves the Kubernetes DNS schema from Services
// and EndpointSlices on the ClusterIP of kube-system/kube-dns (port 53, UDP and TCP) — the
// address the kubelet's --cluster-dns puts in pods' resolv.conf — and forwards every other
// name to the host's resolvers, with a cache.
import { errorMessage } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import {
  formatHostPort,
  hostUpstreams,
  kubeDnsAddresses,
  KUBE_DNS,
  parseHostPort,
  startDns,
  type DnsServer,
  type HostPort,
} from '@skiff/dns';
import type { Command } from './command.js';
import { parseFlags, parsePort } from './flags.js';
import { serveUntilSignal } from './serve-until-signal.js';

const DEFAULT_HEALTH_PORT = 9153;

const help = `usage: skiff dns [--kubeconfig <file>] [--listen <addr[:port]>]… [--cluster-domain <domain>]
          [--upstream <addr[:port]>]… [--resolv-conf <file>] [--ttl <seconds>]
          [--health-port <n>] [--bind-address <addr>]

  --kubeconfig       the apiserver and credentials (default: KUBECONFIG, ~/.kube/config)
  --listen           where to serve DNS, UDP and TCP, repeatable or comma-separated
                     (default: the ClusterIP(s) of ${KUBE_DNS.namespace}/${KUBE_DNS.name}, port 53)
  --cluster-domain   the cluster's DNS domain (default cluster.local; the kubelet's --cluster-domain)
  --upstream         resolvers for names outside the cluster, repeatable or comma-separated
                     (default: the nameservers of --resolv-conf)
  --resolv-conf      where the host's resolvers are read from (default /etc/resolv.conf)
  --ttl              TTL of cluster records in seconds (default 5, as CoreDNS)
  --health-port      /healthz, /readyz and /metrics (coredns_*) over plain HTTP (default ${DEFAULT_HEALTH_PORT})
  --bind-address     where that listens (default 0.0.0.0)
`;

const addressList = (values: readonly string[] | undefined, defaultPort: number): HostPort[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .filter(Boolean)
    .map((v) => parseHostPort(v, defaultPort));

export const dnsCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff dns', help, {
      args,
      options: {
        kubeconfig: { type: 'string' },
        listen: { type: 'string', multiple: true },
        'cluster-domain': { type: 'string', default: 'cluster.local' },
        upstream: { type: 'string', multiple: true },
        'resolv-conf': { type: 'string', default: '/etc/resolv.conf' },
        ttl: { type: 'string', default: '5' },
        'health-port': { type: 'string', default: String(DEFAULT_HEALTH_PORT) },
        'bind-address': { type: 'string', default: '0.0.0.0' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (typeof parsed === 'number') return parsed;
    const { values } = parsed;
    let listen: HostPort[];
    let upstreams: HostPort[];
    let healthPort: number;
    const ttl = Number(values.ttl);
    try {
      listen = addressList(values.listen, 53);
      upstreams = addressList(values.upstream, 53);
      healthPort = parsePort('--health-port', values['health-port']);
      if (!Number.isInteger(ttl) || ttl < 0)
        throw new Error(`--ttl ${JSON.stringify(values.ttl)}: want whole seconds`);
      if (
        !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(
          values['cluster-domain'],
        )
      ) {
        throw new Error(
          `--cluster-domain ${JSON.stringify(values['cluster-domain'])}: not a DNS domain`,
        );
      }
    } catch (err) {
      process.stderr.write(`skiff dns: ${errorMessage(err)}\n\n${help}`);
      return 2;
    }
    const log = (m: string): void => void process.stderr.write(`skiff dns: ${m}\n`);
    try {
      if (upstreams.length === 0) {
        upstreams = await hostUpstreams(values['resolv-conf']);
        if (upstreams.length === 0)
          log(
            `${values['resolv-conf']} names no nameserver: names outside the cluster get SERVFAIL`,
          );
      }
      const client = await clientFromKubeconfig(
        values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {},
      );
      if (listen.length === 0) {
        listen = await kubeDnsAddresses(client);
        if (listen.length === 0) {
          client.close();
          process.stderr.write(
            `skiff dns: ${KUBE_DNS.namespace}/${KUBE_DNS.name} has no ClusterIP (the Service does not exist): create it, or give --listen\n`,
          );
          return 1;
        }
      }
      let served: DnsServer;
      try {
        served = await startDns({
          client,
          listen,
          upstreams,
          clusterDomain: values['cluster-domain'],
          ttlSeconds: ttl,
          http: { port: healthPort, host: values['bind-address'] },
          log,
        });
      } catch (err) {
        client.close();
        const hint = /EADDRNOTAVAIL/.test(errorMessage(err))
          ? ` (the address is not on any interface of this host: add it, e.g. \`ip addr add <ip>/32 dev lo\`, or give --listen)`
          : '';
        process.stderr.write(`skiff dns: ${errorMessage(err)}${hint}\n`);
        return 1;
      }
      const code = await serveUntilSignal({
        command: 'skiff dns',
        banner: [
          `skiff dns: serving ${values['cluster-domain']} on ${served.addresses.map((a) => `${formatHostPort({ host: a.address, port: a.port })} (udp, tcp)`).join(', ')}`,
          `skiff dns: forwarding other names to ${upstreams.map(formatHostPort).join(', ') || 'nothing'}`,
          `skiff dns: serving ${served.httpUrl ?? ''}/healthz, /readyz, /metrics`,
        ],
        stopping: 'shutting down',
        stop: () => served.stop(),
        stopFailed: 'shutdown failed',
      });
      client.close();
      return code;
    } catch (err) {
      process.stderr.write(`skiff dns: ${errorMessage(err)}\n`);
      return 1;
    }
  },
};
