// startPodNetwork(): flannel's role as a library — what `skiff podnet` and `skiff up` run. Watches
// every Node; on each change (and every resync period) plans this node's routes to every other
// node's podCIDR and programs them (host-gw or vxlan), and keeps pods' outbound traffic
// masqueraded except towards pods and Services. In vxlan mode it first publishes its VTEP MAC
// and public IP on its own Node, which is how the other nodes learn where to tunnel.
// Stopping leaves the routes in place (pods keep talking while it restarts); the next start
// removes whatever has gone stale meanwhile.
import { errorMessage, realClock, type Clock, type Node } from '@skiff/api';
import { SharedInformerFactory, type Client } from '@skiff/client';
import {
  commandRunner,
  parseBindAddress,
  serve,
  SyncRunner,
  type CommandRunner,
  type RunningServer,
} from '@skiff/proxy';
import { DEFAULT_ROUTE_PROTOCOL, PodNetworkApplier } from './apply/applier.js';
import {
  applyMasquerade,
  choosePacketFilter,
  removeMasquerade,
  type PacketFilter,
} from './apply/masquerade.js';
import { findUplink, type Uplink } from './apply/uplink.js';
import { vxlanMacFor } from './apply/vxlan-device.js';
import { FastPath, removeFastPath, type FastPathCounters } from './fast-path/fast-path.js';
import { PodNetworkMetrics } from './server/podnet-metrics.js';
import { nodeNetInfo, PUBLIC_IP_ANNOTATION, VXLAN_MAC_ANNOTATION } from './plan/node-info.js';
import {
  planRoutes,
  VXLAN_DEVICE,
  type NodeProblem,
  type RoutingMode,
} from './plan/plan-routes.js';

export interface StartPodNetworkOptions {
  readonly client: Client;
  /** This node (--hostname-override). */
  readonly nodeName: string;
  /** --routing: host-gw (one L2 segment) or vxlan (anywhere IP reaches). */
  readonly mode: RoutingMode;
  /** --cluster-cidr: every pod address; traffic within it is never masqueraded. */
  readonly clusterCIDR: string;
  /** --service-cluster-ip-range: Service addresses, not masqueraded here either. */
  readonly serviceCIDR?: string;
  /** --iface: the uplink; default: the interface holding the node's InternalIP. */
  readonly iface?: string;
  /** --public-ip: where other nodes send this node's VXLAN packets; default: the uplink address. */
  readonly publicIP?: string;
  /** --route-protocol: the `proto` number marking our routes. Default 83. */
  readonly routeProtocol?: number;
  /** --resync-period: the periodic full sync. Default 30 s. */
  readonly resyncPeriodMs?: number;
  /**
   * --fast-path: pod↔pod packets between nodes skip the nodes' forwarding and netfilter (BPF,
   * decision 0023). Default true; false takes it off every link. Off by itself, with the reason
   * logged, on a kernel that cannot have it.
   */
  readonly fastPath?: boolean;
  /** Prepended to every ip/bridge/nft command, e.g. `ip netns exec <ns>`. */
  readonly commandPrefix?: readonly string[];
  /** The node's network namespace when `commandPrefix` enters one (the fast path needs its path). */
  readonly netnsPath?: string;
  /**
   * `host:port` serving /healthz and /metrics (flannel's --healthz-ip and --healthz-port; port 0
   * picks a free one). Undefined or null: none.
   */
  readonly healthzBindAddress?: string | null;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

export interface PodNetworkStatus {
  readonly mode: RoutingMode;
  readonly packetFilter: PacketFilter;
  /** Why nothing is programmed yet (no Node, no podCIDR, no uplink), if so. */
  readonly waitingFor: string | undefined;
  readonly uplink: Uplink | undefined;
  /** Nodes with a route, by name → their podCIDR. */
  readonly routedNodes: Readonly<Record<string, string>>;
  /** Nodes without one and why (not on this segment, no MAC published yet…). */
  readonly problems: readonly NodeProblem[];
  readonly lastSyncTime: number | undefined;
  readonly lastError: string | undefined;
  /** `on`, or why it is off (--fast-path=false, what the kernel lacks). */
  readonly fastPath: string;
}

export interface PodNetworkHandle {
  status(): PodNetworkStatus;
  /** Resolves after a sync that started after this call. */
  syncNow(): Promise<void>;
  /** Packets and bytes the fast path has taken since it was loaded; undefined while it is off. */
  fastPathCounters(): Promise<FastPathCounters | undefined>;
  /** `http://host:port` of /healthz and /metrics, when served. */
  readonly healthzUrl: string | undefined;
  /** Stops watching and syncing; the routes stay. */
  stop(): Promise<void>;
}

export async function startPodNetwork(options: StartPodNetworkOptions): Promise<PodNetworkHandle> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? ((m: string) => process.stderr.write(`skiff podnet: ${m}\n`));
  const run = commandRunner(options.commandPrefix);
  const applier = new PodNetworkApplier(run, options.routeProtocol ?? DEFAULT_ROUTE_PROTOCOL);
  const packetFilter = await choosePacketFilter(run);
  log(`${options.mode} routing for node ${options.nodeName}; masquerading with ${packetFilter}`);
  await enableForwarding(run, log);
  if (
    options.commandPrefix?.length &&
    options.netnsPath === undefined &&
    options.fastPath !== false
  ) {
    throw new Error('a pod network run through a commandPrefix needs netnsPath for its fast path');
  }
  const fastPathOn = options.fastPath ?? true;
  if (!fastPathOn) await removeFastPath(options.netnsPath);

