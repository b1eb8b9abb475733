// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) → what the scheduler runs with.
// Decoding is strict, as kube-scheduler's: an unknown field, an unknown plugin, a plugin enabled
// at an extension point it does not implement, or a bad weight is refused before anything
// starts, with the field path (`profiles[0].plugins.score.enabled[1].weight: Invalid value: …`).
//
// Plugin sets merge as Kubernetes': the defaults (multiPoint), minus what `disabled` names (`*`
// disables all defaults), plus `enabled` (a default named again keeps its place, with the new
// weight; others are appended); an extension point's own lists then apply to what multiPoint
// gave that point.
import {
  ConfigError,
  optionalArray,
  optionalInt,
  optionalString,
  strictObject,
  type JsonObject,
} from '../framework/index.js';
import {
  DEFAULT_MULTI_POINT,
  DEFAULT_SCHEDULER_NAME,
  EXTENSION_POINTS,
  type ExtensionPoint,
  type PluginRef,
} from './defaults.js';
import { parsePositiveDuration } from './duration.js';

export const API_VERSION = 'kubescheduler.config.k8s.io/v1';
export const KIND = 'KubeSchedulerConfiguration';

export interface LeaderElectionConfig {
  readonly leaderElect: boolean;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly resourceNamespace: string;
  readonly resourceName: string;
}

/** One plugin at one extension point, with where in the config it came from. */
export interface PointPlugin extends PluginRef {
  readonly path: string;
}

export interface ProfileConfig {
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number | undefined;
  /** multiPoint entries (each goes to every point its plugin implements). */
  readonly multiPoint: readonly PointPlugin[];
  /** Per extension point: explicit entries, and whether multiPoint plugins were disabled there. */
  readonly points: Readonly<Record<ExtensionPoint, PointOverrides>>;
  readonly pluginArgs: ReadonlyMap<string, { readonly args: unknown; readonly path: string }>;
  readonly path: string;
}

export interface PointOverrides {
  readonly enabled: readonly PointPlugin[];
  readonly disabled: ReadonlySet<string>;
}

export interface SchedulerConfig {
  readonly profiles: readonly ProfileConfig[];
  readonly percentageOfNodesToScore: number | undefined;
  readonly podInitialBackoffMs: number;
  readonly podMaxBackoffMs: number;
  readonly leaderElection: LeaderElectionConfig;
}

const TOP_LEVEL_FIELDS = [
  'apiVersion',
  'kind',
  'parallelism',
  'leaderElection',
  'clientConnection',
  'healthzBindAddress',
  'metricsBindAddress',
  'enableProfiling',
  'enableContentionProfiling',
  'percentageOfNodesToScore',
  'podInitialBackoffSeconds',
  'podMaxBackoffSeconds',
  'profiles',
  'extenders',
  'delayCacheUntilActive',
] as const;

const LEADER_ELECTION_FIELDS = [
  'leaderElect',
  'leaseDuration',
  'renewDeadline',
  'retryPeriod',
  'resourceLock',
  'resourceName',
  'resourceNamespace',
] as const;

const PLUGINS_FIELDS = ['preEnqueue', 'multiPoint', ...EXTENSION_POINTS] as const;

export const DEFAULT_LEADER_ELECTION: LeaderElectionConfig = {
  leaderElect: true,
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  resourceNamespace: 'kube-system',
  resourceName: 'kube-scheduler',
};

/** The configuration with no file: one `default-scheduler` profile with the default plugins. */
export function defaultSchedulerConfig(): SchedulerConfig {
  return decodeSchedulerConfig({ apiVersion: API_VERSION, kind: KIND });
}

