// Runs admission plugins in order. Mutating plugins all run before any validating one, so a
// validator always judges the object that will be stored.
import type {
  AdmissionAttributes,
  MutatingAdmissionPlugin,
  ValidatingAdmissionPlugin,
} from './types.js';

export class AdmissionChain {
  constructor(
    private readonly mutating: readonly MutatingAdmissionPlugin[],
    private readonly validating: readonly ValidatingAdmissionPlugin[],
  ) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.mutating) await plugin.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.validating) await plugin.validate(attrs);
  }
}
