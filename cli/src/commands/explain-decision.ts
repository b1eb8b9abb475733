// `skiff explain pod NAME`: the scheduler's latest decision for the pod, from its
// /debug/decisions endpoint (scheduler/src/explain), as a table — per node, the filter plugin and
// reason that rejected it, or the weighted score of each plugin and the total that ranked it.
// Which scheduler: --scheduler, else SKIFF_SCHEDULER_URL, else the one the kubeconfig's cluster
// names in its `skiff` extension (what `skiff up` writes), else kube-scheduler's own port.
import { errorMessage } from '@skiff/api';
import { loadKubeconfig, resolveCluster } from '@skiff/client';
import type { Decision } from '@skiff/scheduler';
import {
  upKubeconfigIfNoOther,
  type Connection,
  type ConnectionFlags,
} from '../kubectl/connection.js';
import { UsageError } from '../kubectl/errors.js';
import { alignColumns } from '../kubectl/printers/tabwriter.js';
import { readSkiffExtension, SKIFF_EXTENSION } from '../up/kubeconfig-file.js';

export const DEFAULT_SCHEDULER_URL = 'http://127.0.0.1:10259';

/** The scheduler to ask, and where that answer came from (for the error when it is not there). */
export interface SchedulerSource {
  readonly url: string;
  readonly from: string;
}

export async function findScheduler(
  flags: ConnectionFlags & { readonly scheduler?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<SchedulerSource> {
  if (flags.scheduler) return { url: flags.scheduler, from: '--scheduler' };
  if (env.SKIFF_SCHEDULER_URL) return { url: env.SKIFF_SCHEDULER_URL, from: 'SKIFF_SCHEDULER_URL' };
  // The same kubeconfig and cluster the verb's connection used.
  const kubeconfig = flags.kubeconfig ?? (await upKubeconfigIfNoOther(env));
  const { config } = await loadKubeconfig({ kubeconfig, env });
  const cluster = resolveCluster(config, { context: flags.context, cluster: flags.cluster });
  const { scheduler } = readSkiffExtension(cluster.extensions?.get(SKIFF_EXTENSION));
  if (scheduler !== undefined) {
    return { url: scheduler, from: `the kubeconfig cluster's "${SKIFF_EXTENSION}" extension` };
  }
  return { url: DEFAULT_SCHEDULER_URL, from: "kube-scheduler's default port" };
}

export async function explainDecision(
  conn: Connection,
  name: string,
  scheduler: SchedulerSource,
  out: NodeJS.WritableStream,
): Promise<number> {
  // The pod must exist: a typo gets the apiserver's NotFound, not the scheduler's silence.
  await conn.resource({ group: '', version: 'v1', resource: 'pods' }, conn.namespace).get(name);
  const base = scheduler.url;
  const url = `${base.replace(/\/$/, '')}/debug/decisions/${encodeURIComponent(conn.namespace)}/${encodeURIComponent(name)}`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new UsageError(
      `error: cannot reach the scheduler at ${base}, from ${scheduler.from} (${errorMessage((err as { cause?: unknown }).cause ?? err)}); is the cluster running? pass --scheduler <url> to ask another`,
      { cause: err },
    );
  }
  if (res.status === 404) {
    throw new UsageError(
      `error: the scheduler has no decision for pod "${conn.namespace}/${name}" (not scheduled by it yet, or since it restarted)`,
    );
  }
  if (!res.ok)
    throw new UsageError(`error: the scheduler answered ${res.status}: ${await res.text()}`);
  out.write(decisionText((await res.json()) as Decision));
  return 0;
}

export function decisionText(d: Decision): string {
  const head = `Pod:      ${d.pod}\nAttempt:  ${d.attempt} at ${d.time}\nResult:   ${d.node ? `scheduled to ${d.node}` : 'not scheduled'}\nWhy:      ${d.message}\n\n`;
  const rows = d.nodes.map((n) =>
    [
      n.name,
      n.filter ? `rejected by ${n.filter.plugin}` : 'passed',
      n.filter ? n.filter.reason : String(n.total),
      n.filter
        ? ''
        : Object.entries(n.scores)
            .map(([plugin, s]) => `${plugin}=${s.weighted}`)
            .join(' '),
    ].join('\t'),
  );
  return (
    head +
    alignColumns(
      ['NODE\tFILTER\tREASON OR TOTAL\tWEIGHTED SCORES', ...rows].map((l) => `${l}\n`).join(''),
    )
  );
}
