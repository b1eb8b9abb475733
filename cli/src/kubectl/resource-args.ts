// What a verb's positional arguments name, as kubectl reads them: `TYPE [NAME…]`,
// `TYPE1,TYPE2`, `TYPE/NAME…`, and categories such as `all`; each type resolved through the
// RESTMapper (discovery), so short names, kinds and `.group` suffixes work for CRDs too.
import type { RESTMapper, ResourceMapping } from '@skiff/client';
import { UsageError } from './errors.js';

export interface ResourceRequest {
  readonly mapping: ResourceMapping;
  /** Empty: every object of the type (a list). */
  readonly names: readonly string[];
}

export function resolveResourceArgs(
  args: readonly string[],
  mapper: RESTMapper,
  verb: string,
): ResourceRequest[] {
  const [first] = args;
  if (first === undefined) {
    throw new UsageError(
      `You must specify the type of resource to ${verb}. Use "skiff api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "skiff explain <resource>" for a detailed description of that resource (e.g. skiff explain pods).\nSee 'skiff ${verb} -h' for help and examples`,
    );
  }
  if (args.some((a) => a.includes('/'))) {
    if (!args.every((a) => a.includes('/'))) {
      throw new UsageError(
        `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'skiff ${verb} resource/<resource_name>' instead of 'skiff ${verb} resource resource/<resource_name>'`,
      );
    }
    const byType = new Map<string, { mapping: ResourceMapping; names: string[] }>();
    for (const arg of args) {
      const slash = arg.indexOf('/');
      const mapping = mapper.resourceFor(arg.slice(0, slash));
      const name = arg.slice(slash + 1);
      if (!name)
        throw new UsageError(
          `error: arguments in resource/name form must have a single resource and name`,
        );
      const key = `${mapping.resource}.${mapping.group}`;
      const entry = byType.get(key) ?? { mapping, names: [] };
      entry.names.push(name);
      byType.set(key, entry);
    }
    return [...byType.values()];
  }
  const names = args.slice(1);
  const types = first.split(',').filter((t) => t !== '');
  const mappings = types.flatMap((type) => {
    const category = mapper.category(type);
    return category.length > 0 && names.length === 0 ? category : [mapper.resourceFor(type)];
  });
  return mappings.map((mapping) => ({ mapping, names }));
}

/** `deployment.apps`: what kubectl prefixes names with when several kinds print together. */
export function kindPrefix(mapping: ResourceMapping): string {
  const kind = mapping.kind.toLowerCase();
  return mapping.group ? `${kind}.${mapping.group}` : kind;
}
