// Admission, as Kubernetes splits it: mutating plugins may change the object on its way in,
// validating plugins may only refuse it (by throwing an ApiError). Both see the same attributes.
import type { KindInfo } from '@skiff/api';
import type { ApiObject } from '../registry/api-object.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  readonly operation: Operation;
  readonly kind: KindInfo;
  readonly subresource: string | undefined;
  readonly namespace: string | undefined;
  readonly name: string;
  /** The incoming object (CREATE/UPDATE); mutating plugins change it in place. */
  readonly object: ApiObject | undefined;
  /** The stored object (UPDATE/DELETE). */
  readonly oldObject: ApiObject | undefined;
  readonly dryRun: boolean;
}

export interface MutatingAdmissionPlugin {
  readonly name: string;
  admit(attrs: AdmissionAttributes): void | Promise<void>;
}

export interface ValidatingAdmissionPlugin {
  readonly name: string;
  validate(attrs: AdmissionAttributes): void | Promise<void>;
}
