// `skiff delete`: by TYPE NAME…, TYPE/NAME, -f, -l or --all; the server's graceful deletion
// (--grace-period, --force = 0 seconds), --cascade=background|foreground|orphan, and --wait
// (kubectl's default): return only once every deleted object is gone, finalizers and all.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeleteOptions, ResourceClient, Unstructured } from '@skiff/client';
import { isNotFound } from '@skiff/client';
import { kubectlErrorText, UsageError } from '../kubectl/errors.js';
import { manifestTarget } from '../kubectl/manifest-target.js';
import { readManifests } from '../kubectl/manifests.js';
import { kindPrefix, resolveResourceArgs } from '../kubectl/resource-args.js';
import { verbCommand } from '../kubectl/run-verb.js';

const usage = `Delete resources by file names, stdin, resources and names, or by resources and label selector.

Usage:
  skiff delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [flags]

Options:
  -f, --filename       files, directories or - (stdin)
  -R, --recursive      descend into directories given with -f
  -l, --selector       delete what the label selector matches
      --all            delete every object of the type in the namespace
  -A, --all-namespaces with -l or --all: in every namespace
      --grace-period   seconds the object gets to stop (-1: its own default)
      --force          --grace-period=0: remove at once, without waiting for the kubelet
      --cascade        background (default)|foreground|orphan: what happens to dependents
      --wait           wait until the objects are gone (default true; --wait=false)
      --ignore-not-found  a missing object is not an error
`;

const verb = {
  name: 'delete',
  usage,
  options: {
    filename: { type: 'string', short: 'f', multiple: true },
    recursive: { type: 'boolean', short: 'R' },
    selector: { type: 'string', short: 'l' },
    all: { type: 'boolean' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    'grace-period': { type: 'string' },
    force: { type: 'boolean' },
    cascade: { type: 'string' },
    wait: { type: 'string' },
    'ignore-not-found': { type: 'boolean' },
    now: { type: 'boolean' },
  },
} as const;

interface Target {
  readonly client: ResourceClient<Unstructured>;
  readonly name: string;
  /** `deployment.apps`, as kubectl words its lines. */
  readonly what: string;
  /** The file it was named in (-f). */
  readonly source?: string;
}

export const deleteCommand = verbCommand(verb, async ({ flags, args, conn, out, err }) => {
  const options = deleteOptions(flags);
  const targets: Target[] = [];
  if (flags.filename) {
    for (const manifest of await readManifests(flags.filename, flags.recursive === true)) {
      const t = await manifestTarget(conn, manifest, flags.namespace);
      targets.push({
        client: t.client,
        name: t.name,
        what: kindPrefix(t.mapping),
        source: manifest.source,
      });
    }
  } else {
    const requests = resolveResourceArgs(args, await conn.mapper(), 'delete');
    const namespace = flags['all-namespaces'] ? undefined : conn.namespace;
    for (const { mapping, names } of requests) {
      const client = conn.resource(mapping, mapping.namespaced ? namespace : undefined);
      if (names.length > 0) {
        if (flags.all || flags.selector)
          throw new UsageError('error: name cannot be provided when a selector is specified');
        names.forEach((name) => targets.push({ client, name, what: kindPrefix(mapping) }));
        continue;
      }
      if (!flags.all && !flags.selector) {
        throw new UsageError('error: resource(s) were provided, but no name was specified');
      }
      const list = await client.list({ labelSelector: flags.selector });
      for (const item of list.items) {
        const at = mapping.namespaced ? conn.resource(mapping, item.metadata?.namespace) : client;
        targets.push({ client: at, name: item.metadata?.name ?? '', what: kindPrefix(mapping) });
      }
    }
    if (targets.length === 0) {
      // kubectl delete says this on stdout, unlike get.
      out.write('No resources found\n');
      return 0;
    }
  }
  if (options.gracePeriodSeconds === 0) {
    err.write(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    );
  }
  let failed = false;
  const deleted: Target[] = [];
  for (const target of targets) {
    try {
      await target.client.delete(target.name, options);
      out.write(
        `${target.what} "${target.name}" ${options.gracePeriodSeconds === 0 ? 'force deleted' : 'deleted'}\n`,
      );
      deleted.push(target);
    } catch (e) {
      if (isNotFound(e) && flags['ignore-not-found']) continue;
      failed = true;
      err.write(
        kubectlErrorText(
          e,
          target.source ? { doing: 'deleting', source: target.source } : undefined,
        ),
      );
    }
  }
  if (flags.wait !== 'false') await Promise.all(deleted.map(waitUntilGone));
  return failed ? 1 : 0;
});

function deleteOptions(flags: {
  'grace-period'?: string;
  force?: boolean;
  now?: boolean;
  cascade?: string;
}): DeleteOptions {
  const cascade = flags.cascade ?? 'background';
  const policies = {
    background: 'Background',
    foreground: 'Foreground',
    orphan: 'Orphan',
    true: 'Background',
    false: 'Orphan',
  } as const;
  if (!(cascade in policies)) {
    throw new UsageError(
      `error: invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan"`,
    );
  }
  const propagationPolicy = policies[cascade as keyof typeof policies];
  let grace = flags['grace-period'] === undefined ? -1 : Number(flags['grace-period']);
  if (!Number.isInteger(grace))
    throw new UsageError(
      `error: invalid argument "${flags['grace-period'] ?? ''}" for "--grace-period" flag`,
    );
  if (flags.now) grace = 1;
  if (flags.force && grace < 0) grace = 0;
  // kubectl's guard against accidental immediate deletion: 0 without --force means 1.
  if (grace === 0 && !flags.force) grace = 1;
  return { propagationPolicy, ...(grace >= 0 && { gracePeriodSeconds: grace }) };
}

/** Polls until the object answers 404 (a pod waits for its kubelet; finalizers for their owners). */
async function waitUntilGone(target: Target): Promise<void> {
  for (;;) {
    try {
      await target.client.get(target.name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    await sleep(250);
  }
}
