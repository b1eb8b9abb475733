// makeNamespace(): a Namespace named `test`.
import type { Namespace } from '../../types/index.js';
import { ObjectBuilder } from './object-builder.js';

export class NamespaceBuilder extends ObjectBuilder<Namespace> {
  constructor() {
    super({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } });
  }

  phase(phase: 'Active' | 'Terminating'): this {
    this.object.status = { ...this.object.status, phase };
    return this;
  }
}

export const makeNamespace = (): NamespaceBuilder => new NamespaceBuilder();
