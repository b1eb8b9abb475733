// Step 5: clean up what owner references cannot reach. Each Website gets an entry in a shared
// "directory" ConfigMap (default/website-directory: `<namespace>.<name>` → URL). That ConfigMap
// is not the Website's child — it lists every site, and it lives in another namespace — so the
// garbage collector will never tidy it. A finalizer makes deletion wait for us: the apiserver
// only marks the Website (metadata.deletionTimestamp) until every finalizer is removed, and we
// remove ours after removing the entry. This is the complete controller.
//
//   node --conditions=source --import tsx docs/tutorial/steps/05-finalizer.ts
import type { ConfigMap } from '@skiff/api';
import {
  clone,
  controllerFor,
  hasFinalizer,
  isConflict,
  isNotFound,
  withFinalizer,
  withoutFinalizer,
  type Client,
  type Controller,
  type Lister,
  type Manager,
  type Request,
  type Result,
} from '@skiff/client';
import { createIfMissing } from './02-create-children.js';
import { cachesOf, reconcileChildren } from './03-converge.js';
import { desiredStatus, urlFor, writeStatus } from './04-status.js';
import { isMain, runStep, websiteKind, type Website } from './website.js';

export const FINALIZER = 'tutorial.skiff.dev/directory-entry';
export const DIRECTORY = { namespace: 'default', name: 'website-directory' } as const;

export function directoryKey(site: Readonly<Website>): string {
  return `${site.metadata.namespace}.${site.metadata.name}`;
}

/**
 * Puts the site's entry in the directory unless the cache shows it there already (so a pass
 * with nothing to do writes nothing). Safe to repeat: a merge patch of one key.
 */
async function addToDirectory(
  client: Client,
  configMaps: Lister<ConfigMap>,
  site: Readonly<Website>,
): Promise<void> {
  const url = urlFor(site);
  const cached = configMaps.get(DIRECTORY.namespace, DIRECTORY.name);
  if (cached?.data?.[directoryKey(site)] === url) return;
  const directory = client.configMaps(DIRECTORY.namespace);
  const entry = { [directoryKey(site)]: url };
  try {
    await directory.patch(DIRECTORY.name, { data: entry }, { type: 'merge' });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const created: ConfigMap = { metadata: { ...DIRECTORY }, data: entry };
    // Another Website's reconcile may create it first: then our next attempt patches it.
    await createIfMissing(() => directory.create(created));
  }
}

/** Takes the site's entry out of the directory. Safe to repeat, and if the directory is gone. */
async function removeFromDirectory(client: Client, site: Readonly<Website>): Promise<void> {
  try {
    // In a JSON merge patch, null deletes the key.
    const patch = { data: { [directoryKey(site)]: null } };
    await client.configMaps(DIRECTORY.namespace).patch(DIRECTORY.name, patch, { type: 'merge' });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The Website with `finalizers` replaced, written with the resourceVersion we read. */
async function writeFinalizers(client: Client, site: Readonly<Website>, finalizers: string[]) {
  const updated = clone(site);
  updated.metadata.finalizers = finalizers;
  return client.resource<Website>(websiteKind, site.metadata.namespace).update(updated);
}

export function setupWebsiteController(manager: Manager): Controller {
  const client = manager.client;
  const caches = cachesOf(manager);
  const configMaps = manager.informers.core.v1.configMaps().lister();

  async function reconcileWebsite({ namespace = '', name }: Request): Promise<Result> {
    let site = caches.websites.get(namespace, name);
    // Gone for good: our finalizer ran already (or the Website never had one).
    if (!site) return {};

    if (site.metadata.deletionTimestamp) {
      // Being deleted and still waiting for us: clean up, then let it go. If we crash between
      // the two, the next reconcile removes the (already removed) entry again — harmless.
      if (hasFinalizer(site, FINALIZER)) {
        await removeFromDirectory(client, site);
        try {
          await writeFinalizers(client, site, withoutFinalizer(site, FINALIZER));
        } catch (err) {
          // Our cache was behind: the last finalizer was already removed and the Website is gone.
          if (!isNotFound(err)) throw err;
        }
      }
      return {};
    }

    // The finalizer goes on *before* anything outside the Website exists: a Website deleted
    // right after we created its entry must still wait for our cleanup.
    if (!hasFinalizer(site, FINALIZER)) {
      site = await writeFinalizers(client, site, withFinalizer(site, FINALIZER));
    }

    const deployment = await reconcileChildren(client, caches, site);
    await addToDirectory(client, configMaps, site);
    const now = new Date(manager.clock.now());
    return writeStatus(client, site, desiredStatus(site, deployment, now));
  }

  return controllerFor(manager)
    .named('website')
    .for(websiteKind)
    .owns('deployments')
    .owns('services')
    .complete(async (request: Request): Promise<Result> => {
      try {
        return await reconcileWebsite(request);
      } catch (err) {
        // 409: something (a user, the deployment controller) wrote an object between our read
        // of the cache and our write. Expected now and then, and no error: look again.
        if (isConflict(err)) return { requeue: true };
        throw err;
      }
    });
}

if (isMain(import.meta.url)) await runStep('05-finalizer', setupWebsiteController);
