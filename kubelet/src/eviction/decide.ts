// The eviction manager's decisions, as pure functions of the previous state, the observations
// and the time (Kubernetes' synchronize in eviction_manager.go with its helpers):
//
//   thresholds met now          — observed available < threshold quantity
//   first observed at           — kept across rounds while a threshold stays met
//   node conditions             — reported while met, and for pressureTransitionPeriod after,
//                                 so a node on the edge does not flap between True and False
//   thresholds to act on        — met for at least their grace period (hard ones: at once)
import {
  SIGNAL_CONDITION,
  thresholdKey,
  thresholdQuantity,
  type PressureCondition,
  type Signal,
  type Threshold,
} from './thresholds.js';

/** One signal's reading: how much is left, out of how much. */
export interface SignalObservation {
  readonly available: number;
  readonly capacity: number;
}

export type Observations = Readonly<Partial<Record<Signal, SignalObservation>>>;

export interface EvictionState {
  /** Per threshold (by thresholdKey): since when it has been met without a break. */
  readonly thresholdsFirstObservedAt: ReadonlyMap<string, number>;
  /** Per condition: when a threshold driving it was last met. */
  readonly conditionsLastObservedAt: ReadonlyMap<PressureCondition, number>;
}

export const INITIAL_EVICTION_STATE: EvictionState = {
  thresholdsFirstObservedAt: new Map(),
  conditionsLastObservedAt: new Map(),
};

export interface Decision {
  readonly state: EvictionState;
  /** The pressure conditions the node reports now. */
  readonly conditions: readonly PressureCondition[];
  /** Thresholds met for their whole grace period, memory first: what eviction acts on. */
  readonly actOn: readonly Threshold[];
}

/** The thresholds whose signal is below them now; a signal not observed meets nothing. */
export function thresholdsMet(
  thresholds: readonly Threshold[],
  observations: Observations,
): Threshold[] {
  return thresholds.filter((threshold) => {
    const observed = observations[threshold.signal];
    if (observed === undefined) return false;
    return observed.available < thresholdQuantity(threshold.value, observed.capacity);
  });
}

/** Memory before everything else, as byEvictionPriority sorts (the rest keep their order). */
function memoryFirst(thresholds: readonly Threshold[]): Threshold[] {
  const memory = thresholds.filter((t) => t.signal === 'memory.available');
  return [...memory, ...thresholds.filter((t) => t.signal !== 'memory.available')];
}

export function decide(
  previous: EvictionState,
  thresholds: readonly Threshold[],
  observations: Observations,
  now: number,
  pressureTransitionPeriodMs: number,
): Decision {
  const met = thresholdsMet(thresholds, observations);

  const thresholdsFirstObservedAt = new Map<string, number>();
  for (const threshold of met) {
    const key = thresholdKey(threshold);
    thresholdsFirstObservedAt.set(key, previous.thresholdsFirstObservedAt.get(key) ?? now);
  }

  const conditionsLastObservedAt = new Map(previous.conditionsLastObservedAt);
  for (const threshold of met)
    conditionsLastObservedAt.set(SIGNAL_CONDITION[threshold.signal], now);
  const conditions = [...conditionsLastObservedAt]
    .filter(([, at]) => now - at < pressureTransitionPeriodMs || at === now)
    .map(([condition]) => condition);

  const actOn = met.filter(
    (t) => now - (thresholdsFirstObservedAt.get(thresholdKey(t)) ?? now) >= t.gracePeriodMs,
  );
  return {
    state: { thresholdsFirstObservedAt, conditionsLastObservedAt },
    conditions,
    actOn: memoryFirst(actOn),
  };
}
