// Eviction signals and thresholds (Kubernetes' pkg/kubelet/eviction/api and the parsing half of
// helpers.go): what each signal measures, the node condition it drives, and the statements
// `--eviction-hard memory.available<100Mi,nodefs.available<10%` and the config file's
// evictionHard / evictionSoft / evictionSoftGracePeriod maps are made of.
import { parseDuration, ResourceQuantity } from '@skiff/api';

export const SIGNALS = [
  'memory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'pid.available',
] as const;
export type Signal = (typeof SIGNALS)[number];

export type PressureCondition = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

/** What a signal starves: the resource named in eviction messages and ranked by. */
export type StarvedResource = 'memory' | 'ephemeral-storage' | 'inodes' | 'pids';

export const SIGNAL_CONDITION: Readonly<Record<Signal, PressureCondition>> = {
  'memory.available': 'MemoryPressure',
  'nodefs.available': 'DiskPressure',
  'nodefs.inodesFree': 'DiskPressure',
  'imagefs.available': 'DiskPressure',
  'imagefs.inodesFree': 'DiskPressure',
  'pid.available': 'PIDPressure',
};

export const SIGNAL_RESOURCE: Readonly<Record<Signal, StarvedResource>> = {
  'memory.available': 'memory',
  'nodefs.available': 'ephemeral-storage',
  'nodefs.inodesFree': 'inodes',
  'imagefs.available': 'ephemeral-storage',
  'imagefs.inodesFree': 'inodes',
  'pid.available': 'pids',
};

/** A threshold's value: an absolute quantity, or a fraction (0–1) of the signal's capacity. */
export type ThresholdValue =
  | { readonly quantity: ResourceQuantity; readonly percentage?: undefined }
  | { readonly percentage: number; readonly quantity?: undefined };

/**
 * `signal < value`; met once observed for gracePeriodMs (0: a hard threshold). Once met, it stays
 * met until the signal is back above value + minReclaim (evictionMinimumReclaim), so the node
 * does not evict again at once for the same few bytes.
 */
export interface Threshold {
  readonly signal: Signal;
  readonly value: ThresholdValue;
  readonly gracePeriodMs: number;
  readonly minReclaim?: ThresholdValue;
}

/** Linux kubelet defaults (defaults_linux.go); a configured evictionHard replaces them whole. */
export const DEFAULT_EVICTION_HARD: Readonly<Record<string, string>> = {
  'memory.available': '100Mi',
  'nodefs.available': '10%',
  'nodefs.inodesFree': '5%',
  'imagefs.available': '15%',
};

export class EvictionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvictionConfigError';
  }
}

function isSignal(name: string): name is Signal {
  return (SIGNALS as readonly string[]).includes(name);
}

function signalOf(name: string): Signal {
  if (!isSignal(name)) {
    throw new EvictionConfigError(
      `unsupported eviction signal ${name} (supported: ${SIGNALS.join(', ')})`,
    );
  }
  return name;
}

/**
 * One statement's value, as parseThresholdStatement reads it; undefined for 0% and 100%, which
 * Kubernetes takes as "this signal is off".
 */
export function parseThresholdValue(signal: Signal, text: string): ThresholdValue | undefined {
  if (text.endsWith('%')) {
    if (text === '0%' || text === '100%') return undefined;
    const percent = Number(text.slice(0, -1));
    if (text.length === 1 || !Number.isFinite(percent)) {
      throw new EvictionConfigError(`eviction threshold ${signal}: ${text} is not a percentage`);
    }
    if (percent < 0) {
      throw new EvictionConfigError(
        `eviction percentage threshold ${signal} must be >= 0%: ${text}`,
      );
    }
    if (percent > 100) {
      throw new EvictionConfigError(
        `eviction percentage threshold ${signal} must be <= 100%: ${text}`,
      );
    }
    return { percentage: percent / 100 };
  }
  const parsed = ResourceQuantity.tryParse(text);
  if (!(parsed instanceof ResourceQuantity)) {
    throw new EvictionConfigError(`eviction threshold ${signal}: ${parsed.message}`);
  }
  if (parsed.sign() <= 0) {
    throw new EvictionConfigError(`eviction threshold ${signal} must be positive: ${text}`);
  }
  return { quantity: parsed };
}

/**
 * The flag form, `memory.available<100Mi,nodefs.available<10%` (a mapStringString with `<` as
 * its separator, as the kubelet's --eviction-hard/--eviction-soft take it).
 */
