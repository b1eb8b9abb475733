// One probe of one container of one pod (Kubernetes' prober/worker.go): every periodSeconds,
// after initialDelaySeconds from the container's start, it runs the probe and turns results into
// a verdict only after successThreshold successes or failureThreshold failures in a row. A new
// container instance starts from the initial verdicts; the startup probe gates the other two;
// after a liveness or startup failure the worker holds until the container is replaced. A hung
// probe is bounded by its timeout and never blocks any other worker.
import { jitterUntil, type Clock, type Container, type Probe } from '@skiff/api';
import type { ProbeOutcome, ProbeResult, ProbeTarget } from './probe.js';
import type { ProbeResults, ProbeType } from './results.js';

/** The probed container as the last sync saw it. */
export interface ProbedContainer {
  readonly containerId: string;
  readonly running: boolean;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
  readonly podIP: string;
}

export interface ProbeWorkerOptions {
  readonly clock: Clock;
  readonly type: ProbeType;
  readonly probe: Readonly<Probe>;
  readonly container: Readonly<Container>;
  readonly state: () => ProbedContainer | undefined;
  readonly results: ProbeResults;
  readonly run: (probe: Readonly<Probe>, target: ProbeTarget) => Promise<ProbeOutcome>;
  /** A verdict changed: the pod must be synced (status, or a restart). */
  readonly onChange: () => void;
  /** Each failed (or unrunnable) probe, for the Unhealthy event and the probe metric. */
  readonly onProbe?: (outcome: ProbeOutcome) => void;
}

export class ProbeWorker {
  private containerId = '';
  private lastResult: ProbeResult = 'unknown';
  private resultRun = 0;
  private onHold = false;

  constructor(private readonly options: ProbeWorkerOptions) {}

  run(signal: AbortSignal): Promise<void> {
    const periodMs = (this.options.probe.periodSeconds ?? 10) * 1000;
    return jitterUntil(() => this.doProbe(), periodMs, 0, false, {
      clock: this.options.clock,
      signal,
    });
  }

  /** One round; exported for tests that drive it step by step. */
  async doProbe(): Promise<void> {
    const { type, probe, results, clock } = this.options;
    const state = this.options.state();
    if (!state?.running) return;
    if (state.containerId !== this.containerId) {
      this.containerId = state.containerId;
      this.lastResult = 'unknown';
      this.resultRun = 0;
      this.onHold = false;
    }
    if (this.onHold) return;
    const started = results.get(state.containerId, 'startup') === 'success';
    const hasStartup = this.options.container.startupProbe !== undefined;
    if (type === 'startup' && started) return;
    if (type !== 'startup' && hasStartup && !started) return;
    if (clock.now() - state.startedAt < (probe.initialDelaySeconds ?? 0) * 1000) return;

    const outcome = await this.options.run(probe, {
      container: this.options.container,
      containerId: state.containerId,
      podIP: state.podIP,
    });
    this.options.onProbe?.(outcome);
    if (outcome.result === 'unknown') return;
    if (outcome.result === this.lastResult) this.resultRun++;
    else {
      this.lastResult = outcome.result;
      this.resultRun = 1;
    }
    const failureThreshold = probe.failureThreshold ?? 3;
    const successThreshold = probe.successThreshold ?? 1;
    if (outcome.result === 'failure' && this.resultRun < failureThreshold) return;
    if (outcome.result === 'success' && this.resultRun < successThreshold) return;
    if (results.set(state.containerId, type, outcome.result)) this.options.onChange();
    if (type !== 'readiness' && outcome.result === 'failure') {
      // The container will be killed; probing it again would only repeat the verdict.
      this.onHold = true;
      this.resultRun = 0;
    }
  }
}
