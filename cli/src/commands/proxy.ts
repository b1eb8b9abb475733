// `skiff proxy`: kube-proxy's role. Programs this node's packet filter from Services and
// EndpointSlices — nftables where it works, iptables otherwise — and keeps it in step. Flags
// keep kube-proxy's names. `--cleanup` removes the proxy's rules (both modes) and exits.
import { errorMessage, parseDuration } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import { cleanupProxyRules, startProxy, type ProxyMode } from '@skiff/proxy';
import { hostname } from 'node:os';
import type { Command } from './command.js';
import { parseFlags } from './flags.js';
import { serveUntilSignal } from './serve-until-signal.js';

const help = `usage: skiff proxy [--kubeconfig <file>] [--hostname-override <node>]
          [--proxy-mode nftables|iptables] [--cluster-cidr <cidr>]
          [--nodeport-addresses <cidr,…>] [--sync-period <d>] [--min-sync-period <d>]
          [--healthz-bind-address <host:port>] [--metrics-bind-address <host:port>]
          [--iptables-localhost-nodeports[=true|false]] [--cleanup]

  --kubeconfig                    the apiserver and credentials (default: KUBECONFIG, ~/.kube/config)
  --hostname-override             this node's name (default: the host name)
  --proxy-mode                    nftables or iptables (default: nftables if it works here, else iptables)
  --cluster-cidr                  the pod network: traffic to a ClusterIP from outside it is masqueraded
  --nodeport-addresses            CIDRs whose node addresses accept NodePorts (default: the node's addresses)
  --sync-period                   full resync at least this often (default 30s)
  --min-sync-period               changes closer together share one sync (default 1s)
  --healthz-bind-address          /healthz (default 0.0.0.0:10256; "" for none)
  --metrics-bind-address          /metrics and /proxyMode (default 127.0.0.1:10249; "" for none)
  --iptables-localhost-nodeports  NodePorts on 127.0.0.1 too (default true; sets route_localnet)
  --cleanup                       remove the proxy's rules (nftables and iptables) and exit
`;

function parseMode(text: string | undefined): ProxyMode | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'nftables' || text === 'iptables') return text;
  throw new Error(`--proxy-mode ${JSON.stringify(text)}: want nftables or iptables`);
}

function parseBool(flag: string, text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new Error(`--${flag}=${text}: want true or false`);
  return text === 'true';
}

export const proxyCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff proxy', help, {
      args,
      options: {
        kubeconfig: { type: 'string' },
        'hostname-override': { type: 'string' },
        'proxy-mode': { type: 'string' },
        'cluster-cidr': { type: 'string' },
        'nodeport-addresses': { type: 'string' },
        'sync-period': { type: 'string', default: '30s' },
        'min-sync-period': { type: 'string', default: '1s' },
        'healthz-bind-address': { type: 'string', default: '0.0.0.0:10256' },
        'metrics-bind-address': { type: 'string', default: '127.0.0.1:10249' },
        'iptables-localhost-nodeports': { type: 'string', default: 'true' },
        cleanup: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (typeof parsed === 'number') return parsed;
    const { values } = parsed;
    if (values.cleanup) {
      try {
        await cleanupProxyRules();
        process.stdout.write('skiff proxy: removed the proxy rules\n');
        return 0;
      } catch (err) {
        process.stderr.write(`skiff proxy: cleanup failed: ${errorMessage(err)}\n`);
        return 1;
      }
    }
    let options;
    try {
      options = {
        mode: parseMode(values['proxy-mode']),
        syncPeriodMs: parseDuration(values['sync-period']),
        minSyncPeriodMs: parseDuration(values['min-sync-period']),
        localhostNodePorts: parseBool(
          'iptables-localhost-nodeports',
          values['iptables-localhost-nodeports'],
        ),
        nodePortAddresses: (values['nodeport-addresses'] ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
        healthzBindAddress: values['healthz-bind-address'] || null,
        metricsBindAddress: values['metrics-bind-address'] || null,
      };
    } catch (err) {
      process.stderr.write(`skiff proxy: ${errorMessage(err)}\n\n${help}`);
      return 2;
    }
    const nodeName = values['hostname-override'] ?? hostname();
    try {
      const client = await clientFromKubeconfig(
        values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {},
      );
      const proxy = await startProxy({
        client,
        nodeName,
        ...options,
        ...(values['cluster-cidr'] ? { clusterCIDR: values['cluster-cidr'] } : {}),
      });
      const code = await serveUntilSignal({
        command: 'skiff proxy',
        banner: [
          `skiff proxy: node ${nodeName}, ${proxy.mode} mode`,
          ...(proxy.healthzUrl ? [`skiff proxy: serving ${proxy.healthzUrl}/healthz`] : []),
          ...(proxy.metricsUrl
            ? [`skiff proxy: serving ${proxy.metricsUrl}/metrics, /proxyMode`]
            : []),
        ],
        stopping: 'stopping (the rules stay in place)',
        stop: () => proxy.stop(),
        stopFailed: 'stop failed',
      });
      client.close();
      return code;
    } catch (err) {
      process.stderr.write(`skiff proxy: ${errorMessage(err)}\n`);
      return 1;
    }
  },
};
