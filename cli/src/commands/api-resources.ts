// `skiff api-resources`: what the server serves, from discovery (preferred versions), sorted by
// group then name as kubectl sorts it; -o wide adds verbs and categories, -o name the
// `resource.group` names; --namespaced, --api-group and --verbs filter.
import { RESTMapper, serverResources, type ResourceMapping } from '@skiff/client';
import { UsageError } from '../kubectl/errors.js';
import { alignColumns } from '../kubectl/printers/tabwriter.js';
import { verbCommand } from '../kubectl/run-verb.js';

const usage = `Print the supported API resources on the server.

Usage:
  skiff api-resources [flags]

Options:
  -o, --output       wide|name
      --namespaced   true|false: only namespaced (or cluster-scoped) resources
      --api-group    only this group ("" for the core group)
      --verbs        only resources that support these verbs (comma-separated)
      --no-headers   omit the header line
      --sort-by      name|kind
`;

const verb = {
  name: 'api-resources',
  usage,
  options: {
    output: { type: 'string', short: 'o' },
    namespaced: { type: 'string' },
    'api-group': { type: 'string' },
    verbs: { type: 'string', multiple: true },
    'no-headers': { type: 'boolean' },
    'sort-by': { type: 'string' },
  },
} as const;

export const apiResourcesCommand = verbCommand(verb, async ({ flags, conn, out, err }) => {
  if (flags.output && flags.output !== 'wide' && flags.output !== 'name') {
    throw new UsageError(`error: --output ${flags.output} is not available`);
  }
  const discovered = await serverResources(conn.rest);
  for (const [gv, why] of discovered.failed)
    err.write(`error: unable to retrieve the complete list of server APIs: ${gv}: ${why}\n`);
  const preferred = RESTMapper.fromDiscovery({
    ...discovered,
    groupVersions: discovered.groupVersions.filter((gv) => discovered.preferred.has(gv)),
  }).mappings;
  const verbs = (flags.verbs ?? []).flatMap((v) => v.split(','));
  const shown = preferred
    .filter((m) => flags.namespaced === undefined || String(m.namespaced) === flags.namespaced)
    .filter((m) => flags['api-group'] === undefined || m.group === flags['api-group'])
    .filter((m) => verbs.every((v) => m.verbs.includes(v)))
    .sort(compareBy(flags['sort-by']));
  if (flags.output === 'name') {
    out.write(shown.map((m) => `${m.group ? `${m.resource}.${m.group}` : m.resource}\n`).join(''));
    return 0;
  }
  const wide = flags.output === 'wide';
  const header = [
    'NAME',
    'SHORTNAMES',
    'APIVERSION',
    'NAMESPACED',
    'KIND',
    ...(wide ? ['VERBS', 'CATEGORIES'] : []),
  ];
  const rows = shown.map((m) => [
    m.resource,
    m.shortNames.join(','),
    m.group ? `${m.group}/${m.version}` : m.version,
    String(m.namespaced),
    m.kind,
    ...(wide ? [[...m.verbs].sort().join(','), m.categories.join(',')] : []),
  ]);
  const lines = flags['no-headers'] ? rows : [header, ...rows];
  out.write(alignColumns(lines.map((cells) => `${cells.join('\t')}\n`).join('')));
  return 0;
});

function compareBy(sortBy: string | undefined): (a: ResourceMapping, b: ResourceMapping) => number {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (sortBy === 'name') return (a, b) => text(a.resource, b.resource);
  if (sortBy === 'kind') return (a, b) => text(a.kind, b.kind);
  return (a, b) => text(a.group, b.group) || text(a.resource, b.resource);
}
