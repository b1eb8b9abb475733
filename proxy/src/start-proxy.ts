// startProxy(): kube-proxy as a library — what `skiff proxy` and `skiff up` run. Chooses the
// packet filter, removes what the other mode may have left, starts informers on Services and
// EndpointSlices (all namespaces) and on this node, syncs once the caches are full (so a restart
// never programs an empty Service list), then keeps the rules in step. Stopping leaves the rules
// in place, as kube-proxy does, so Services keep working while the proxy restarts.
import {
  Conntrack,
  conntrackRunner,
  errorMessage,
  findConntrack,
  realClock,
  type Clock,
} from '@skiff/api';
import { SharedInformerFactory, type Client, type ResourceEventHandler } from '@skiff/client';
import type { Registry } from 'prom-client';
import { IptablesBackend } from './iptables/backend.js';
import { NftablesBackend } from './nftables/backend.js';
import type { ProxyBackend } from './proxier/backend.js';
import { claimNetns, netnsFile } from './proxier/netns-claim.js';
import { commandRunner, type CommandRunner } from './proxier/command.js';
import { ProxyHealth } from './proxier/health.js';
import { ProxyMetrics } from './proxier/metrics.js';
import {
  chooseMode,
  iptablesAvailable,
  nftablesAvailable,
  type ProxyMode,
} from './proxier/mode.js';
import { Proxier } from './proxier/proxier.js';
import { SyncRunner } from './proxier/sync-runner.js';
import { startProxyServers } from './server/proxy-servers.js';

export interface StartProxyOptions {
  readonly client: Client;
  /** This node (--hostname-override): Local traffic policies and node-port addresses. */
  readonly nodeName: string;
  /** --proxy-mode; omitted: nftables if it works, else iptables. */
  readonly mode?: ProxyMode;
  /** --cluster-cidr */
  readonly clusterCIDR?: string;
  /** --nodeport-addresses: CIDRs (or `primary`); omitted: the node's addresses. */
  readonly nodePortAddresses?: readonly string[];
  /** NodePorts on 127.0.0.1 too (sets net.ipv4.conf.all.route_localnet=1). Default true. */
  readonly localhostNodePorts?: boolean;
  /** --sync-period: the periodic full resync. Default 30 s. */
  readonly syncPeriodMs?: number;
  /** --min-sync-period: changes closer together share a sync. Default 1 s. */
  readonly minSyncPeriodMs?: number;
  /** --healthz-bind-address, `host:port`; null: none. Default 0.0.0.0:10256. */
  readonly healthzBindAddress?: string | null;
  /** --metrics-bind-address, `host:port`; null: none. Default 127.0.0.1:10249. */
  readonly metricsBindAddress?: string | null;
  /** Prepended to every nft/iptables/sysctl command, e.g. `ip netns exec <ns>`. */
  readonly commandPrefix?: readonly string[];
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
}

export interface ProxyHandle {
  readonly mode: ProxyMode;
  readonly healthzUrl: string | undefined;
  readonly metricsUrl: string | undefined;
  readonly registry: Registry;
  /** Resolves after a sync that started after this call succeeded. */
  syncNow(full?: boolean): Promise<void>;
  /** Stops watching and syncing; the rules stay. */
  stop(): Promise<void>;
}

export async function startProxy(options: StartProxyOptions): Promise<ProxyHandle> {
  const target = commandNetns(options.commandPrefix);
  // Before any rule is touched (cleanupOtherMode deletes the other mode's): see netns-claim.ts.
  const claim =
    target === undefined
      ? undefined
      : await claimNetns(
          netnsFile(target.netns),
          `pid ${process.pid}, started as ${process.argv.slice(1).join(' ')}`,
        );
  try {
    const proxy = await startClaimedProxy(options, target);
    return {
      ...proxy,
      stop: async () => {
        await proxy.stop();
        await claim?.release();
      },
    };
  } catch (err) {
    await claim?.release();
    throw err;
  }
}

