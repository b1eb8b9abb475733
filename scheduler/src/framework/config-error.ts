// A bad KubeSchedulerConfiguration (or plugin args) is refused at start with the field path of
// what is wrong, in Kubernetes' shape: `profiles[0].plugins.score.enabled[1].weight: Invalid
// value: 0: …`. Plugin factories throw this for their args; the profile loader prefixes the path.

export class ConfigError extends Error {
  constructor(
    /** Field path from the args (or config) root, e.g. `scoringStrategy.type`. */
    readonly field: string,
    readonly detail: string,
  ) {
    super(field ? `${field}: ${detail}` : detail);
    this.name = 'ConfigError';
  }

  /** The same error, with `prefix` in front of its path. */
  under(prefix: string): ConfigError {
    return new ConfigError(this.field ? `${prefix}.${this.field}` : prefix, this.detail);
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

/** `value` as an object with only `allowed` keys; undefined stays undefined. */
export function strictObject(
  value: unknown,
  path: string,
  allowed: readonly string[],
): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(path, `Invalid value: ${JSON.stringify(value)}: must be an object`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(path ? `${path}.${key}` : key, 'Invalid value: unknown field');
    }
  }
  return value as JsonObject;
}

export function optionalArray(value: unknown, path: string): readonly unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new ConfigError(path, `Invalid value: ${JSON.stringify(value)}: must be a list`);
  }
  return value as unknown[];
}

export function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ConfigError(path, `Invalid value: ${JSON.stringify(value)}: must be a string`);
  }
  return value;
}

/** An integer within [min, max], or undefined. */
export function optionalInt(
  value: unknown,
  path: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      path,
      `Invalid value: ${JSON.stringify(value)}: must be an integer in the range [${min}, ${max}]`,
    );
  }
  return value;
}
