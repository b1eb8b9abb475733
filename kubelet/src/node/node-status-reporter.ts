// Registration and node status (Kubernetes' kubelet_node_status.go): register the Node at start
// (or adopt the one already there, adding any missing labels), then every 10 s compute the status
// from the machine and the runtime and write it when it changed — and at least every 5 minutes,
// so a reader can trust its heartbeat times. The status goes through `nodes/status`, also right
// after the create, because a create may drop it (status is not set on create by the API).
import {
  Backoff,
  errorMessage,
  isAlreadyExists,
  sleepUnlessAborted,
  until,
  type Clock,
  type Node,
  type NodeStatus,
} from '@skiff/api';
import type { Client } from '@skiff/client';
import type { VersionResponse__Output } from '@skiff/proto';
import type { RuntimeService } from '../cri/index.js';
import type { Threshold } from '../eviction/thresholds.js';
import { readMachineInfo, type MachineInfo } from './machine-info.js';
import {
  initialNode,
  nodeStatus,
  nodeStatusChanged,
  type NodeIdentity,
  type PressureCondition,
} from './node-status.js';

export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;

export interface NodeStatusReporterOptions {
  readonly client: Pick<Client, 'nodes'>;
  readonly runtime: RuntimeService;
  readonly clock: Clock;
  readonly identity: NodeIdentity;
  readonly rootDir: string;
  readonly internalIP: string;
  readonly kubeletPort: number;
  readonly maxPods: number;
  /** The machine, read again for each update (defaults to readMachineInfo(rootDir)). */
  readonly machineInfo?: () => Promise<MachineInfo>;
  readonly updateFrequencyMs?: number;
  readonly reportFrequencyMs?: number;
  /** The eviction thresholds (allocatable leaves the hard ones out); the defaults if unset. */
  readonly evictionThresholds?: readonly Threshold[];
  /** The pressure conditions to report True (the eviction manager's); none by default. */
  readonly pressure?: () => readonly PressureCondition[];
  readonly log?: (message: string) => void;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class NodeStatusReporter {
  private node: Node | undefined;
  private machine: MachineInfo | undefined;
  private lastReport = 0;
  /** The pod CIDR the runtime was last told. */
  private podCIDR = '';
  private runtimeVersion: VersionResponse__Output | undefined;
  private writes = 0;
  private updating: Promise<void> | undefined;

  constructor(private readonly options: NodeStatusReporterOptions) {}

  /** The Node as last written or read, once registered. */
  current(): Node | undefined {
    return this.node;
  }

  /** The machine as last read. */
  machineInfo(): MachineInfo | undefined {
    return this.machine;
  }

  /** How many node writes were sent (tests). */
  writeCount(): number {
    return this.writes;
  }

  /** Registers the Node, retrying (100 ms doubling to 7 s) until it works or `signal` aborts. */
  async register(signal: AbortSignal): Promise<Node | undefined> {
    const backoff = new Backoff({ durationMs: 100, capMs: 7000 });
    while (!signal.aborted) {
      try {
        return await this.tryRegister();
      } catch (err) {
        this.options.log?.(`registering node ${this.options.identity.name}: ${errorMessage(err)}`);
        if (!(await sleepUnlessAborted(this.options.clock, backoff.step(), signal))) break;
      }
    }
    return undefined;
  }

  /** Updates the status every period until `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    const updateOrLog = async (): Promise<void> => {
      try {
        await this.updateNodeStatus();
      } catch (err) {
        this.options.log?.(`updating node status: ${errorMessage(err)}`);
      }
    };
    const period = this.options.updateFrequencyMs ?? NODE_STATUS_UPDATE_FREQUENCY_MS;
    return until(updateOrLog, period, { clock: this.options.clock, signal });
  }

  /**
   * An update now, outside the period (pressure changed); failures are logged, and one already
   * running is not doubled — the next period catches up.
   */
  updateSoon(): void {
    if (this.updating !== undefined || this.node === undefined) return;
    this.updating = this.updateNodeStatus()
      .catch((err: unknown) => this.options.log?.(`updating node status: ${errorMessage(err)}`))
      .finally(() => {
        this.updating = undefined;
      });
  }

  /** Resolves once an update started by updateSoon is done (shutdown, tests). */
  async settled(): Promise<void> {
    await this.updating;
  }

  /** One update: read the node, compute its status, write it if it changed or is due. */
  async updateNodeStatus(): Promise<void> {
    const { client, clock, identity } = this.options;
    const node = await client.nodes().get(identity.name);
    await this.updatePodCIDR(node);
    const status = await this.computeStatus(node.status);
    const due =
      clock.now() - this.lastReport >=
      (this.options.reportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS);
    if (!due && !nodeStatusChanged(node.status, status)) {
      this.node = node;
      return;
    }
    await this.writeStatus(status);
  }

  private async tryRegister(): Promise<Node> {
    const { client, identity } = this.options;
    const status = await this.computeStatus(undefined);
    const wanted = initialNode(identity, this.machineOrThrow(), status);
    let existing: Node;
    try {
      existing = await client.nodes().create(wanted);
      this.writes++;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      existing = await client.nodes().get(identity.name);
      // A node registered before keeps its own labels; ours are added where missing.
      const labels = wanted.metadata.labels ?? {};
      const missing = Object.entries(labels).filter(
        ([k, v]) => existing.metadata.labels?.[k] !== v,
      );
      if (missing.length > 0) {
        existing = await client
          .nodes()
          .patch(
            identity.name,
            { metadata: { labels: Object.fromEntries(missing) } },
            { type: 'merge' },
          );
        this.writes++;
      }
    }
    this.node = existing;
    await this.updatePodCIDR(existing);
    await this.writeStatus(await this.computeStatus(existing.status));
    return this.node;
  }

  /**
   * Passes spec.podCIDR (set by node IPAM) to the runtime through UpdateRuntimeConfig, once per
   * change, as the kubelet's updatePodCIDR does; the runtime's pod network takes its addresses
   * from it.
   */
  private async updatePodCIDR(node: Node): Promise<void> {
    const cidr = node.spec?.podCIDR ?? '';
    if (cidr === '' || cidr === this.podCIDR) return;
    await this.options.runtime.updateRuntimeConfig(cidr);
    this.podCIDR = cidr;
    this.options.log?.(`pod CIDR ${cidr} passed to the runtime`);
  }

  private machineOrThrow(): MachineInfo {
    if (this.machine === undefined) throw new Error('machine info not read yet');
    return this.machine;
  }

  private async computeStatus(previous: NodeStatus | undefined): Promise<NodeStatus> {
    const { runtime, clock } = this.options;
    this.machine = await (
      this.options.machineInfo ?? (() => readMachineInfo(this.options.rootDir))
    )();
    let runtimeStatus;
    let runtimeError: string | undefined;
    try {
      this.runtimeVersion = await runtime.version();
      runtimeStatus = await runtime.status();
    } catch (err) {
      // A runtime that stopped answering makes the node NotReady, it does not stop the report;
      // only registration needs to have heard from it once.
      runtimeError = errorMessage(err);
      if (this.runtimeVersion === undefined) throw err;
    }
    const version = this.runtimeVersion;
    return nodeStatus({
      machine: this.machine,
      runtimeVersion: version,
      runtimeStatus,
      ...(runtimeError !== undefined && { runtimeError }),
      internalIP: this.options.internalIP,
      hostname: this.options.identity.hostname,
      kubeletPort: this.options.kubeletPort,
      maxPods: this.options.maxPods,
      now: rfc3339(clock.now()),
      ...(previous !== undefined && { previous }),
      pressure: this.options.pressure?.() ?? [],
      ...(this.options.evictionThresholds !== undefined && {
        evictionThresholds: this.options.evictionThresholds,
      }),
    });
  }

  private async writeStatus(status: NodeStatus): Promise<void> {
    const { client, clock, identity } = this.options;
    // A merge patch replaces the lists it names (conditions, addresses) whole.
    this.node = await client
      .nodes()
      .patch(identity.name, { status }, { type: 'merge', subresource: 'status' });
    this.writes++;
    this.lastReport = clock.now();
  }
}
