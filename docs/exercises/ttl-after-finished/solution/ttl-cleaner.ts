// Reference solution. The reconcile works out, from the Task as it is now, when it expires; if
// that is in the past it deletes the Task, otherwise it asks to be called again right then with
// requeueAfter — no timers of its own, no polling, and a TTL edited in the meantime simply
// gives a different answer on the next pass (the edit itself triggers one).
import { controllerFor, isNotFound, type Manager, type Request, type Result } from '@skiff/client';
import { taskKind, type Task } from '../contract.js';

/** When the task may be deleted (ms since the epoch), or undefined if never. */
export function expiresAt(task: Readonly<Task>): number | undefined {
  const ttlSeconds = task.spec.ttlSecondsAfterFinished;
  const { phase, completionTime } = task.status ?? {};
  if (ttlSeconds === undefined || (phase !== 'Succeeded' && phase !== 'Failed')) return undefined;
  const finishedAt = completionTime ? Date.parse(completionTime) : NaN;
  // Finished without a (valid) completion time: nothing to count from; a later status update
  // that sets it brings the task back here.
  if (Number.isNaN(finishedAt)) return undefined;
  return finishedAt + ttlSeconds * 1000;
}

export function addTtlCleaner(manager: Manager): void {
  const tasks = manager.informers.forResource<Task>(taskKind).lister();

  controllerFor(manager)
    .named('ttl-after-finished')
    .for(taskKind)
    .complete(async ({ namespace = '', name }: Request): Promise<Result> => {
      const task = tasks.get(namespace, name);
      if (!task || task.metadata.deletionTimestamp) return {};
      const expiry = expiresAt(task);
      if (expiry === undefined) return {};
      const remaining = expiry - manager.clock.now();
      if (remaining > 0) return { requeueAfter: remaining };
      try {
        // The uid precondition: delete *this* task, not a new one created under the same name
        // since our cache saw it.
        await manager.client
          .resource<Task>(taskKind, namespace)
          .delete(name, { preconditions: { uid: task.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return {};
    });
}
