// `skiff up`'s flags and what they mean, checked before anything starts.
import { hostname } from 'node:os';
import { DEFAULT_POD_CIDR } from '@skiff/runtime/pod-cidr';
import { parsePort } from '../commands/flags.js';
import { parseStorageFlag, type StorageChoice } from '../commands/storage-flag.js';
import { defaultUpStateDir, stateLayout, type StateLayout } from './state-dir.js';

export const upHelp = `usage: skiff up [--state-dir <dir>] [--port <n>] [--bind-address <addr>]
          [--storage embedded|etcd:<url>[,<url>...]] [--runtime skiff|<cri-endpoint>]
          [--nodes <n>] [--split] [--pod-cidr <cidr>] [--bridge <name>] [--apply <file|dir>]

A whole cluster on this machine: the store and apiserver, the scheduler, the controller-manager,
a kubelet and skiff runtime in this one process (each still talks to the others through its API
— the apiserver's, or CRI on the runtime's socket — like k3s's server; --split makes each its
own process). Once the node is Ready (as root):
cluster DNS (kube-system/kube-dns, the 10th address of the service range, answered on the
first node's bridge gateway) and the Service proxy, so ClusterIPs and NodePorts answer from
this host and pods resolve Services by name. Then prints where the API is. Writes
<state-dir>/kubeconfig for kubectl and the skiff commands.

  --state-dir     the cluster's home: store, nodes' runtime and kubelet state, logs/, kubeconfig
                  (default ${defaultUpStateDir(process.env, 0)} as root, else ~/.skiff)
  --port          the apiserver's port (default 6443; plain HTTP, no authentication yet)
  --bind-address  where the apiserver listens (default 127.0.0.1; 0.0.0.0 for kubelets on
                  other machines)
  --storage       embedded: a store in <state-dir>/store (default); etcd:<url>: an etcd cluster
  --runtime       skiff: start skiff runtime per node (default); or the CRI endpoint of a
                  runtime already running, e.g. unix:///run/containerd/containerd.sock
  --nodes         run n kubelets on this machine, each with its own runtime, bridge and pod
                  addresses: <host>, <host>-2, … (default 1)
  --split         run every component as its own \`skiff <component>\` process instead
  --pod-cidr      pod addresses of the first node (default ${DEFAULT_POD_CIDR}; node i gets the
                  i-th block of that size after it)
  --bridge        the first node's bridge (default skiff0; node i: <bridge>_i)
  --apply         once the nodes are Ready, create the objects of these manifests (those that
                  exist are left as they are), wait until their Deployments are available and
                  Pods Running, and list the pods with their IPs (pnpm start: manifests/demo)

One Service proxy programs this machine's packet filter: run one skiff up (with Services) per
machine, as one kube-proxy per node.

Stopping (Ctrl-C or SIGTERM) stops every component, removes the Service proxy's rules (nothing
keeps them in step any more) and leaves the containers running: stopping
skiff is not deleting pods, and conmon, not skiff, is each container's parent, as with a
kubelet or containerd restart. The next \`skiff up\` on the same state dir resumes the cluster
with its objects and adopts those containers (pods whose containers died meanwhile are started
again). To stop the containers, delete the pods (kubectl delete deploy,pod --all) first.

Needs root for real containers. As another user the runtime runs them as plain processes with
no isolation, and says so. Each component also runs on its own, for a control plane on one
machine and kubelets on others: skiff apiserver | scheduler | controller-manager | kubelet |
runtime (see each one's --help).
`;

export interface UpOptions {
  readonly layout: StateLayout;
  readonly host: string;
  readonly port: number;
  readonly storage: StorageChoice;
  /** undefined: start skiff runtime per node; else the CRI endpoint to use. */
  readonly criEndpoint: string | undefined;
  readonly nodes: number;
  readonly split: boolean;
  readonly podCidr: string;
  readonly bridge: string;
  readonly hostname: string;
  /** `--apply`: manifests to create once the nodes are Ready. */
  readonly apply: string | undefined;
}

export interface UpFlagValues {
  readonly 'state-dir'?: string;
  readonly port?: string;
  readonly 'bind-address'?: string;
  readonly storage?: string;
  readonly runtime?: string;
  readonly nodes?: string;
  readonly split?: boolean;
  readonly 'pod-cidr'?: string;
  readonly bridge?: string;
  readonly apply?: string;
}

/** Throws, naming the flag, on a value that cannot work. */
export function upOptionsFromFlags(v: UpFlagValues): UpOptions {
  const layout = stateLayout(v['state-dir'] ?? defaultUpStateDir());
  const nodes = Number(v.nodes ?? '1');
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 50) {
    throw new Error(`--nodes ${JSON.stringify(v.nodes)}: want a whole number from 1 to 50`);
  }
  const storageFlag = v.storage ?? 'embedded';
  if (storageFlag.startsWith('embedded:')) {
    throw new Error('--storage embedded: the store lives in <state-dir>/store; use --state-dir');
  }
  const storage = parseStorageFlag(
    storageFlag === 'embedded' ? `embedded:${layout.store}` : storageFlag,
  );
  const runtime = v.runtime ?? 'skiff';
  const criEndpoint = runtime === 'skiff' ? undefined : runtime;
  if (criEndpoint !== undefined && !/^(unix|tcp):\/\//.test(criEndpoint)) {
    throw new Error(`--runtime ${JSON.stringify(runtime)}: want skiff or a unix:// CRI endpoint`);
  }
  if (criEndpoint !== undefined && nodes > 1) {
    throw new Error('--nodes above 1 needs --runtime skiff: each node needs a runtime of its own');
  }
  const bridge = v.bridge ?? 'skiff0';
  // The runtime's rule; node i's bridge adds `_i`, still within Linux's 15 bytes.
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,14}$/.test(bridge)) {
    throw new Error(
      `--bridge ${JSON.stringify(bridge)}: want at most 15 letters, digits or "_", starting with a letter`,
    );
  }
  return {
    layout,
    host: v['bind-address'] ?? '127.0.0.1',
    port: parsePort('--port', v.port ?? '6443'),
    storage,
    criEndpoint,
    nodes,
    split: v.split === true,
    podCidr: v['pod-cidr'] ?? DEFAULT_POD_CIDR,
    bridge,
    hostname: hostname().toLowerCase(),
    apply: v.apply,
  };
}
