// `skiff config view|get-contexts|current-context|use-context`: the kubeconfig files a verb
// would read (--kubeconfig, else KUBECONFIG's files merged, else ~/.kube/config, else `skiff
// up`'s), shown and switched as kubectl does — secrets redacted unless --raw, the current
// context written to the first file.
import { readFile, writeFile } from 'node:fs/promises';
import { kubeconfigPaths } from '@skiff/client';
import { parseDocument } from 'yaml';
import { upKubeconfigIfNoOther } from '../kubectl/connection.js';
import { UsageError } from '../kubectl/errors.js';
import { alignColumns } from '../kubectl/printers/tabwriter.js';
import { jsonText, yamlText } from '../kubectl/printers/yaml-text.js';
import { localVerbCommand } from '../kubectl/run-verb.js';

const usage = `Modify or view kubeconfig files.

Usage:
  skiff config view [--minify] [--raw] [-o yaml|json]
  skiff config get-contexts [NAME] [--no-headers] [-o name]
  skiff config current-context
  skiff config use-context NAME
`;

const verb = {
  name: 'config',
  usage,
  options: {
    minify: { type: 'boolean' },
    raw: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    'no-headers': { type: 'boolean' },
  },
} as const;

interface Named {
  name: string;
  [field: string]: unknown;
}

interface RawConfig {
  clusters: Named[];
  contexts: Named[];
  users: Named[];
  'current-context'?: string;
}

export const configCommand = localVerbCommand(verb, async ({ flags, args, ...io }) => {
  const [sub, name] = args;
  const files = await configFiles(flags.kubeconfig);
  const config = await readMerged(files);
  switch (sub) {
    case 'view': {
      const shown = flags.minify ? minified(config, flags.context) : config;
      const printed = flags.raw ? shown : redacted(shown);
      // kubectl's struct order for JSON; YAML sorts the keys anyway.
      const doc = {
        kind: 'Config',
        apiVersion: 'v1',
        preferences: {},
        clusters: printed.clusters.map(({ name, ...rest }) => ({ name, ...rest })),
        users: printed.users.map(({ name, ...rest }) => ({ name, ...rest })),
        contexts: printed.contexts.map(({ name, ...rest }) => ({ name, ...rest })),
        'current-context': printed['current-context'] ?? '',
      };
      io.out.write(flags.output === 'json' ? jsonText(doc, false) : yamlText(doc));
      return 0;
    }
    case 'current-context':
      if (!config['current-context']) throw new UsageError('error: current-context is not set');
      io.out.write(`${config['current-context']}\n`);
      return 0;
    case 'get-contexts': {
      const contexts = config.contexts.filter((c) => name === undefined || c.name === name);
      if (name !== undefined && contexts.length === 0) {
        if (!flags['no-headers'])
          io.out.write(alignColumns('CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n'));
        throw new UsageError(`error: context ${name} not found`);
      }
      if (flags.output === 'name') {
        io.out.write(contexts.map((c) => `${c.name}\n`).join(''));
        return 0;
      }
      const rows = contexts.map((c) => {
        const ctx = (c.context ?? {}) as Record<string, string | undefined>;
        const current = c.name === config['current-context'] ? '*' : '';
        return [current, c.name, ctx.cluster ?? '', ctx.user ?? '', ctx.namespace ?? ''];
      });
      const header = ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'];
      const lines = flags['no-headers'] ? rows : [header, ...rows];
      io.out.write(alignColumns(lines.map((l) => `${l.join('\t')}\n`).join('')));
      return 0;
    }
    case 'use-context': {
      if (!name)
        throw new UsageError(
          "error: Unexpected args: []\nSee 'skiff config use-context -h' for help and examples",
        );
      if (!config.contexts.some((c) => c.name === name)) {
        throw new UsageError(`error: no context exists with the name: "${name}"`);
      }
      const [first] = files;
      if (!first) throw new UsageError('error: no kubeconfig file to write the current context to');
      const doc = parseDocument(await readFile(first, 'utf8'));
      doc.set('current-context', name);
      await writeFile(first, doc.toString());
      io.out.write(`Switched to context "${name}".\n`);
      return 0;
    }
    default:
      throw new UsageError(`error: unknown command "${sub ?? ''}" for "skiff config"\n\n${usage}`);
  }
});

/** The files, in kubectl's order of precedence; those that exist. */
async function configFiles(kubeconfig: string | undefined): Promise<string[]> {
  const fallback = kubeconfig ?? (await upKubeconfigIfNoOther(process.env));
  const { paths } = kubeconfigPaths({ kubeconfig: fallback });
  const found: string[] = [];
  for (const path of paths) {
    if (
      await readFile(path, 'utf8').then(
        () => true,
        () => false,
      )
    )
      found.push(path);
  }
  return found;
}

/** Files merged as kubectl merges them: by name, the first file that names an entry wins. */
async function readMerged(files: readonly string[]): Promise<RawConfig> {
  const merged: RawConfig = { clusters: [], contexts: [], users: [] };
  for (const file of files) {
    const raw = (parseDocument(await readFile(file, 'utf8')).toJS() ?? {}) as Partial<RawConfig>;
    for (const list of ['clusters', 'contexts', 'users'] as const) {
      for (const entry of raw[list] ?? []) {
        if (!merged[list].some((e) => e.name === entry.name)) merged[list].push(entry);
      }
    }
    merged['current-context'] ??= raw['current-context'] || undefined;
  }
  // kubectl keeps entries in maps: they print sorted by name.
  for (const list of ['clusters', 'contexts', 'users'] as const) {
    merged[list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return merged;
}

function minified(config: RawConfig, context: string | undefined): RawConfig {
  const name = context ?? config['current-context'];
  const ctx = config.contexts.find((c) => c.name === name);
  if (!ctx) throw new UsageError('error: current-context must exist in order to minify');
  const refs = (ctx.context ?? {}) as { cluster?: string; user?: string };
  return {
    clusters: config.clusters.filter((c) => c.name === refs.cluster),
    contexts: [ctx],
    users: config.users.filter((u) => u.name === refs.user),
    'current-context': name,
  };
}

const dataFields = ['certificate-authority-data', 'client-certificate-data', 'client-key-data'];
const secretFields = ['token', 'password'];

/** kubectl's view without --raw: certificate data and secrets are not printed. */
function redacted(config: RawConfig): RawConfig {
  const scrub = (entries: Named[], inner: 'cluster' | 'user') =>
    entries.map((e) => {
      const body = { ...((e[inner] ?? {}) as Record<string, unknown>) };
      for (const f of dataFields) if (body[f]) body[f] = 'DATA+OMITTED';
      for (const f of secretFields) if (body[f]) body[f] = 'REDACTED';
      return { ...e, [inner]: body };
    });
  return {
    ...config,
    clusters: scrub(config.clusters, 'cluster'),
    users: scrub(config.users, 'user'),
  };
}