async function startClaimedProxy(
  options: StartProxyOptions,
  target: CommandNetns | undefined,
): Promise<ProxyHandle> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? ((m: string) => process.stderr.write(`skiff proxy: ${m}\n`));
  const run = commandRunner(options.commandPrefix);
  const syncPeriodMs = options.syncPeriodMs ?? 30_000;
  const localhostNodePorts = options.localhostNodePorts ?? true;

  const choice = await chooseMode(options.mode, run);
  log(`using the ${choice.mode} proxier (${choice.reason})`);
  const metrics = new ProxyMetrics();
  metrics.setMode(choice.mode);
  const backend: ProxyBackend =
    choice.mode === 'nftables'
      ? new NftablesBackend(run, {
          clock,
          log,
          ...(target === undefined ? {} : { netlink: target }),
        })
      : new IptablesBackend(run);
  await cleanupOtherMode(choice.mode, run, log);
  try {
    findConntrack();
  } catch (err) {
    // Said at start, where it is read: UDP Services still work, but a client that keeps sending
    // keeps its old endpoint (or its reject) after a change, until it pauses for 30 s.
    log(`${errorMessage(err)}; without it stale UDP flows to Services are not cleared`);
  }
  if (localhostNodePorts) await enableRouteLocalnet(run, log);

  const health = new ProxyHealth(clock, 2 * syncPeriodMs);
  const proxier = new Proxier({
    backend,
    nodeName: options.nodeName,
    ...(options.clusterCIDR ? { clusterCIDR: options.clusterCIDR } : {}),
    nodePortCIDRs: options.nodePortAddresses ?? [],
    localhostNodePorts,
    clock,
    metrics,
    health,
    log,
    conntrack: new Conntrack(conntrackRunner(options.commandPrefix)),
  });
  const runner = new SyncRunner({
    clock,
    minSyncPeriodMs: options.minSyncPeriodMs ?? 1000,
    syncPeriodMs,
    sync: async (full) => {
      await proxier.sync(full);
      // Chains nftables flushed wait a moment to be deleted: a sync must come back for them.
      const cleanupIn = proxier.cleanupDueInMs();
      if (cleanupIn !== undefined) runner.requestAfter(cleanupIn);
    },
    onFailure: 'retry-in-full',
    onError: (err) =>
      log(`syncing ${choice.mode} rules failed, retrying in full: ${errorMessage(err)}`),
  });

  // Services another proxy serves, and headless ones (DNS answers those), are not ours — the
  // same selector kube-proxy puts on its informers. EndpointSlices carry their Service's labels.
  const services = new SharedInformerFactory(options.client, {
    clock,
    labelSelector: '!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless',
    log,
  });
  const nodes = new SharedInformerFactory(options.client, {
    clock,
    fieldSelector: `metadata.name=${options.nodeName}`,
    log,
  });
  let synced = false;
  const changed = (): void => {
    if (synced) runner.request();
  };
  const handler = <T>(
    update: (o: Readonly<T>) => void,
    remove: (o: Readonly<T>) => void,
  ): ResourceEventHandler<T> => ({
    onAdd: (o) => {
      update(o);
      changed();
    },
    onUpdate: (_old, o) => {
      update(o);
      changed();
    },
    onDelete: (o) => {
      remove(o);
      changed();
    },
  });
  services.core.v1.services().addEventHandler(
    handler(
      (s) => proxier.onServiceUpdate(s),
      (s) => proxier.onServiceDelete(s),
    ),
  );
  services.discovery.v1.endpointSlices().addEventHandler(
    handler(
      (s) => proxier.onEndpointSliceUpdate(s),
      (s) => proxier.onEndpointSliceDelete(s),
    ),
  );
  nodes.core.v1.nodes().addEventHandler(
    handler(
      (n) => proxier.onNodeUpdate(n),
      () => proxier.onNodeUpdate(undefined),
    ),
  );
  const stopInformers = new AbortController();
  services.start(stopInformers.signal);
  nodes.start(stopInformers.signal);
  await Promise.all([
    services.waitForCacheSync(stopInformers.signal),
    nodes.waitForCacheSync(stopInformers.signal),
  ]);
  synced = true;
  await runner.syncNow(true);

  const servers = await startProxyServers({
    healthzBindAddress:
      options.healthzBindAddress === undefined ? '0.0.0.0:10256' : options.healthzBindAddress,
    metricsBindAddress:
      options.metricsBindAddress === undefined ? '127.0.0.1:10249' : options.metricsBindAddress,
    health,
    registry: metrics.registry,
    mode: choice.mode,
  }).catch(async (err: unknown) => {
    runner.stop();
    stopInformers.abort();
    await runner.idle();
    await Promise.all([services.shutdown(), nodes.shutdown(), backend.close()]);
    throw err;
  });

  return {
    mode: choice.mode,
    healthzUrl: servers.healthz?.url,
    metricsUrl: servers.metrics?.url,
    registry: metrics.registry,
    syncNow: (full) => runner.syncNow(full),
    stop: async () => {
      runner.stop();
      stopInformers.abort();
      await runner.idle();
      await Promise.all([services.shutdown(), nodes.shutdown(), servers.close(), backend.close()]);
    },
  };
}

/** Removes what the proxy programs in both modes (`skiff proxy --cleanup`). */
export async function cleanupProxyRules(commandPrefix: readonly string[] = []): Promise<void> {
  const run = commandRunner(commandPrefix);
  if ((await nftablesAvailable(run)) === undefined) await new NftablesBackend(run).cleanup();
  if ((await iptablesAvailable(run)) === undefined) await new IptablesBackend(run).cleanup();
}

/** After a switch of mode, the other mode's rules would still catch Service traffic. */
async function cleanupOtherMode(
  mode: ProxyMode,
  run: CommandRunner,
  log: (m: string) => void,
): Promise<void> {
  try {
    if (mode === 'nftables' && (await iptablesAvailable(run)) === undefined)
      await new IptablesBackend(run).cleanup();
    if (mode === 'iptables' && (await nftablesAvailable(run)) === undefined)
      await new NftablesBackend(run).cleanup();
  } catch (err) {
    log(
      `removing the ${mode === 'nftables' ? 'iptables' : 'nftables'} rules of an earlier run failed: ${errorMessage(err)}`,
    );
  }
}

/** The network namespace the rules go to: `netns` a name under /run/netns, or undefined for ours. */
interface CommandNetns {
  readonly netns?: string;
}

/**
 * Where the commands run: the proxy's own namespace (no prefix) or the one `ip netns exec
 * <name>` enters. Any other prefix: unknown, so neither netlink (nft only) nor a claim.
 */
function commandNetns(prefix: readonly string[] = []): CommandNetns | undefined {
  if (prefix.length === 0) return {};
  const [ip, netns, exec, name, ...rest] = prefix;
  if (
    ip === 'ip' &&
    netns === 'netns' &&
    exec === 'exec' &&
    name !== undefined &&
    rest.length === 0
  )
    return { netns: name };
  return undefined;
}

/** 127.0.0.1 node ports need the kernel to route loopback addresses off the node. */
async function enableRouteLocalnet(run: CommandRunner, log: (m: string) => void): Promise<void> {
  try {
    await run(['sysctl', '-q', '-w', 'net.ipv4.conf.all.route_localnet=1']);
  } catch (err) {
    log(
      `localhost node ports will not work: setting net.ipv4.conf.all.route_localnet=1 failed: ${errorMessage(err)}`,
    );
  }
}
