// `skiff explain pod NAME`: the scheduler's latest decision for the pod, from its
// /debug/decisions endpoint (scheduler/src/explain), as a table — per node, the filter plugin and
// reason that rejected it, or the weighted score of each plugin and the total that ranked it.
import { errorMessage } from '@skiff/api';
import type { Decision } from '@skiff/scheduler';
import type { Connection } from '../kubectl/connection.js';
import { UsageError } from '../kubectl/errors.js';
import { alignColumns } from '../kubectl/printers/tabwriter.js';

export const DEFAULT_SCHEDULER_URL = 'http://127.0.0.1:10259';

export async function explainDecision(
  conn: Connection,
  name: string,
  schedulerUrl: string | undefined,
  out: NodeJS.WritableStream,
): Promise<number> {
  // The pod must exist: a typo gets the apiserver's NotFound, not the scheduler's silence.
  await conn.resource({ group: '', version: 'v1', resource: 'pods' }, conn.namespace).get(name);
  const base = schedulerUrl ?? process.env.SKIFF_SCHEDULER_URL ?? DEFAULT_SCHEDULER_URL;
  const url = `${base.replace(/\/$/, '')}/debug/decisions/${encodeURIComponent(conn.namespace)}/${encodeURIComponent(name)}`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new UsageError(
      `error: cannot reach the scheduler at ${base} (${errorMessage((err as { cause?: unknown }).cause ?? err)}); pass --scheduler <url> (skiff up: the URL its scheduler serves on is in <state-dir>/logs/scheduler.log)`,
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
