// `skiff create -f`: POST each object (AlreadyExists is an error, unlike apply), plus the
// generators a lab needs most: `create namespace NAME` and `create configmap NAME
// --from-literal=k=v --from-file=[k=]path`.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Unstructured } from '@skiff/client';
import type { Connection } from '../kubectl/connection.js';
import { kubectlErrorText, UsageError } from '../kubectl/errors.js';
import { manifestTarget } from '../kubectl/manifest-target.js';
import { readManifests, type Manifest } from '../kubectl/manifests.js';
import { objectName, objectsText } from '../kubectl/printers/objects.js';
import { parseOutputFormat, type OutputFormat } from '../kubectl/printers/output-format.js';
import { verbCommand } from '../kubectl/run-verb.js';
import { fieldValidation } from './apply.js';

const usage = `Create a resource from a file or from stdin, or with a generator.

Usage:
  skiff create -f FILENAME [flags]
  skiff create namespace NAME
  skiff create configmap NAME [--from-literal=key=value] [--from-file=[key=]path]

Options:
  -f, --filename       files, directories or - (stdin); repeatable
  -R, --recursive      descend into directories given with -f
      --from-literal   configmap: a key=value pair (repeatable)
      --from-file      configmap: a file's content under its name or key= (repeatable)
      --dry-run        none|server|client
  -o, --output         json|yaml|name
`;

const verb = {
  name: 'create',
  usage,
  options: {
    filename: { type: 'string', short: 'f', multiple: true },
    recursive: { type: 'boolean', short: 'R' },
    'from-literal': { type: 'string', multiple: true },
    'from-file': { type: 'string', multiple: true },
    'dry-run': { type: 'string' },
    output: { type: 'string', short: 'o' },
    validate: { type: 'string' },
  },
} as const;

export const createCommand = verbCommand(verb, async ({ flags, args, conn, out, err }) => {
  const format = parseOutputFormat(flags.output, false);
  const write = {
    dryRun: flags['dry-run'] === 'server',
    fieldValidation: fieldValidation(flags.validate),
    fieldManager: 'kubectl-create',
  };
  const manifests = flags.filename
    ? await readManifests(flags.filename, flags.recursive === true)
    : [{ object: await generated(args, flags), source: 'generator' }];
  let failed = false;
  for (const manifest of manifests) {
    try {
      const created =
        flags['dry-run'] === 'client'
          ? manifest.object
          : await create(conn, manifest, flags.namespace, write);
      print(out, created, format, flags['dry-run']);
    } catch (e) {
      failed = true;
      err.write(
        manifest.source === 'generator'
          ? kubectlErrorText(e)
          : kubectlErrorText(e, { doing: 'creating', source: manifest.source }),
      );
    }
  }
  return failed ? 1 : 0;
});

async function create(
  conn: Connection,
  manifest: Manifest,
  namespace: string | undefined,
  write: { dryRun: boolean; fieldValidation: 'Strict' | 'Warn' | 'Ignore'; fieldManager: string },
): Promise<Unstructured> {
  const target = await manifestTarget(conn, manifest, namespace);
  return target.client.create(manifest.object, write);
}

function print(
  out: NodeJS.WritableStream,
  obj: Unstructured,
  format: OutputFormat,
  dryRun: string | undefined,
): void {
  if (format.kind !== 'human') out.write(objectsText([obj], format, true));
  else
    out.write(
      `${objectName(obj)} created${dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : ''}\n`,
    );
}

async function generated(
  args: readonly string[],
  flags: { 'from-literal'?: string[]; 'from-file'?: string[] },
): Promise<Unstructured> {
  const [what, name] = args;
  if (!what) throw new UsageError('error: must specify one of -f and -k');
  if (!name)
    throw new UsageError(
      `error: exactly one NAME is required, got 0\nSee 'skiff create ${what} -h' for help and examples`,
    );
  switch (what) {
    case 'namespace':
    case 'ns':
      return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    case 'configmap':
    case 'cm': {
      const data: Record<string, string> = {};
      for (const literal of flags['from-literal'] ?? []) {
        const eq = literal.indexOf('=');
        if (eq <= 0)
          throw new UsageError(`error: invalid literal source ${literal}, expected key=value`);
        data[literal.slice(0, eq)] = literal.slice(eq + 1);
      }
      for (const source of flags['from-file'] ?? []) {
        const eq = source.indexOf('=');
        const [key, path] =
          eq > 0 ? [source.slice(0, eq), source.slice(eq + 1)] : [basename(source), source];
        data[key] = await readFile(path, 'utf8');
      }
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
    }
    default:
      throw new UsageError(
        `error: unknown command "${what}" for "skiff create" (skiff creates namespace and configmap; use -f for anything else)`,
      );
  }
}
