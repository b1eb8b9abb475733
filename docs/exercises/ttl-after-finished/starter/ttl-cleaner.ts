// Exercise: a TTL-after-finished cleaner. Read ../README.md, then make ../ttl-cleaner.test.ts
// pass:
//
//   npx -y pnpm@10 exercise ttl-after-finished
//
// This starter compiles and runs, and does nothing useful: it looks at each Task and leaves it.
import { controllerFor, type Manager, type Request, type Result } from '@skiff/client';
import { taskKind, type Task } from '../contract.js';

export function addTtlCleaner(manager: Manager): void {
  const tasks = manager.informers.forResource<Task>(taskKind).lister();

  controllerFor(manager)
    .named('ttl-after-finished')
    .for(taskKind)
    .complete(async ({ namespace = '', name }: Request): Promise<Result> => {
      const task = tasks.get(namespace, name);
      // TODO: is the task finished, and does it have a TTL? When does it expire, by
      // manager.clock? Delete it when it has; otherwise come back exactly when it will.
      void task;
      return {};
    });
}
