// The proxier: Service and EndpointSlice changes in, rules out. Informer handlers record changes
// in the trackers and ask the runner for a sync; a sync plans the changed Services' ports (or
// all of them) and hands the plans to the backend, which programs nftables or iptables. Once
// the rules are in, UDP flows still NATed the old way are deleted from connection tracking.
import {
  errorMessage,
  type Clock,
  type Conntrack,
  type EndpointSlice,
  type Node,
  type Service,
} from '@skiff/api';
import type { RuleContext } from '../model/context.js';
import { planServicePort, type ServicePortPlan } from '../model/plan.js';
import type { ServicePortInfo } from '../model/service-port.js';
import { staleUdpFlowFilters, type UdpServicePort } from '../model/stale-udp-flows.js';
import type { SyncKind } from '../model/sync-kind.js';
import type { ProxyBackend } from './backend.js';
import { EndpointsChangeTracker } from './endpoints-change-tracker.js';
import type { ProxyHealth } from './health.js';
import type { ProxyMetrics } from './metrics.js';
import { nodePortAddresses } from './node-port-addresses.js';
import { ServiceChangeTracker } from './service-change-tracker.js';

export interface ProxierOptions {
  readonly backend: ProxyBackend;
  readonly nodeName: string;
  readonly clusterCIDR?: string;
  /** --nodeport-addresses: CIDRs, or empty for the node's addresses. */
  readonly nodePortCIDRs: readonly string[];
  readonly localhostNodePorts: boolean;
  readonly clock: Clock;
  readonly metrics: ProxyMetrics;
  readonly health: ProxyHealth;
  readonly log: (message: string) => void;
  /** Where stale UDP flows are deleted; none when undefined. */
  readonly conntrack?: Conntrack;
}

export class Proxier {
  private readonly services = new ServiceChangeTracker();
  private readonly endpoints: EndpointsChangeTracker;
  private node: Readonly<Node> | undefined;
  private ctx: RuleContext;
  private ctxChanged = false;
  private initialized = false;
  /** The Service port keys each Service had at the last sync (to remove vanished ports). */
  private keysByService = new Map<string, readonly string[]>();
  /** The UDP Service ports at the last sync, by key (to clear the flows of vanished ones). */
  private udpPorts = new Map<string, ServicePortInfo>();
  /** When the backend has leftovers of earlier syncs to delete (see SyncOutcome.cleanupAt). */
  private cleanupAt: number | undefined;

  constructor(private readonly options: ProxierOptions) {
    this.endpoints = new EndpointsChangeTracker(options.nodeName);
    this.ctx = this.context();
  }

  get mode(): ProxyBackend['mode'] {
    return this.options.backend.mode;
  }

  onServiceUpdate(service: Readonly<Service>): void {
    this.services.update(service);
    this.changed('service');
  }

  onServiceDelete(service: Readonly<Service>): void {
    this.services.delete(service);
    this.changed('service');
  }

  onEndpointSliceUpdate(slice: Readonly<EndpointSlice>): void {
    this.endpoints.update(slice);
    this.changed('endpoints');
  }

  onEndpointSliceDelete(slice: Readonly<EndpointSlice>): void {
    this.endpoints.delete(slice);
    this.changed('endpoints');
  }

  /** The node's addresses decide the node-port addresses: a change means a full sync. */
  onNodeUpdate(node: Readonly<Node> | undefined): void {
    this.node = node;
    const ctx = this.context();
    if (JSON.stringify(ctx) !== JSON.stringify(this.ctx)) {
      this.ctx = ctx;
      this.ctxChanged = true;
      this.options.health.queued();
    }
  }

