// Keeps one probe worker per (pod, container, probe type) (Kubernetes' prober_manager.go): workers
// start when a pod with probes is synced and stop when it terminates. The pod sync tells it which
// container instance runs now; the status computation and the pod sync read the verdicts.
import type { Clock, Pod } from '@skiff/api';
import { latestContainer, type RuntimePodStatus } from '../container/index.js';
import type { RuntimeService } from '../cri/index.js';
import type { PodEventSink } from '../kuberuntime/pod-events.js';
import { runProbe, type ProbeOutcome } from './probe.js';
import { ProbeResults, type ProbeType } from './results.js';
import { ProbeWorker, type ProbedContainer } from './worker.js';

export interface ProberManagerOptions {
  readonly clock: Clock;
  readonly runtime: Pick<RuntimeService, 'execSync'>;
  /** A verdict of this pod changed: sync it. */
  readonly onChange: (uid: string) => void;
  readonly events?: PodEventSink;
  /**
   * The node's addresses: a hostNetwork pod's IP is the node's (its status.podIP), which a
   * runtime need not report as the sandbox's (containerd leaves it empty).
   */
  readonly hostIPs?: () => readonly string[];
  /** Every probe run (prober_probe_total). */
  readonly observe?: (
    pod: Readonly<Pod>,
    container: string,
    type: ProbeType,
    outcome: ProbeOutcome,
  ) => void;
}

interface PodProbes {
  pod: Readonly<Pod>;
  readonly workers: Map<string, AbortController>;
  readonly containers: Map<string, ProbedContainer>;
}

const probeName: Readonly<Record<ProbeType, string>> = {
  liveness: 'Liveness',
  readiness: 'Readiness',
  startup: 'Startup',
};

export class ProberManager {
  readonly results = new ProbeResults();
  private readonly pods = new Map<string, PodProbes>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: ProberManagerOptions) {}

  /** Starts the workers a pod's containers ask for (once each). */
  addPod(pod: Readonly<Pod>): void {
    const uid = pod.metadata.uid ?? '';
    let entry = this.pods.get(uid);
    if (!entry) {
      entry = { pod, workers: new Map(), containers: new Map() };
      this.pods.set(uid, entry);
    }
    entry.pod = pod;
    const podEntry = entry;
    for (const container of pod.spec.containers) {
      const probes: [ProbeType, typeof container.livenessProbe][] = [
        ['startup', container.startupProbe],
        ['liveness', container.livenessProbe],
        ['readiness', container.readinessProbe],
      ];
      for (const [type, probe] of probes) {
        const key = `${container.name}/${type}`;
        if (probe === undefined || podEntry.workers.has(key)) continue;
        const stop = new AbortController();
        podEntry.workers.set(key, stop);
        const worker = new ProbeWorker({
          clock: this.options.clock,
          type,
          probe,
          container,
          state: () => podEntry.containers.get(container.name),
          results: this.results,
          run: (p, target) => runProbe(p, target, this.options.runtime),
          onChange: () => this.options.onChange(uid),
          onProbe: (outcome) => this.reportProbe(podEntry.pod, container.name, type, outcome),
        });
        const run = worker.run(stop.signal).finally(() => this.running.delete(run));
        this.running.add(run);
      }
    }
  }

  /** Which container instances run now (after a sync), so workers probe the right one. */
  updateContainers(uid: string, runtime: RuntimePodStatus): void {
    const entry = this.pods.get(uid);
    if (!entry) return;
    const sandbox = runtime.sandboxes[0];
    const sandboxReady = sandbox?.state === 'ready';
    const podIP = !sandboxReady
      ? ''
      : entry.pod.spec.hostNetwork === true
        ? (this.options.hostIPs?.()[0] ?? '')
        : (sandbox.ips[0] ?? '');
    for (const container of entry.pod.spec.containers) {
      const latest = latestContainer(runtime, container.name);
      if (latest === undefined) entry.containers.delete(container.name);
      else {
        entry.containers.set(container.name, {
          containerId: latest.id,
          running: latest.state === 'running',
          startedAt: latest.startedAt,
          podIP,
        });
      }
    }
  }

  /** Why a running container must be restarted, if a probe says so. */
  probeFailure(containerId: string): 'liveness' | 'startup' | undefined {
    if (this.results.get(containerId, 'liveness') === 'failure') return 'liveness';
    if (this.results.get(containerId, 'startup') === 'failure') return 'startup';
    return undefined;
  }

  /** Stops the pod's workers and forgets its verdicts. */
  removePod(uid: string): void {
    const entry = this.pods.get(uid);
    if (!entry) return;
    for (const stop of entry.workers.values()) stop.abort();
    for (const c of entry.containers.values()) this.results.remove(c.containerId);
    this.pods.delete(uid);
  }

  async stop(): Promise<void> {
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
    await Promise.all([...this.running]);
  }

  private reportProbe(
    pod: Readonly<Pod>,
    container: string,
    type: ProbeType,
    outcome: ProbeOutcome,
  ): void {
    this.options.observe?.(pod, container, type, outcome);
    if (outcome.result === 'success') return;
    const verb = outcome.result === 'failure' ? 'failed' : 'errored';
    this.options.events?.event(
      pod,
      'Warning',
      'Unhealthy',
      `${probeName[type]} probe ${verb}: ${outcome.output}`,
    );
  }
}
