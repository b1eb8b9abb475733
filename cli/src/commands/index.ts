// Every `skiff` subcommand, by name: its one-line summary for `skiff help`, and how to load it.
// Commands are imported only when run, so a `skiff runtime` process does not carry the
// apiserver, scheduler, controllers and kubelet in its heap (about 30 MB and a second of start-up
// in every child process `skiff up --split` starts).
import type { Command } from './command.js';
import { kubectlVerbs } from './kubectl-verbs.js';

export interface CommandEntry {
  readonly summary: string;
  load(): Promise<Command>;
}

export const commands: Readonly<Record<string, CommandEntry>> = {
  ...kubectlVerbs,
  apiserver: {
    summary: 'run the Kubernetes API server (embedded store or etcd)',
    load: async () => (await import('./apiserver.js')).apiserverCommand,
  },
  'controller-manager': {
    summary:
      'run the controllers (replicaset, endpoint, endpointslice, …) under one leader election',
    load: async () => (await import('./controller-manager.js')).controllerManagerCommand,
  },
  dns: {
    summary: 'serve cluster DNS (CoreDNS): Services and pods by name, other names forwarded',
    load: async () => (await import('./dns.js')).dnsCommand,
  },
  image: {
    summary: "manage skiff runtime's images (import a tarball)",
    load: async () => (await import('./image.js')).imageCommand,
  },
  kubelet: {
    summary: 'run the node agent: register the node and run its pods through CRI',
    load: async () => (await import('./kubelet.js')).kubeletCommand,
  },
  lab: {
    summary: 'a multi-node lab cluster on this machine, each VM a network namespace (docs/lab.md)',
    load: async () => (await import('./lab.js')).labCommand,
  },
  podnet: {
    summary: "run the pod network (flannel): routes to other nodes' pods, host-gw or VXLAN",
    load: async () => (await import('./podnet.js')).podnetCommand,
  },
  proxy: {
    summary: 'run the Service proxy (kube-proxy): Services to nftables or iptables rules',
    load: async () => (await import('./proxy.js')).proxyCommand,
  },
  runtime: {
    summary: 'run the CRI container runtime on a unix socket',
    load: async () => (await import('./runtime.js')).runtimeCommand,
  },
  scheduler: {
    summary: 'run the scheduler: bind pending pods to nodes (kube-scheduler)',
    load: async () => (await import('./scheduler.js')).schedulerCommand,
  },
  up: {
    summary: 'run a whole cluster on this machine (apiserver, scheduler, controllers, kubelet)',
    load: async () => (await import('./up.js')).upCommand,
  },
};