  /** One sync: everything on the first, after a context change or when `full`; else the changes. */
  async sync(full: boolean): Promise<void> {
    const { backend, clock, metrics, health } = this.options;
    const kind: SyncKind = !this.initialized
      ? 'initial'
      : full || this.ctxChanged
        ? 'full'
        : 'partial';
    const started = clock.now();
    const changed = new Set([...this.services.takeChanged(), ...this.endpoints.takeChanged()]);
    this.setPending();
    const cleanupDue = this.cleanupAt !== undefined && this.cleanupAt <= started;
    if (kind === 'partial' && changed.size === 0 && !cleanupDue) {
      health.updated(started);
      return;
    }
    const names =
      kind === 'partial'
        ? changed
        : new Set([...this.services.names(), ...this.keysByService.keys()]);
    const keysByService =
      kind === 'partial' ? new Map(this.keysByService) : new Map<string, readonly string[]>();
    const updates = new Map<string, ServicePortPlan | undefined>();
    for (const name of names) {
      if (kind === 'partial')
        for (const key of this.keysByService.get(name) ?? []) updates.set(key, undefined);
      const ports = this.services.portsOf(name);
      const endpoints = this.endpoints.endpointsOf(name);
      for (const port of ports)
        updates.set(port.key, planServicePort(port, endpoints.get(port.key) ?? []));
      if (ports.length > 0)
        keysByService.set(
          name,
          ports.map((p) => p.key),
        );
      else keysByService.delete(name);
    }
    let outcome;
    try {
      outcome = await backend.sync(kind, this.ctx, updates);
    } catch (err) {
      metrics.syncFailed(backend.mode);
      throw err;
    }
    this.initialized = true;
    this.ctxChanged = false;
    this.keysByService = keysByService;
    this.cleanupAt = outcome.cleanupAt;
    const seconds = (clock.now() - started) / 1000;
    metrics.syncDuration.observe(seconds);
    (kind === 'partial' ? metrics.partialSyncDuration : metrics.fullSyncDuration).observe(seconds);
    metrics.lastSync.set(clock.now() / 1000);
    metrics.setCounts(backend.mode, outcome.counts);
    health.updated(started);
    await this.clearStaleUdpFlows(kind, names);
  }

  /** How long until a sync has leftovers of earlier ones to delete; undefined: none. */
  cleanupDueInMs(): number | undefined {
    if (this.cleanupAt === undefined) return undefined;
    return Math.max(0, this.cleanupAt - this.options.clock.now());
  }

  /**
   * kube-proxy's conntrack.CleanStaleEntries, after the rules changed: deletes the UDP entries to
   * a Service that are not DNATed to one of its serving endpoints. Only when a sync touched a UDP
   * Service (kube-proxy looks after every sync): listing the table costs a process. A failure is
   * logged, not fatal to the sync — the rules are in, and the entries time out eventually.
   */
  private async clearStaleUdpFlows(kind: SyncKind, names: ReadonlySet<string>): Promise<void> {
    const { conntrack, log } = this.options;
    if (conntrack === undefined) return;
    const current: UdpServicePort[] = [];
    const now = new Map<string, ServicePortInfo>();
    let touched = kind !== 'partial';
    for (const name of this.services.names()) {
      const udp = this.services.portsOf(name).filter((p) => p.protocol === 'UDP');
      if (udp.length === 0) continue;
      touched ||= names.has(name);
      const endpoints = this.endpoints.endpointsOf(name);
      for (const svc of udp) {
        now.set(svc.key, svc);
        const serving = (endpoints.get(svc.key) ?? []).filter((e) => e.serving);
        current.push({ svc, servingIPs: new Set(serving.map((e) => e.ip)) });
      }
    }
    const vanished = [...this.udpPorts].filter(([key]) => !now.has(key)).map(([, svc]) => svc);
    this.udpPorts = now;
    if (!touched && vanished.length === 0) return;
    if (current.length === 0 && vanished.length === 0) return;
    try {
      const flows = await conntrack.list('udp');
      for (const filter of staleUdpFlowFilters(flows, current, vanished)) {
        await conntrack.delete(filter);
      }
    } catch (err) {
      log(`deleting stale UDP conntrack entries failed: ${errorMessage(err)}`);
    }
  }

  private changed(what: 'service' | 'endpoints'): void {
    const { metrics, health, clock } = this.options;
    (what === 'service' ? metrics.serviceChanges : metrics.endpointChanges).inc();
    metrics.lastQueued.set(clock.now() / 1000);
    this.setPending();
    health.queued();
  }

  private setPending(): void {
    this.options.metrics.serviceChangesPending.set(this.services.pending());
    this.options.metrics.endpointChangesPending.set(this.endpoints.pending());
  }

  private context(): RuleContext {
    const { clusterCIDR, nodePortCIDRs, localhostNodePorts } = this.options;
    return {
      ...(clusterCIDR ? { clusterCIDR } : {}),
      nodePortAddresses: nodePortAddresses(this.node, nodePortCIDRs, localhostNodePorts),
    };
  }
}
