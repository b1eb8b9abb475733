// `skiff apply -f`: server-side apply (decision: docs/cli.md). Each object is sent whole as an
// apply patch; the server merges it with what other managers own, creates it if missing, and
// answers a 409 naming the fields another manager owns (--force-conflicts takes them). The
// field manager is kubectl's own (`kubectl`), so `kubectl apply --server-side` and `skiff
// apply` can take turns on the same objects without conflicting.
import { resourcePath } from '@skiff/client';
import { kubectlErrorText } from '../kubectl/errors.js';
import { manifestTarget } from '../kubectl/manifest-target.js';
import { readManifests } from '../kubectl/manifests.js';
import { objectName, objectsText } from '../kubectl/printers/objects.js';
import { parseOutputFormat } from '../kubectl/printers/output-format.js';
import { verbCommand } from '../kubectl/run-verb.js';

const usage = `Apply a configuration to resources by file name or stdin (server-side apply).

Usage:
  skiff apply -f FILENAME [flags]

Examples:
  skiff apply -f manifests/demo/
  cat pod.yaml | skiff apply -f -

Options:
  -f, --filename          files, directories or - (stdin); repeatable
  -R, --recursive         descend into directories given with -f
      --server-side       accepted for kubectl's sake: skiff always applies server-side
      --force-conflicts   take over fields another manager owns
      --field-manager     the manager's name (default kubectl)
      --dry-run           none|server: validate and answer without writing
  -o, --output            json|yaml|name
  -n, --namespace         for objects that name none
`;

const verb = {
  name: 'apply',
  usage,
  options: {
    filename: { type: 'string', short: 'f', multiple: true },
    recursive: { type: 'boolean', short: 'R' },
    'server-side': { type: 'boolean' },
    'force-conflicts': { type: 'boolean' },
    'field-manager': { type: 'string' },
    'dry-run': { type: 'string' },
    output: { type: 'string', short: 'o' },
    validate: { type: 'string' },
  },
} as const;

export const applyCommand = verbCommand(verb, async ({ flags, conn, out, err }) => {
  const format = parseOutputFormat(flags.output, false);
  const manifests = await readManifests(flags.filename ?? [], flags.recursive === true);
  const dryRun = flags['dry-run'] === 'server';
  let failed = false;
  for (const manifest of manifests) {
    try {
      const target = await manifestTarget(conn, manifest, flags.namespace);
      const query = new URLSearchParams({ fieldManager: flags['field-manager'] ?? 'kubectl' });
      if (flags['force-conflicts']) query.set('force', 'true');
      if (dryRun) query.set('dryRun', 'All');
      query.set('fieldValidation', fieldValidation(flags.validate));
      const object = {
        ...manifest.object,
        metadata: { ...manifest.object.metadata, namespace: target.namespace },
      };
      const applied = await conn.rest.json<typeof object>({
        method: 'PATCH',
        path: resourcePath(target.mapping, { namespace: target.namespace, name: target.name }),
        query,
        body: object,
        contentType: 'application/apply-patch+yaml',
      });
      if (format.kind === 'human')
        out.write(
          `${objectName(applied)} serverside-applied${dryRun ? ' (server dry run)' : ''}\n`,
        );
      else out.write(objectsText([applied], format, true));
    } catch (e) {
      failed = true;
      err.write(kubectlErrorText(e));
    }
  }
  return failed ? 1 : 0;
});

/** --validate as kubectl 1.27+ maps it onto the server's fieldValidation. */
export function fieldValidation(flag: string | undefined): 'Strict' | 'Warn' | 'Ignore' {
  if (flag === 'false' || flag === 'ignore') return 'Ignore';
  if (flag === 'warn') return 'Warn';
  return 'Strict';
}
