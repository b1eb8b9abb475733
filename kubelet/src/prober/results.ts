// What the probes last concluded, per container instance (Kubernetes' prober/results): the
// status computation reads readiness and startup from here, the pod sync reads liveness and
// startup failures. Keyed by container ID, so a restarted container starts from the initial
// values: not ready, not started, alive.
import type { ProbeResult } from './probe.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** What a container counts as before its first verdict, as upstream. */
export const INITIAL_RESULT: Readonly<Record<ProbeType, ProbeResult>> = {
  liveness: 'success',
  readiness: 'failure',
  startup: 'unknown',
};

export class ProbeResults {
  private readonly results = new Map<string, ProbeResult>();

  /** The verdict for a container instance, or the initial value if there is none yet. */
  get(containerId: string, type: ProbeType): ProbeResult {
    return this.results.get(`${containerId}/${type}`) ?? INITIAL_RESULT[type];
  }

  /** Records a verdict; answers whether it changed. */
  set(containerId: string, type: ProbeType, result: ProbeResult): boolean {
    const key = `${containerId}/${type}`;
    const changed = this.get(containerId, type) !== result;
    this.results.set(key, result);
    return changed;
  }

  remove(containerId: string): void {
    for (const type of ['liveness', 'readiness', 'startup'] as const) {
      this.results.delete(`${containerId}/${type}`);
    }
  }
}
