// Exercise: a ConfigMap replicator. Read ../README.md, then make ../replicator.test.ts pass:
//
//   npx -y pnpm@10 exercise configmap-replicator
//
// This starter compiles and runs, and does nothing useful: the controller below is told about
// every ConfigMap and ignores it. Replace the TODOs.
import { controllerFor, type Manager, type Request, type Result } from '@skiff/client';
import type { ReplicatorOptions } from '../contract.js';

export function addReplicator(manager: Manager, options: ReplicatorOptions): void {
  // The caches you will need (shared with the builder's watches).
  const configMaps = manager.informers.core.v1.configMaps().lister();
  const namespaces = manager.informers.core.v1.namespaces().lister();
  void configMaps;
  void namespaces;

  controllerFor(manager)
    .named('configmap-replicator')
    .for('configMaps')
    // TODO: which other changes must wake a source ConfigMap's reconcile? (.watches(kind, map))
    .complete(async (request: Request): Promise<Result> => {
      // TODO: requests arrive for ConfigMaps in every namespace; decide what a request means,
      // read the current state from the caches and make the copies match it.
      void request;
      void options;
      return {};
    });
}
