// `skiff scale --replicas=N`: a merge patch of spec.replicas on the scale subresource, as
// kubectl sends it (no resourceVersion, so a controller's status write cannot make it fail);
// --current-replicas makes it conditional, --resource-version a compare-and-swap.
import { kubectlErrorText, UsageError } from '../kubectl/errors.js';
import { kindPrefix } from '../kubectl/resource-args.js';
import { verbCommand } from '../kubectl/run-verb.js';
import { objectTargets } from '../kubectl/targets.js';

const usage = `Set a new size for a deployment, replica set or stateful set.

Usage:
  skiff scale [--current-replicas=count] --replicas=COUNT (TYPE NAME | TYPE/NAME | TYPE -l selector | TYPE --all)

Options:
      --replicas          the new number of replicas (required)
      --current-replicas  only if the current size is this
      --resource-version  only if the object is at this version
  -l, --selector          every object the label selector matches
      --all               every object of the type in the namespace
`;

const verb = {
  name: 'scale',
  usage,
  options: {
    replicas: { type: 'string' },
    'current-replicas': { type: 'string' },
    'resource-version': { type: 'string' },
    selector: { type: 'string', short: 'l' },
    all: { type: 'boolean' },
  },
} as const;

interface Scale {
  metadata?: { resourceVersion?: string };
  spec?: { replicas?: number };
}

export const scaleCommand = verbCommand(verb, async ({ flags, args, conn, out, err }) => {
  if (flags.replicas === undefined)
    throw new UsageError('error: required flag(s) "replicas" not set');
  const replicas = Number(flags.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new UsageError(
      `error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0`,
    );
  }
  let failed = false;
  for (const target of await objectTargets(conn, args, 'scale', flags)) {
    try {
      if (flags['current-replicas'] !== undefined) {
        const current = await target.client.getSubresource<Scale>(target.name, 'scale');
        const expected = Number(flags['current-replicas']);
        if ((current.spec?.replicas ?? 0) !== expected) {
          throw new UsageError(
            `error: Expected replicas to be ${expected}, was ${current.spec?.replicas ?? 0}`,
          );
        }
      }
      const patch: Record<string, unknown> = { spec: { replicas } };
      if (flags['resource-version'])
        patch.metadata = { resourceVersion: flags['resource-version'] };
      await target.client.patch(target.name, patch, { type: 'merge', subresource: 'scale' });
      out.write(`${kindPrefix(target.mapping)}/${target.name} scaled\n`);
    } catch (e) {
      failed = true;
      err.write(kubectlErrorText(e));
    }
  }
  return failed ? 1 : 0;
});
