// The eviction manager's decisions, as pure functions of the previous state, the observations
// and the time (Kubernetes' synchronize in eviction_manager.go with its helpers):
//
//   thresholds met now          — observed available < threshold quantity; one acted on last
//                                 round stays met until available ≥ quantity + its minReclaim
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
  /** The thresholds acted on last round: met until their minimum reclaim is satisfied. */
  readonly thresholdsMet: readonly Threshold[];
}

export const INITIAL_EVICTION_STATE: EvictionState = {
  thresholdsFirstObservedAt: new Map(),
  conditionsLastObservedAt: new Map(),
  thresholdsMet: [],
};

export interface Decision {
  readonly state: EvictionState;
  /** The pressure conditions the node reports now. */
  readonly conditions: readonly PressureCondition[];
  /** Thresholds met for their whole grace period, memory first: what eviction acts on. */
  readonly actOn: readonly Threshold[];
}

/**
 * The thresholds whose signal is below them now; a signal not observed meets nothing. With
 * `enforceMinReclaim`, a threshold is compared with its quantity plus its minimum reclaim: met
 * until the signal has recovered that much further.
 */
export function thresholdsMet(
  thresholds: readonly Threshold[],
  observations: Observations,
  enforceMinReclaim = false,
): Threshold[] {
  return thresholds.filter((threshold) => {
    const observed = observations[threshold.signal];
    if (observed === undefined) return false;
    let quantity = thresholdQuantity(threshold.value, observed.capacity);
    if (enforceMinReclaim && threshold.minReclaim !== undefined) {
      quantity += thresholdQuantity(threshold.minReclaim, observed.capacity);
    }
    return observed.available < quantity;
  });
}

/** The union of two threshold lists, each threshold once (mergeThresholds). */
function mergeThresholds(a: readonly Threshold[], b: readonly Threshold[]): Threshold[] {
  const keys = new Set(a.map(thresholdKey));
  return [...a, ...b.filter((t) => !keys.has(thresholdKey(t)))];
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
  const met = mergeThresholds(
    thresholdsMet(thresholds, observations),
    thresholdsMet(previous.thresholdsMet, observations, true),
  );

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
    state: { thresholdsFirstObservedAt, conditionsLastObservedAt, thresholdsMet: actOn },
    conditions,
    actOn: memoryFirst(actOn),
  };
}