/** Decodes and validates a parsed config document; throws ConfigError with the field path. */
export function decodeSchedulerConfig(raw: unknown): SchedulerConfig {
  const doc = strictObject(raw, '', TOP_LEVEL_FIELDS) ?? {};
  if (doc['apiVersion'] !== API_VERSION) {
    throw new ConfigError(
      'apiVersion',
      `Unsupported value: ${JSON.stringify(doc['apiVersion'])}: supported values: "${API_VERSION}"`,
    );
  }
  if (doc['kind'] !== KIND) {
    throw new ConfigError(
      'kind',
      `Unsupported value: ${JSON.stringify(doc['kind'])}: supported values: "${KIND}"`,
    );
  }
  const percentage = optionalInt(
    doc['percentageOfNodesToScore'],
    'percentageOfNodesToScore',
    0,
    100,
  );
  const initial =
    optionalInt(doc['podInitialBackoffSeconds'], 'podInitialBackoffSeconds', 1, 86_400) ?? 1;
  const max = optionalInt(doc['podMaxBackoffSeconds'], 'podMaxBackoffSeconds', 1, 86_400) ?? 10;
  if (max < initial) {
    throw new ConfigError(
      'podMaxBackoffSeconds',
      `Invalid value: ${max}: must be greater than or equal to podInitialBackoffSeconds`,
    );
  }
  const rawProfiles = optionalArray(doc['profiles'], 'profiles') ?? [{}];
  const profiles = (rawProfiles.length > 0 ? rawProfiles : [{}]).map((p, i) =>
    decodeProfile(p, `profiles[${i}]`),
  );
  const names = new Set<string>();
  profiles.forEach((p, i) => {
    if (names.has(p.schedulerName)) {
      throw new ConfigError(
        `profiles[${i}].schedulerName`,
        `Duplicate value: ${JSON.stringify(p.schedulerName)}`,
      );
    }
    names.add(p.schedulerName);
  });
  return {
    profiles,
    percentageOfNodesToScore: percentage,
    podInitialBackoffMs: initial * 1000,
    podMaxBackoffMs: max * 1000,
    leaderElection: decodeLeaderElection(doc['leaderElection']),
  };
}

function decodeLeaderElection(raw: unknown): LeaderElectionConfig {
  const o = strictObject(raw, 'leaderElection', LEADER_ELECTION_FIELDS);
  if (!o) return DEFAULT_LEADER_ELECTION;
  const leaderElect = o['leaderElect'];
  if (leaderElect !== undefined && typeof leaderElect !== 'boolean') {
    throw new ConfigError(
      'leaderElection.leaderElect',
      `Invalid value: ${JSON.stringify(leaderElect)}: must be a boolean`,
    );
  }
  const lock = optionalString(o['resourceLock'], 'leaderElection.resourceLock');
  if (lock !== undefined && lock !== 'leases') {
    throw new ConfigError(
      'leaderElection.resourceLock',
      `Unsupported value: ${JSON.stringify(lock)}: supported values: "leases"`,
    );
  }
  const duration = (
    field: 'leaseDuration' | 'renewDeadline' | 'retryPeriod',
    fallback: number,
  ): number =>
    o[field] === undefined ? fallback : parsePositiveDuration(o[field], `leaderElection.${field}`);
  const d = DEFAULT_LEADER_ELECTION;
  return {
    leaderElect: leaderElect ?? d.leaderElect,
    leaseDurationMs: duration('leaseDuration', d.leaseDurationMs),
    renewDeadlineMs: duration('renewDeadline', d.renewDeadlineMs),
    retryPeriodMs: duration('retryPeriod', d.retryPeriodMs),
    resourceNamespace:
      optionalString(o['resourceNamespace'], 'leaderElection.resourceNamespace') ??
      d.resourceNamespace,
    resourceName:
      optionalString(o['resourceName'], 'leaderElection.resourceName') ?? d.resourceName,
  };
}

function decodeProfile(raw: unknown, path: string): ProfileConfig {
  const o =
    strictObject(raw, path, [
      'schedulerName',
      'percentageOfNodesToScore',
      'plugins',
      'pluginConfig',
    ]) ?? {};
  const schedulerName =
    optionalString(o['schedulerName'], `${path}.schedulerName`) ?? DEFAULT_SCHEDULER_NAME;
  if (schedulerName === '') throw new ConfigError(`${path}.schedulerName`, 'Required value');
  const plugins = strictObject(o['plugins'], `${path}.plugins`, PLUGINS_FIELDS) ?? {};
  const multi = decodeSet(plugins['multiPoint'], `${path}.plugins.multiPoint`);
  const points = {} as Record<ExtensionPoint, PointOverrides>;
  for (const point of EXTENSION_POINTS)
    points[point] = decodeSet(plugins[point], `${path}.plugins.${point}`);
  const defaults: PointPlugin[] = DEFAULT_MULTI_POINT.map((p) => ({
    ...p,
    path: `${path}.plugins.multiPoint (default)`,
  }));
  return {
    schedulerName,
    percentageOfNodesToScore: optionalInt(
      o['percentageOfNodesToScore'],
      `${path}.percentageOfNodesToScore`,
      0,
      100,
    ),
    multiPoint: mergeSet(defaults, multi),
    points,
    pluginArgs: decodePluginConfig(o['pluginConfig'], `${path}.pluginConfig`),
    path,
  };
}

