// `skiff label` and `skiff annotate`: the same verb over two maps of metadata. `key=value`
// sets, `key-` removes; changing a key that has a value needs --overwrite (kubectl's guard);
// one merge patch per object, and `<kind>/<name> labeled` (or `not labeled` when nothing
// changed).
import { kubectlErrorText, UsageError } from '../kubectl/errors.js';
import { objectName } from '../kubectl/printers/objects.js';
import { verbCommand } from '../kubectl/run-verb.js';
import { objectTargets } from '../kubectl/targets.js';

type Field = 'labels' | 'annotations';

function metadataVerb(name: 'label' | 'annotate', field: Field, done: string) {
  const usage = `Update the ${field} on resources.

Usage:
  skiff ${name} [--overwrite] (TYPE NAME | TYPE/NAME | TYPE -l selector | TYPE --all) KEY_1=VAL_1 ... KEY_N=VAL_N [KEY-] [flags]

Options:
      --overwrite   allow changing a key that already has a value
  -l, --selector    every object the label selector matches
      --all         every object of the type in the namespace
      --list        print the object's ${field} instead
`;
  const verb = {
    name,
    usage,
    options: {
      overwrite: { type: 'boolean' },
      selector: { type: 'string', short: 'l' },
      all: { type: 'boolean' },
      list: { type: 'boolean' },
      'resource-version': { type: 'string' },
    },
  } as const;
  return verbCommand(verb, async ({ flags, args, conn, out, err }) => {
    const changes = args.filter((a) => a.includes('=') || (a.endsWith('-') && !a.includes('/')));
    const resources = args.filter((a) => !changes.includes(a));
    if (changes.length === 0 && !flags.list)
      throw new UsageError(
        `error: at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`,
      );
    const set: Record<string, string | null> = {};
    for (const c of changes) {
      const eq = c.indexOf('=');
      if (eq > 0) set[c.slice(0, eq)] = c.slice(eq + 1);
      else set[c.slice(0, -1)] = null;
    }
    let failed = false;
    for (const target of await objectTargets(conn, resources, name, flags)) {
      try {
        const current = await target.client.get(target.name);
        const existing = current.metadata?.[field] ?? {};
        if (flags.list) {
          out.write(
            Object.entries(existing)
              .map(([k, v]) => `${k}=${v}\n`)
              .join(''),
          );
          continue;
        }
        for (const [key, value] of Object.entries(set)) {
          const old = existing[key];
          if (value !== null && old !== undefined && old !== value && !flags.overwrite) {
            throw new UsageError(
              `error: '${key}' already has a value (${old}), and --overwrite is false`,
            );
          }
        }
        const changed = Object.entries(set).some(([k, v]) =>
          v === null ? k in existing : existing[k] !== v,
        );
        if (changed) {
          const metadata: Record<string, unknown> = { [field]: set };
          if (flags['resource-version']) metadata.resourceVersion = flags['resource-version'];
          await target.client.patch(target.name, { metadata }, { type: 'merge' });
        }
        const onlyRemoved = Object.values(set).every((v) => v === null);
        const word = !changed
          ? `not ${done}`
          : onlyRemoved && field === 'labels'
            ? 'unlabeled'
            : done;
        out.write(`${objectName(current)} ${word}\n`);
      } catch (e) {
        failed = true;
        err.write(kubectlErrorText(e));
      }
    }
    return failed ? 1 : 0;
  });
}

export const labelCommand = metadataVerb('label', 'labels', 'labeled');
export const annotateCommand = metadataVerb('annotate', 'annotations', 'annotated');
