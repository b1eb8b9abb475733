// Step 1: a controller that only looks. It is told the *name* of a Website that may need work,
// reads the Website's current state from the cache and says what it sees. Try: create, edit
// and delete a Website and watch the requests arrive (several quick edits may arrive as one).
//
//   node --conditions=source --import tsx docs/tutorial/steps/01-hello-reconcile.ts
import { controllerFor, type Manager, type Request, type Result } from '@skiff/client';
import { isMain, runStep, websiteKind, type Website } from './website.js';

export function setupHello(manager: Manager, say: (line: string) => void = console.log): void {
  // The manager's shared cache of Websites; the builder's for() below uses this same informer.
  const websites = manager.informers.forResource<Website>(websiteKind).lister();

  controllerFor(manager)
    .for(websiteKind)
    .complete(async ({ namespace, name }: Request): Promise<Result> => {
      const site = websites.get(namespace ?? '', name);
      if (!site) {
        // Not in the cache: it was deleted. There is no "delete event" to handle — only a state.
        say(`${namespace}/${name}: gone`);
        return {};
      }
      say(
        `${namespace}/${name}: wants ${site.spec.replicas} × ${site.spec.image} on port ${site.spec.port}`,
      );
      return {};
    });
}

if (isMain(import.meta.url)) await runStep('01-hello', (manager) => setupHello(manager));