export function parseThresholdFlag(flag: string, text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const at = entry.indexOf('<');
    if (at <= 0) {
      throw new EvictionConfigError(
        `${flag}: ${JSON.stringify(entry)} is not <signal><<quantity> (e.g. memory.available<100Mi)`,
      );
    }
    result[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return result;
}

/** A `signal=value,…` flag (`--eviction-soft-grace-period`, `--eviction-minimum-reclaim`). */
function parseSignalMapFlag(flag: string, text: string, valueKind: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const at = entry.indexOf('=');
    if (at <= 0) {
      throw new EvictionConfigError(
        `${flag}: ${JSON.stringify(entry)} is not <signal>=<${valueKind}>`,
      );
    }
    result[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return result;
}

/** The grace-period flag form, `memory.available=1m30s,nodefs.available=2m`. */
export function parseGracePeriodFlag(flag: string, text: string): Record<string, string> {
  return parseSignalMapFlag(flag, text, 'duration');
}

/** The minimum-reclaim flag form, `memory.available=0Mi,nodefs.available=500Mi,imagefs.available=2Gi`. */
export function parseMinimumReclaimFlag(flag: string, text: string): Record<string, string> {
  return parseSignalMapFlag(flag, text, 'quantity');
}

/** One `signal: value` statement, checked; undefined when it turns the signal off (0%, 100%). */
export function parseThresholdStatement(
  name: string,
  text: string,
): { signal: Signal; value: ThresholdValue } | undefined {
  const signal = signalOf(name);
  const value = parseThresholdValue(signal, text);
  return value === undefined ? undefined : { signal, value };
}

/** One `signal: duration` grace period statement, checked. */
export function parseGracePeriodStatement(
  name: string,
  text: string,
): { signal: Signal; ms: number } {
  const signal = signalOf(name);
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    // parseDuration's message repeats the text; the signal is what helps here.
    throw new EvictionConfigError(`eviction grace period ${signal}: ${text} is not a duration`);
  }
  if (ms < 0) {
    throw new EvictionConfigError(
      `invalid eviction grace period specified: ${text}, must be a positive value`,
    );
  }
  return { signal, ms };
}

/** One `signal: amount` minimum reclaim statement (parseMinimumReclaims), checked. */
export function parseMinimumReclaimStatement(
  name: string,
  text: string,
): { signal: Signal; value: ThresholdValue } {
  const signal = signalOf(name);
  if (text.endsWith('%')) {
    const percent = Number(text.slice(0, -1));
    if (text.length === 1 || !Number.isFinite(percent)) {
      throw new EvictionConfigError(
        `eviction minimum reclaim ${signal}: ${text} is not a percentage`,
      );
    }
    if (percent <= 0) {
      throw new EvictionConfigError(
        `eviction percentage minimum reclaim ${signal} must be positive: ${text}`,
      );
    }
    return { signal, value: { percentage: percent / 100 } };
  }
  const parsed = ResourceQuantity.tryParse(text);
  if (!(parsed instanceof ResourceQuantity)) {
    throw new EvictionConfigError(`eviction minimum reclaim ${signal}: ${parsed.message}`);
  }
  if (parsed.sign() < 0) {
    throw new EvictionConfigError(`negative eviction minimum reclaim specified for ${signal}`);
  }
  return { signal, value: { quantity: parsed } };
}

export interface ThresholdStatements {
  readonly hard: Readonly<Record<string, string>>;
  readonly soft?: Readonly<Record<string, string>>;
  readonly softGracePeriod?: Readonly<Record<string, string>>;
  /** evictionMinimumReclaim: per signal, how far past its threshold it must recover. */
  readonly minimumReclaim?: Readonly<Record<string, string>>;
}

/**
 * ParseThresholdConfig: hard thresholds, then soft ones, each soft one with its grace period, and
 * every threshold of a signal with that signal's minimum reclaim.
 */
export function parseThresholds(statements: ThresholdStatements): Threshold[] {
  const thresholds: Threshold[] = [];
  for (const [name, text] of Object.entries(statements.hard)) {
    const parsed = parseThresholdStatement(name, text);
    if (parsed !== undefined) thresholds.push({ ...parsed, gracePeriodMs: 0 });
  }
  const graces = new Map<Signal, number>();
  for (const [name, text] of Object.entries(statements.softGracePeriod ?? {})) {
    const { signal, ms } = parseGracePeriodStatement(name, text);
    graces.set(signal, ms);
  }
  for (const [name, text] of Object.entries(statements.soft ?? {})) {
    const parsed = parseThresholdStatement(name, text);
    if (parsed === undefined) continue;
    const gracePeriodMs = graces.get(parsed.signal);
    if (gracePeriodMs === undefined) {
      throw new EvictionConfigError(
        `grace period must be specified for the soft eviction threshold ${parsed.signal}`,
      );
    }
    thresholds.push({ ...parsed, gracePeriodMs });
  }
  const minReclaims = new Map<Signal, ThresholdValue>();
  for (const [name, text] of Object.entries(statements.minimumReclaim ?? {})) {
    const { signal, value } = parseMinimumReclaimStatement(name, text);
    minReclaims.set(signal, value);
  }
  return thresholds.map((t) => {
    const minReclaim = minReclaims.get(t.signal);
    return minReclaim === undefined ? t : { ...t, minReclaim };
  });
}

/** The threshold as an amount of the signal's unit, given its capacity (GetThresholdQuantity). */
export function thresholdQuantity(value: ThresholdValue, capacity: number): number {
  if (value.quantity !== undefined) return value.quantity.value();
  // Truncated, as GetThresholdQuantity converts capacity × percentage to an int64.
  return Math.floor(value.percentage * capacity);
}

export function isHardThreshold(threshold: Threshold): boolean {
  return threshold.gracePeriodMs === 0;
}

/** A stable identity for a threshold (map keys, logs). */
export function thresholdKey(threshold: Threshold): string {
  const { signal, value, gracePeriodMs, minReclaim } = threshold;
  const amount = (v: ThresholdValue): string =>
    v.quantity !== undefined ? v.quantity.toString() : `${v.percentage * 100}%`;
  const reclaim = minReclaim === undefined ? '' : `+${amount(minReclaim)}`;
  return `${signal}<${amount(value)}${reclaim}@${gracePeriodMs}`;
}
