// `--config`: a KubeletConfiguration (kubelet.config.k8s.io/v1beta1) document, decoded strictly.
// Only the fields this kubelet honours are accepted; any other field — unknown to Kubernetes, or
// known but not implemented here — is refused with its path rather than silently ignored, and a
// value of the wrong type names its field (`KubeletConfiguration.maxPods: Invalid value: …`).
// Durations are Go duration strings ("10s", "1m30s"), as metav1.Duration serializes them.
import { errorMessage, parseDuration, type Taint } from '@skiff/api';
import {
  parseGracePeriodStatement,
  parseMinimumReclaimStatement,
  parseThresholdStatement,
} from '../eviction/thresholds.js';
import { DEFAULT_IMAGE_GC_POLICY } from '../images/image-gc-manager.js';

export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';
export const KUBELET_CONFIG_KIND = 'KubeletConfiguration';

/** What a KubeletConfiguration sets; a field the file leaves out is undefined. */
export interface KubeletConfiguration {
  readonly address?: string;
  readonly port?: number;
  readonly readOnlyPort?: number;
  readonly containerRuntimeEndpoint?: string;
  readonly podLogsDir?: string;
  readonly maxPods?: number;
  readonly clusterDNS?: readonly string[];
  readonly clusterDomain?: string;
  readonly resolvConf?: string;
  readonly registerWithTaints?: readonly Taint[];
  readonly syncFrequencyMs?: number;
  readonly nodeStatusUpdateFrequencyMs?: number;
  readonly nodeStatusReportFrequencyMs?: number;
  readonly nodeLeaseDurationSeconds?: number;
  readonly staticPodPath?: string;
  readonly fileCheckFrequencyMs?: number;
  /** Signal → threshold (`memory.available: 100Mi`); replaces the defaults whole. */
  readonly evictionHard?: Readonly<Record<string, string>>;
  readonly evictionSoft?: Readonly<Record<string, string>>;
  readonly evictionSoftGracePeriod?: Readonly<Record<string, string>>;
  readonly evictionPressureTransitionPeriodMs?: number;
  readonly evictionMaxPodGracePeriod?: number;
  /** Signal → how far past its threshold it must recover (`nodefs.available: 500Mi`). */
  readonly evictionMinimumReclaim?: Readonly<Record<string, string>>;
  /** Disk use (percent) of the image filesystem that starts image GC (85). */
  readonly imageGCHighThresholdPercent?: number;
  /** Disk use (percent) image GC frees down to (80). */
  readonly imageGCLowThresholdPercent?: number;
  /** Images seen more recently than this are never collected (2 min). */
  readonly imageMinimumGCAgeMs?: number;
  /** Only cgroupfs: the kubelet leaves cgroup placement to the runtime's cgroupfs hierarchy. */
  readonly cgroupDriver?: 'cgroupfs';
  /** A second listener serving only /healthz (Kubernetes: 10248 on 127.0.0.1); 0 turns it off. */
  readonly healthzPort?: number;
  readonly healthzBindAddress?: string;
}

