// What the tests and your code agree on. Do not change this file.
import type { ObjectMeta } from '@skiff/api';
import type { CustomKind, Manager } from '@skiff/client';

export interface Task {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    command?: string;
    /** Delete the Task this many seconds after it finished; absent: keep it forever. */
    ttlSecondsAfterFinished?: number;
  };
  status?: {
    /** Succeeded and Failed are finished. */
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
    /** When it finished (RFC 3339), set together with a finished phase. */
    completionTime?: string;
  };
}

export const taskKind = {
  group: 'exercises.skiff.dev',
  version: 'v1',
  resource: 'tasks',
  kind: 'Task',
} as const satisfies CustomKind;

export const TASK_CRD = new URL('./task-crd.yaml', import.meta.url);

/** Registers the cleaner's controller with `manager`; time is `manager.clock`. */
export type AddTtlCleaner = (manager: Manager) => void;
