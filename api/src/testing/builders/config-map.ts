// makeConfigMap(): a ConfigMap named `config` with no data until the chain adds some.
import type { ConfigMap } from '../../types/index.js';
import { ObjectBuilder } from './object-builder.js';

export class ConfigMapBuilder extends ObjectBuilder<ConfigMap> {
  constructor() {
    super({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' } });
  }

  /** Adds to (or overrides within) data. */
  data(data: Readonly<Record<string, string>>): this {
    this.object.data = { ...this.object.data, ...data };
    return this;
  }

  /** Adds to binaryData; values are base64, as on the wire. */
  binaryData(data: Readonly<Record<string, string>>): this {
    this.object.binaryData = { ...this.object.binaryData, ...data };
    return this;
  }

  immutable(immutable = true): this {
    this.object.immutable = immutable;
    return this;
  }
}

export const makeConfigMap = (): ConfigMapBuilder => new ConfigMapBuilder();