export class KubeletConfigurationError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${KUBELET_CONFIG_KIND}${field === '' ? '' : `.${field}`}: ${detail}`);
    this.name = 'KubeletConfigurationError';
  }
}

type Fields = Record<string, unknown>;
type Decoder<T> = (value: unknown, field: string) => T;

const invalid = (field: string, value: unknown, why: string): KubeletConfigurationError =>
  new KubeletConfigurationError(field, `Invalid value: ${JSON.stringify(value)}: ${why}`);

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const string: Decoder<string> = (value, field) => {
  if (typeof value !== 'string') throw invalid(field, value, 'must be a string');
  return value;
};

const int32: Decoder<number> = (value, field) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(field, value, 'must be an integer');
  }
  if (value < 0 || value > 2 ** 31 - 1) throw invalid(field, value, 'must not be negative');
  return value;
};

const port: Decoder<number> = (value, field) => {
  const n = int32(value, field);
  if (n > 65535) throw invalid(field, value, 'must be between 0 and 65535, inclusive');
  return n;
};

const positiveInt: Decoder<number> = (value, field) => {
  const n = int32(value, field);
  if (n < 1) throw invalid(field, value, 'must be greater than 0');
  return n;
};

/** A metav1.Duration: a Go duration string, here more than zero. */
const duration: Decoder<number> = (value, field) => {
  const text = string(value, field);
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    // parseDuration's own message repeats the text; the field path is what helps here.
    throw invalid(field, value, 'not a duration (e.g. "10s", "1m30s")');
  }
  if (ms <= 0) throw invalid(field, value, 'must be greater than 0');
  return ms;
};

/** A metav1.Duration that may be zero (a period that can be turned off). */
const nonNegativeDuration: Decoder<number> = (value, field) => {
  if (value === '0' || value === '0s') return 0;
  return duration(value, field);
};

/** A map of signal → statement, each checked with `check` (which throws its own reason). */
function signalMap(check: (signal: string, text: string) => void): Decoder<Record<string, string>> {
  return (value, field) => {
    if (!isObject(value)) throw invalid(field, value, 'must be a map of eviction signal to value');
    const result: Record<string, string> = {};
    for (const [signal, text] of Object.entries(value)) {
      const path = `${field}[${signal}]`;
      const statement = string(text, path);
      try {
        check(signal, statement);
      } catch (err) {
        throw invalid(path, statement, err instanceof Error ? err.message : String(err));
      }
      result[signal] = statement;
    }
    return result;
  };
}

const CGROUP_DRIVERS = ['cgroupfs'] as const;

const cgroupDriver: Decoder<'cgroupfs'> = (value, field) => {
  const text = string(value, field);
  const driver = CGROUP_DRIVERS.find((d) => d === text);
  if (driver === undefined) {
    throw new KubeletConfigurationError(
      field,
      `Unsupported value: ${JSON.stringify(text)}: supported values: "cgroupfs" (skiff kubelet ` +
        'creates no cgroups of its own: pods go where the runtime puts them, in its cgroupfs ' +
        'hierarchy; a runtime on the systemd cgroup driver is not supported)',
    );
  }
  return driver;
};

const stringList: Decoder<string[]> = (value, field) => {
  if (!Array.isArray(value)) throw invalid(field, value, 'must be a list of strings');
  return value.map((item, i) => string(item, `${field}[${i}]`));
};

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

const taints: Decoder<Taint[]> = (value, field) => {
  if (!Array.isArray(value)) throw invalid(field, value, 'must be a list of taints');
  return value.map((item, i) => {
    const path = `${field}[${i}]`;
    if (!isObject(item)) throw invalid(path, item, 'must be a taint');
    refuseUnknown(item, ['key', 'value', 'effect'], path);
    const key = string(item['key'], `${path}.key`);
    if (key === '') throw new KubeletConfigurationError(`${path}.key`, 'Required value');
    const effectValue = string(item['effect'], `${path}.effect`);
    const effect = TAINT_EFFECTS.find((e) => e === effectValue);
    if (effect === undefined) {
      throw new KubeletConfigurationError(
        `${path}.effect`,
        `Unsupported value: ${JSON.stringify(effectValue)}: supported values: ${TAINT_EFFECTS.map((e) => `"${e}"`).join(', ')}`,
      );
    }
    const taintValue =
      item['value'] === undefined ? undefined : string(item['value'], `${path}.value`);
    return { key, ...(taintValue !== undefined && { value: taintValue }), effect };
  });
};

/**
 * The accepted fields: each with its decoder and the KubeletConfiguration property it fills.
 * readOnlyPort is accepted only as 0 (this kubelet serves no read-only port).
 */
const FIELDS: Readonly<Record<string, readonly [keyof KubeletConfiguration, Decoder<unknown>]>> = {
  address: ['address', string],
  port: ['port', port],
  readOnlyPort: [
    'readOnlyPort',
    (value, field) => {
      if (port(value, field) !== 0) {
        throw invalid(field, value, 'skiff kubelet serves no read-only port; only 0 is supported');
      }
      return 0;
    },
  ],
  containerRuntimeEndpoint: ['containerRuntimeEndpoint', string],
  podLogsDir: ['podLogsDir', string],
  maxPods: ['maxPods', positiveInt],
  clusterDNS: ['clusterDNS', stringList],
  clusterDomain: ['clusterDomain', string],
  resolvConf: ['resolvConf', string],
  registerWithTaints: ['registerWithTaints', taints],
  syncFrequency: ['syncFrequencyMs', duration],
  nodeStatusUpdateFrequency: ['nodeStatusUpdateFrequencyMs', duration],
  nodeStatusReportFrequency: ['nodeStatusReportFrequencyMs', duration],
  nodeLeaseDurationSeconds: ['nodeLeaseDurationSeconds', positiveInt],
  staticPodPath: ['staticPodPath', string],
  fileCheckFrequency: ['fileCheckFrequencyMs', duration],
  evictionHard: ['evictionHard', signalMap(parseThresholdStatement)],
  evictionSoft: ['evictionSoft', signalMap(parseThresholdStatement)],
  evictionSoftGracePeriod: ['evictionSoftGracePeriod', signalMap(parseGracePeriodStatement)],
  evictionPressureTransitionPeriod: ['evictionPressureTransitionPeriodMs', nonNegativeDuration],
  evictionMaxPodGracePeriod: ['evictionMaxPodGracePeriod', int32],
  evictionMinimumReclaim: ['evictionMinimumReclaim', signalMap(parseMinimumReclaimStatement)],
  imageGCHighThresholdPercent: ['imageGCHighThresholdPercent', int32],
  imageGCLowThresholdPercent: ['imageGCLowThresholdPercent', int32],
  imageMinimumGCAge: ['imageMinimumGCAgeMs', nonNegativeDuration],
  cgroupDriver: ['cgroupDriver', cgroupDriver],
  healthzPort: ['healthzPort', port],
  healthzBindAddress: ['healthzBindAddress', string],
};

function refuseUnknown(object: Fields, known: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new KubeletConfigurationError(
        path === '' ? key : `${path}.${key}`,
        'unknown field (or a field skiff kubelet does not implement)',
      );
    }
  }
}

/**
 * The kubelet's checks of the image GC thresholds (ValidateKubeletConfiguration), with its
 * messages; `high`/`low` as set by the file or the flags, the defaults (85, 80) for the other.
 */
export function validateImageGCThresholds(high?: number, low?: number): void {
  const h = high ?? DEFAULT_IMAGE_GC_POLICY.highThresholdPercent;
  const l = low ?? DEFAULT_IMAGE_GC_POLICY.lowThresholdPercent;
  if (h < 0 || h > 100) {
    throw new Error(
      `invalid configuration: imageGCHighThresholdPercent (--image-gc-high-threshold) ${h} must be between 0 and 100, inclusive`,
    );
  }
  if (l < 0 || l > 100) {
    throw new Error(
      `invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${l} must be between 0 and 100, inclusive`,
    );
  }
  if (l >= h) {
    throw new Error(
      `invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) ${l} must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) ${h}`,
    );
  }
}

/** Decodes a parsed YAML/JSON document; throws a KubeletConfigurationError naming the field. */
export function decodeKubeletConfiguration(doc: unknown): KubeletConfiguration {
  if (!isObject(doc)) {
    throw new KubeletConfigurationError('', 'Invalid value: the file must hold one object');
  }
  if (doc['kind'] !== KUBELET_CONFIG_KIND) {
    throw new KubeletConfigurationError(
      'kind',
      `Unsupported value: ${JSON.stringify(doc['kind'])}: supported values: "${KUBELET_CONFIG_KIND}"`,
    );
  }
  if (doc['apiVersion'] !== KUBELET_CONFIG_API_VERSION) {
    throw new KubeletConfigurationError(
      'apiVersion',
      `Unsupported value: ${JSON.stringify(doc['apiVersion'])}: supported values: "${KUBELET_CONFIG_API_VERSION}"`,
    );
  }
  refuseUnknown(doc, ['apiVersion', 'kind', ...Object.keys(FIELDS)], '');
  const config: Record<string, unknown> = {};
  for (const [name, [property, decode]] of Object.entries(FIELDS)) {
    // null is how YAML writes "left out" (`maxPods:`), as Go's decoder treats it.
    if (doc[name] !== undefined && doc[name] !== null) config[property] = decode(doc[name], name);
  }
  const decoded: KubeletConfiguration = config;
  try {
    validateImageGCThresholds(
      decoded.imageGCHighThresholdPercent,
      decoded.imageGCLowThresholdPercent,
    );
  } catch (err) {
    throw new KubeletConfigurationError('imageGCLowThresholdPercent', errorMessage(err));
  }
  return decoded;
}
