// `skiff patch TYPE NAME -p PATCH --type strategic|merge|json` (or --patch-file): the patch as
// kubectl sends it, `<kind>/<name> patched`, or `patched (no change)` when the server's answer
// is the object as it was (same resourceVersion).
import { readFile } from 'node:fs/promises';
import type { PatchType } from '@skiff/client';
import { parse as parseYaml } from 'yaml';
import { kubectlErrorText, UsageError } from '../kubectl/errors.js';
import { objectName, objectsText } from '../kubectl/printers/objects.js';
import { parseOutputFormat } from '../kubectl/printers/output-format.js';
import { verbCommand } from '../kubectl/run-verb.js';
import { objectTargets } from '../kubectl/targets.js';

const usage = `Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

Usage:
  skiff patch (TYPE NAME | TYPE/NAME) -p PATCH [--type strategic|merge|json] [flags]

Options:
  -p, --patch         the patch (JSON or YAML)
      --patch-file    a file holding the patch
      --type          strategic (default), merge or json
      --subresource   status or scale
  -o, --output        json|yaml|name
      --dry-run       none|server
`;

const verb = {
  name: 'patch',
  usage,
  options: {
    patch: { type: 'string', short: 'p' },
    'patch-file': { type: 'string' },
    type: { type: 'string' },
    subresource: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'dry-run': { type: 'string' },
  },
} as const;

export const patchCommand = verbCommand(verb, async ({ flags, args, conn, out, err }) => {
  const format = parseOutputFormat(flags.output, false);
  const type = (flags.type ?? 'strategic') as PatchType;
  if (!['strategic', 'merge', 'json'].includes(type)) {
    throw new UsageError(
      `error: --type must be one of [json merge strategic], not "${flags.type ?? ''}"`,
    );
  }
  const text = flags['patch-file'] ? await readFile(flags['patch-file'], 'utf8') : flags.patch;
  if (!text) throw new UsageError('error: must specify -p to patch');
  let patch: unknown;
  try {
    patch = parseYaml(text);
  } catch (e) {
    throw new UsageError(`error: unable to parse "${text}": ${String(e)}`, { cause: e });
  }
  let failed = false;
  for (const target of await objectTargets(conn, args, 'patch')) {
    try {
      const before = await target.client.get(target.name);
      const after = await target.client.patch(target.name, patch, {
        type,
        subresource: flags.subresource,
        dryRun: flags['dry-run'] === 'server',
      });
      const unchanged = before.metadata?.resourceVersion === after.metadata?.resourceVersion;
      if (format.kind !== 'human') out.write(objectsText([after], format, true));
      else out.write(`${objectName(after)} patched${unchanged ? ' (no change)' : ''}\n`);
    } catch (e) {
      failed = true;
      err.write(kubectlErrorText(e));
    }
  }
  return failed ? 1 : 0;
});
