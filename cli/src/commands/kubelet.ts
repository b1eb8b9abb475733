// `skiff kubelet`: the node agent, with the kubelet's flag names. It registers this machine as a
// Node with the apiserver of --kubeconfig and runs the pods bound to it through the CRI runtime
// at --container-runtime-endpoint (skiff runtime by default; containerd works the same).
import { hostname } from 'node:os';
import { errorMessage } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import { Kubelet, RemoteCri, parseNodeLabels, parseTaints, socketPathOf } from '@skiff/kubelet';
import type { Command } from './command.js';
import { parseFlags, parsePort } from './flags.js';
import { defaultRuntimePaths } from './runtime-paths.js';
import { serveUntilSignal } from './serve-until-signal.js';

const defaultEndpoint = `unix://${defaultRuntimePaths().socket}`;

const help = `usage: skiff kubelet [--kubeconfig <file>] [--hostname-override <name>] [flags]

  --kubeconfig                  kubeconfig to reach the apiserver (default: KUBECONFIG, ~/.kube/config)
  --hostname-override           the Node's name (default: this machine's hostname)
  --container-runtime-endpoint  CRI socket (default ${defaultEndpoint})
  --root-dir                    the kubelet's state directory (default /var/lib/kubelet)
  --pod-logs-dir                where container logs go (default /var/log/pods)
  --address                     address of /healthz and /metrics (default 0.0.0.0)
  --port                        their port (default 10250; 0 picks one)
  --node-ip                     the node's InternalIP (default: the default route's address)
  --node-labels                 labels to register the Node with: k=v,k2=v2
  --register-with-taints        taints to register the Node with: key=value:NoSchedule,…
  --max-pods                    pods this node runs at most (default 110)
  --cluster-dns                 cluster DNS server IPs for ClusterFirst pods: ip,ip
  --cluster-domain              the cluster's DNS domain (default cluster.local)
  --resolv-conf                 the resolv.conf Default pods get ('' for none; default /etc/resolv.conf)
`;

export const kubeletCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff kubelet', help, {
      args,
      options: {
        kubeconfig: { type: 'string' },
        'hostname-override': { type: 'string' },
        'container-runtime-endpoint': { type: 'string', default: defaultEndpoint },
        'root-dir': { type: 'string', default: '/var/lib/kubelet' },
        'pod-logs-dir': { type: 'string', default: '/var/log/pods' },
        address: { type: 'string', default: '0.0.0.0' },
        port: { type: 'string', default: '10250' },
        'node-ip': { type: 'string' },
        'node-labels': { type: 'string', default: '' },
        'register-with-taints': { type: 'string', default: '' },
        'max-pods': { type: 'string', default: '110' },
        'cluster-dns': { type: 'string', default: '' },
        'cluster-domain': { type: 'string', default: 'cluster.local' },
        'resolv-conf': { type: 'string', default: '/etc/resolv.conf' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (typeof parsed === 'number') return parsed;
    const v = parsed.values;
    let kubelet: Kubelet;
    let cri: RemoteCri | undefined;
    try {
      // Every flag is checked before anything is contacted, so a typo fails fast.
      const maxPods = Number(v['max-pods']);
      if (!Number.isInteger(maxPods) || maxPods < 1) {
        throw new Error(`--max-pods ${JSON.stringify(v['max-pods'])}: not a positive integer`);
      }
      const nodeName = (v['hostname-override'] ?? hostname()).toLowerCase();
      const nodeLabels = parseNodeLabels(v['node-labels']);
      const registerWithTaints = parseTaints(v['register-with-taints']);
      const port = parsePort('--port', v.port);
      const endpoint = v['container-runtime-endpoint'];
      socketPathOf(endpoint);
      const client = await clientFromKubeconfig(
        { ...(v.kubeconfig !== undefined && { kubeconfig: v.kubeconfig }) },
        // Kubernetes' kubelet defaults: 50 requests/s, bursts of 100.
        { qps: 50, burst: 100 },
      );
      cri = new RemoteCri(endpoint);
      kubelet = await Kubelet.start({
        client,
        cri,
        nodeName,
        hostname: nodeName,
        ...(v['node-ip'] !== undefined && { nodeIP: v['node-ip'] }),
        nodeLabels,
        registerWithTaints,
        rootDir: v['root-dir'],
        podLogsDirectory: v['pod-logs-dir'],
        address: v.address,
        port,
        maxPods,
        clusterDNS: v['cluster-dns'].split(',').filter((s) => s.trim() !== ''),
        clusterDomain: v['cluster-domain'],
        resolvConf: v['resolv-conf'],
        log: (message) => process.stderr.write(`skiff kubelet: ${message}\n`),
      });
    } catch (err) {
      cri?.close();
      process.stderr.write(`skiff kubelet: ${errorMessage(err)}\n`);
      return 1;
    }
    const running = kubelet;
    return serveUntilSignal({
      command: 'skiff kubelet',
      banner: [
        `skiff kubelet: node ${running.nodeName} (${running.internalIP}) runs its pods through ${v['container-runtime-endpoint']}`,
        `health and metrics on http://${v.address}:${running.port}/healthz and /metrics`,
      ],
      stopping: 'stopping (containers keep running)',
      stop: async () => {
        await running.shutdown();
        cri?.close();
      },
      stopFailed: 'stopping',
    });
  },
};