interface DecodedSet {
  readonly enabled: PointPlugin[];
  readonly disabled: Set<string>;
}

function decodeSet(raw: unknown, path: string): DecodedSet {
  const o = strictObject(raw, path, ['enabled', 'disabled']) ?? {};
  const enabled = (optionalArray(o['enabled'], `${path}.enabled`) ?? []).map((e, i) => {
    const at = `${path}.enabled[${i}]`;
    const entry = strictObject(e, at, ['name', 'weight']) ?? {};
    const name = optionalString(entry['name'], `${at}.name`);
    if (!name) throw new ConfigError(`${at}.name`, 'Required value');
    const weight = entry['weight'];
    if (
      weight !== undefined &&
      (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 100)
    ) {
      throw new ConfigError(
        `${at}.weight`,
        `Invalid value: ${JSON.stringify(weight)}: must be an integer in the range [1, 100]`,
      );
    }
    return { name, weight: typeof weight === 'number' ? weight : 0, path: at };
  });
  const disabled = new Set(
    (optionalArray(o['disabled'], `${path}.disabled`) ?? []).map((e, i) => {
      const at = `${path}.disabled[${i}]`;
      const entry = strictObject(e, at, ['name', 'weight']) ?? {};
      const name = optionalString(entry['name'], `${at}.name`);
      if (!name) throw new ConfigError(`${at}.name`, 'Required value');
      return name;
    }),
  );
  return { enabled, disabled };
}

/** Defaults minus disabled, enabled merged in: a default named again keeps its position. */
export function mergeSet(defaults: readonly PointPlugin[], set: DecodedSet): PointPlugin[] {
  const kept = set.disabled.has('*') ? [] : defaults.filter((p) => !set.disabled.has(p.name));
  const result = [...kept];
  for (const e of set.enabled) {
    const at = result.findIndex((p) => p.name === e.name);
    if (at >= 0) result[at] = e;
    else result.push(e);
  }
  return result;
}

function decodePluginConfig(
  raw: unknown,
  path: string,
): Map<string, { args: unknown; path: string }> {
  const map = new Map<string, { args: unknown; path: string }>();
  (optionalArray(raw, path) ?? []).forEach((e, i) => {
    const at = `${path}[${i}]`;
    const entry: JsonObject = strictObject(e, at, ['name', 'args']) ?? {};
    const name = optionalString(entry['name'], `${at}.name`);
    if (!name) throw new ConfigError(`${at}.name`, 'Required value');
    if (map.has(name))
      throw new ConfigError(`${at}.name`, `Duplicate value: ${JSON.stringify(name)}`);
    map.set(name, { args: typedArgs(entry['args'], name, `${at}.args`), path: `${at}.args` });
  });
  return map;
}

/**
 * Plugin args may name their type, as in Kubernetes' documents (`apiVersion:
 * kubescheduler.config.k8s.io/v1`, `kind: <Plugin>Args`): checked, then left out of what the
 * plugin decodes.
 */
function typedArgs(args: unknown, plugin: string, path: string): unknown {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args;
  const { apiVersion, kind, ...rest } = args as JsonObject;
  if (apiVersion !== undefined && apiVersion !== API_VERSION) {
    throw new ConfigError(
      `${path}.apiVersion`,
      `Unsupported value: ${JSON.stringify(apiVersion)}: supported values: "${API_VERSION}"`,
    );
  }
  if (kind !== undefined && kind !== `${plugin}Args`) {
    throw new ConfigError(
      `${path}.kind`,
      `Unsupported value: ${JSON.stringify(kind)}: supported values: "${plugin}Args"`,
    );
  }
  return rest;
}