  let status: PodNetworkStatus = {
    mode: options.mode,
    packetFilter,
    waitingFor: 'the informer to sync',
    uplink: undefined,
    routedNodes: {},
    problems: [],
    lastSyncTime: undefined,
    lastError: undefined,
    fastPath: fastPathOn ? 'not loaded yet' : 'off (--fast-path=false)',
  };
  let fastPath: FastPath | undefined;
  const metrics = new PodNetworkMetrics(async () => fastPath?.counters());
  metrics.fastPathEnabled.set(0);
  let reported = '';
  const report = (next: Partial<PodNetworkStatus>): void => {
    status = { ...status, ...next };
    // Log a node's trouble once, when it starts or changes — not on every resync.
    const text = [
      ...(status.waitingFor ? [`waiting for ${status.waitingFor}`] : []),
      ...status.problems.map((p) => `no route to node ${p.node}'s pods: it ${p.reason}`),
    ].join('\n');
    if (text !== reported && text !== '') log(text.replace(/\n/g, '\n  '));
    reported = text;
  };

  const informers = new SharedInformerFactory(options.client, { clock, log });
  const nodes = informers.core.v1.nodes();
  const vxlanMAC = vxlanMacFor(options.nodeName);

  const sync = async (): Promise<void> => {
    const self = nodes.lister().get(options.nodeName);
    const me = self === undefined ? undefined : nodeNetInfo(self);
    if (self === undefined || me === undefined) {
      report({ waitingFor: `Node ${options.nodeName} to be registered` });
      return;
    }
    if (me.podCIDR === undefined) {
      report({ waitingFor: `Node ${options.nodeName}'s spec.podCIDR (node IPAM)` });
      return;
    }
    const uplink = await findUplink(run, me.internalIP ?? '', options.iface);
    if (uplink === undefined) {
      report({
        waitingFor: options.iface
          ? `an IPv4 address on --iface ${options.iface}`
          : `an interface holding Node ${options.nodeName}'s InternalIP (${me.internalIP ?? 'none yet'})`,
      });
      return;
    }
    if (options.mode === 'vxlan') await publishVtep(self, options.publicIP ?? uplink.address);
    const plan = planRoutes(
      { name: me.name, podCIDR: me.podCIDR, uplink: { name: uplink.name, cidr: uplink.cidr } },
      nodes.lister().list().map(nodeNetInfo),
      options.mode,
    );
    const { changes } = await applier.apply(plan, { podCIDR: me.podCIDR, uplink, vxlanMAC });
    await applyMasquerade(run, packetFilter, {
      clusterCIDR: options.clusterCIDR,
      serviceCIDR: options.serviceCIDR,
    });
    if (changes > 0)
      log(`programmed routes to ${plan.routes.length} node(s) (${changes} change(s))`);
    if (fastPathOn)
      await syncFastPath(me.podCIDR, [
        uplink.name,
        ...(options.mode === 'vxlan' ? [VXLAN_DEVICE] : []),
      ]);
    report({
      waitingFor: undefined,
      uplink,
      routedNodes: Object.fromEntries(plan.routes.map((r) => [r.node, r.dst])),
      problems: plan.problems,
      lastSyncTime: clock.now(),
      lastError: undefined,
    });
    metrics.routedNodes.set({ state: 'routed' }, plan.routes.length);
    metrics.routedNodes.set({ state: 'unroutable' }, plan.problems.length);
    metrics.lastSync.set(clock.now() / 1000);
  };

  // The fast path's programs carry the podCIDR, so a new one (rare: a re-registered Node) means
  // new programs. A kernel that cannot have it is told once, and the stack carries every packet.
  let fastPathUnavailable = false;
  const syncFastPath = async (podCIDR: string, devices: readonly string[]): Promise<void> => {
    if (fastPathUnavailable) return;
    if (fastPath?.options.podCIDR !== podCIDR) {
      let loaded: FastPath;
      try {
        loaded = await FastPath.load({
          clusterCIDR: options.clusterCIDR,
          podCIDR,
          ...(options.netnsPath ? { netnsPath: options.netnsPath } : {}),
        });
      } catch (err) {
        fastPathUnavailable = true;
        report({ fastPath: `off: ${errorMessage(err)}` });
        log(`pod fast path off, pods' packets cross the node's stack: ${errorMessage(err)}`);
        return;
      }
      await fastPath?.close();
      fastPath = loaded;
      await loaded.pin();
      log(`pod fast path on: pod↔pod packets between nodes skip forwarding and netfilter`);
      report({ fastPath: 'on' });
      metrics.fastPathEnabled.set(1);
    }
    await fastPath.attach(devices);
  };

