// A profile's configuration → its Framework: each plugin made once (with its args from
// pluginConfig), placed at every extension point multiPoint or the point's own list gives it,
// checked to implement that point. Errors carry the config's field path.
import {
  ConfigError,
  Framework,
  isBind,
  isEnqueueExtensions,
  isFilter,
  isPermit,
  isPostBind,
  isPostFilter,
  isPreBind,
  isPreFilter,
  isPreScore,
  isQueueSort,
  isReserve,
  isScore,
  type FrameworkMetrics,
  type Handle,
  type Plugin,
  type ProfilePlugins,
  type Registry,
} from '../framework/index.js';
import type { PointPlugin, ProfileConfig } from './config.js';
import { EXTENSION_POINTS, type ExtensionPoint } from './defaults.js';

const implementsPoint: Readonly<Record<ExtensionPoint, (p: Plugin) => boolean>> = {
  queueSort: isQueueSort,
  preFilter: isPreFilter,
  filter: isFilter,
  postFilter: isPostFilter,
  preScore: isPreScore,
  score: isScore,
  reserve: isReserve,
  permit: isPermit,
  preBind: isPreBind,
  bind: isBind,
  postBind: isPostBind,
};

const pointNames: Readonly<Record<ExtensionPoint, string>> = {
  queueSort: 'QueueSort',
  preFilter: 'PreFilter',
  filter: 'Filter',
  postFilter: 'PostFilter',
  preScore: 'PreScore',
  score: 'Score',
  reserve: 'Reserve',
  permit: 'Permit',
  preBind: 'PreBind',
  bind: 'Bind',
  postBind: 'PostBind',
};

export interface BuildOptions {
  readonly registry: Registry;
  readonly handle: Handle;
  /** The configuration's top-level percentageOfNodesToScore, for profiles without their own. */
  readonly percentageOfNodesToScore?: number | undefined;
  readonly metrics?: FrameworkMetrics;
  readonly random?: () => number;
}

export function buildFramework(profile: ProfileConfig, options: BuildOptions): Framework {
  const instances = new Map<string, Plugin>();
  const instance = (ref: PointPlugin): Plugin => {
    const made = instances.get(ref.name);
    if (made) return made;
    const factory = options.registry[ref.name];
    if (!factory) {
      throw new ConfigError(
        `${ref.path}.name`,
        `Invalid value: ${JSON.stringify(ref.name)}: no such plugin; known: ${Object.keys(options.registry).join(', ')}`,
      );
    }
    const config = profile.pluginArgs.get(ref.name);
    let plugin: Plugin;
    try {
      plugin = factory(config?.args, options.handle);
    } catch (err) {
      if (err instanceof ConfigError)
        throw err.under(config?.path ?? `${profile.path}.pluginConfig`);
      throw err;
    }
    instances.set(ref.name, plugin);
    return plugin;
  };

  for (const [name, { path }] of profile.pluginArgs) {
    if (!options.registry[name]) {
      throw new ConfigError(
        path.replace(/\.args$/, '.name'),
        `Invalid value: ${JSON.stringify(name)}: no such plugin`,
      );
    }
  }

  const byPoint = {} as Record<ExtensionPoint, { plugin: Plugin; weight: number }[]>;
  for (const point of EXTENSION_POINTS) {
    const overrides = profile.points[point];
    const fromMulti = overrides.disabled.has('*')
      ? []
      : profile.multiPoint.filter(
          (ref) => !overrides.disabled.has(ref.name) && implementsPoint[point](instance(ref)),
        );
    const refs = [...fromMulti];
    for (const ref of overrides.enabled) {
      if (!implementsPoint[point](instance(ref))) {
        throw new ConfigError(
          `${ref.path}.name`,
          `Invalid value: ${JSON.stringify(ref.name)}: plugin does not extend ${pointNames[point]}`,
        );
      }
      const at = refs.findIndex((r) => r.name === ref.name);
      if (at >= 0) refs[at] = ref;
      else refs.push(ref);
    }
    byPoint[point] = refs.map((ref) => ({
      plugin: instance(ref),
      weight: ref.weight || profile.multiPoint.find((m) => m.name === ref.name)?.weight || 1,
    }));
  }

  const queueSort = byPoint.queueSort;
  const [sort] = queueSort;
  if (queueSort.length !== 1 || !sort || !isQueueSort(sort.plugin)) {
    throw new ConfigError(
      `${profile.path}.plugins.queueSort`,
      `Invalid value: ${queueSort.length} plugins: exactly one queue sort plugin must be enabled`,
    );
  }
  if (byPoint.bind.length === 0) {
    throw new ConfigError(
      `${profile.path}.plugins.bind`,
      'Required value: at least one bind plugin must be enabled',
    );
  }
  const only = <P extends Plugin>(point: ExtensionPoint, guard: (p: Plugin) => p is P): P[] =>
    byPoint[point].map((e) => e.plugin).filter(guard);
  const plugins: ProfilePlugins = {
    queueSort: sort.plugin,
    preFilter: only('preFilter', isPreFilter),
    filter: only('filter', isFilter),
    postFilter: only('postFilter', isPostFilter),
    preScore: only('preScore', isPreScore),
    score: byPoint.score.flatMap(({ plugin, weight }) =>
      isScore(plugin) ? [{ plugin, weight }] : [],
    ),
    reserve: only('reserve', isReserve),
    permit: only('permit', isPermit),
    preBind: only('preBind', isPreBind),
    bind: only('bind', isBind),
    postBind: only('postBind', isPostBind),
    enqueueExtensions: [...instances.values()].filter(isEnqueueExtensions),
  };
  return new Framework(
    profile.schedulerName,
    plugins,
    profile.percentageOfNodesToScore ?? options.percentageOfNodesToScore,
    options.metrics,
    options.random,
  );
}
