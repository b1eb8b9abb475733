// PodTopologySpreadArgs (kubescheduler.config.k8s.io/v1): the cluster-default constraints for
// pods without their own. defaultingType System (the default) means Kubernetes' built-in
// defaults; List means exactly `defaultConstraints` (an empty list: no default spreading).
// Default constraints carry no labelSelector: each pod's is deduced from its Services and
// ReplicaSet.
import type { TopologySpreadConstraint } from '@skiff/api';
import {
  ConfigError,
  optionalArray,
  optionalInt,
  optionalString,
  strictObject,
} from '../framework/index.js';

export type DefaultingType = 'System' | 'List';

export interface PodTopologySpreadArgs {
  readonly defaultConstraints: readonly TopologySpreadConstraint[];
  readonly defaultingType: DefaultingType;
}

/** Kubernetes' systemDefaultConstraints: spread by node (skew 3) and by zone (skew 5), softly. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

const WHEN: readonly TopologySpreadConstraint['whenUnsatisfiable'][] = [
  'DoNotSchedule',
  'ScheduleAnyway',
];

/** The args from the config, defaulted and validated (field paths from `args`). */
export function decodePodTopologySpreadArgs(raw: unknown): PodTopologySpreadArgs {
  const args = strictObject(raw, '', ['defaultConstraints', 'defaultingType']);
  const type = optionalString(args?.['defaultingType'], 'defaultingType') ?? 'System';
  if (type !== 'System' && type !== 'List') {
    throw new ConfigError(
      'defaultingType',
      `Unsupported value: ${JSON.stringify(type)}: supported values: "List", "System"`,
    );
  }
  const list = optionalArray(args?.['defaultConstraints'], 'defaultConstraints') ?? [];
  if (type === 'System' && list.length > 0) {
    throw new ConfigError(
      'defaultingType',
      'Invalid value: "System": when .defaultConstraints are not empty',
    );
  }
  const seen = new Set<string>();
  const constraints = list.map((item, i) => {
    const at = `defaultConstraints[${i}]`;
    const c = strictObject(item, at, [
      'maxSkew',
      'topologyKey',
      'whenUnsatisfiable',
      'labelSelector',
      'minDomains',
      'nodeAffinityPolicy',
      'nodeTaintsPolicy',
      'matchLabelKeys',
    ]);
    if (c?.['labelSelector'] !== undefined) {
      throw new ConfigError(
        `${at}.labelSelector`,
        'Forbidden: constraint must not define a selector, as they deduced for each pod',
      );
    }
    const maxSkew = optionalInt(c?.['maxSkew'], `${at}.maxSkew`, 1, 2 ** 31 - 1);
    if (maxSkew === undefined) {
      throw new ConfigError(`${at}.maxSkew`, 'Invalid value: 0: must be greater than zero');
    }
    const topologyKey = optionalString(c?.['topologyKey'], `${at}.topologyKey`);
    if (!topologyKey)
      throw new ConfigError(`${at}.topologyKey`, 'Required value: can not be empty');
    const when = optionalString(c?.['whenUnsatisfiable'], `${at}.whenUnsatisfiable`) ?? '';
    const whenUnsatisfiable = WHEN.find((w) => w === when);
    if (!whenUnsatisfiable) {
      throw new ConfigError(
        `${at}.whenUnsatisfiable`,
        `Unsupported value: ${JSON.stringify(when)}: supported values: "DoNotSchedule", "ScheduleAnyway"`,
      );
    }
    const key = `${topologyKey}\0${whenUnsatisfiable}`;
    if (seen.has(key)) {
      throw new ConfigError(at, `Duplicate value: {"${topologyKey}", "${whenUnsatisfiable}"}`);
    }
    seen.add(key);
    return { maxSkew, topologyKey, whenUnsatisfiable };
  });
  return {
    defaultConstraints: type === 'System' ? SYSTEM_DEFAULT_CONSTRAINTS : constraints,
    defaultingType: type,
  };
}