  /** Other nodes find this node's tunnel endpoint on its Node object, as flannel's backend-data. */
  const publishVtep = async (self: Readonly<Node>, publicIP: string): Promise<void> => {
    const annotations = self.metadata.annotations ?? {};
    if (
      annotations[VXLAN_MAC_ANNOTATION] === vxlanMAC &&
      annotations[PUBLIC_IP_ANNOTATION] === publicIP
    )
      return;
    await options.client.nodes().patch(
      options.nodeName,
      {
        metadata: {
          annotations: { [VXLAN_MAC_ANNOTATION]: vxlanMAC, [PUBLIC_IP_ANNOTATION]: publicIP },
        },
      },
      { type: 'merge' },
    );
    log(`published VXLAN endpoint ${vxlanMAC} at ${publicIP} on Node ${options.nodeName}`);
  };

  // kube-proxy's runner: one sync at a time, a burst of Node events shares one more, a resync
  // every period. Each sync plans from the whole informer cache, so nothing waits between
  // syncs, and a failed one is not retried by itself: the next change or resync runs again.
  const runner = new SyncRunner({
    clock,
    minSyncPeriodMs: 0,
    syncPeriodMs: options.resyncPeriodMs ?? 30_000,
    sync: async () => {
      const started = clock.now();
      await sync();
      metrics.syncDuration.observe((clock.now() - started) / 1000);
    },
    onFailure: 'wait-for-next-sync',
    onError: (err) => {
      metrics.syncFailures.inc();
      status = { ...status, lastError: errorMessage(err) };
      log(`sync failed (retried on the next change or resync): ${errorMessage(err)}`);
    },
  });
  let synced = false;
  const changed = (): void => {
    if (synced) runner.request();
  };
  nodes.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  const stopInformers = new AbortController();
  informers.start(stopInformers.signal);
  await informers.waitForCacheSync(stopInformers.signal);
  synced = true;
  await runner.syncNow();
  const server = await serveHealthAndMetrics(options.healthzBindAddress, () => status, metrics);

  return {
    healthzUrl: server?.url,
    status: () => status,
    syncNow: () => runner.syncNow(),
    fastPathCounters: async () => fastPath?.counters(),
    stop: async () => {
      stopInformers.abort();
      runner.stop();
      await runner.idle();
      await informers.shutdown();
      // The links' filters keep the programs: pods keep their fast path while this restarts.
      await fastPath?.close();
      await server?.close();
    },
  };
}

/** Removes everything the pod network programs (`skiff podnet --cleanup`). */
export async function cleanupPodNetwork(
  commandPrefix: readonly string[] = [],
  routeProtocol = DEFAULT_ROUTE_PROTOCOL,
  netnsPath?: string,
): Promise<void> {
  const run = commandRunner(commandPrefix);
  await removeFastPath(netnsPath);
  await new PodNetworkApplier(run, routeProtocol).cleanup();
  await removeMasquerade(run);
}

/**
 * /healthz: 200 `ok` while the last sync succeeded (or the node is waiting for its podCIDR),
 * 503 with the error after a failed one — flannel's healthz, with a reason. /metrics: Prometheus.
 */
async function serveHealthAndMetrics(
  bindAddress: string | null | undefined,
  status: () => PodNetworkStatus,
  metrics: PodNetworkMetrics,
): Promise<RunningServer | undefined> {
  if (bindAddress === undefined || bindAddress === null) return undefined;
  return serve(parseBindAddress('--healthz-ip/--healthz-port', bindAddress), {
    '/healthz': (_req, res) => {
      const { lastError } = status();
      res
        .writeHead(lastError === undefined ? 200 : 503, { 'content-type': 'text/plain' })
        .end(lastError === undefined ? 'ok' : `last sync failed: ${lastError}`);
    },
    '/metrics': (_req, res) => {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (err: unknown) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(errorMessage(err)),
      );
    },
  });
}

/** A node forwards its pods' packets; without ip_forward nothing leaves the node. */
async function enableForwarding(run: CommandRunner, log: (m: string) => void): Promise<void> {
  try {
    await run(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
  } catch (err) {
    log(
      `pods' traffic will not be forwarded: setting net.ipv4.ip_forward=1 failed: ${errorMessage(err)}`,
    );
  }
}
