// `skiff rollout status|history|undo|restart|pause|resume` for Deployments, as kubectl words
// them: status follows the Deployment (a watch) and prints each new state until it has rolled out
// (or --timeout, or its progress deadline); history and undo read the ReplicaSets it owns and
// their `deployment.kubernetes.io/revision`; restart stamps the pod template so every pod is
// replaced; pause and resume flip spec.paused.
import type { Deployment, PodTemplateSpec, ReplicaSet } from '@skiff/api';
import { parseDuration } from '@skiff/api';
import type { ResourceClient } from '@skiff/client';
import { UsageError } from '../kubectl/errors.js';
import { kindPrefix } from '../kubectl/resource-args.js';
import { verbCommand, type VerbContext } from '../kubectl/run-verb.js';
import { objectTargets, type ObjectTarget } from '../kubectl/targets.js';

const usage = `Manage the rollout of one or many deployments.

Usage:
  skiff rollout status (TYPE NAME | TYPE/NAME) [--watch=false] [--timeout=5m]
  skiff rollout history (TYPE NAME | TYPE/NAME) [--revision=N]
  skiff rollout undo (TYPE NAME | TYPE/NAME) [--to-revision=N]
  skiff rollout restart|pause|resume (TYPE NAME | TYPE/NAME | TYPE -l selector)
`;

const verb = {
  name: 'rollout',
  usage,
  options: {
    watch: { type: 'string', short: 'w' },
    timeout: { type: 'string' },
    revision: { type: 'string' },
    'to-revision': { type: 'string' },
    selector: { type: 'string', short: 'l' },
  },
} as const;

type Ctx = VerbContext<typeof verb.options>;
const REVISION = 'deployment.kubernetes.io/revision';

export const rolloutCommand = verbCommand(verb, async (ctx) => {
  const [sub, ...args] = ctx.args;
  const subcommands: Record<string, (ctx: Ctx, t: ObjectTarget) => Promise<void>> = {
    status,
    history,
    undo,
    restart,
    pause: (c, t) => setPaused(c, t, true),
    resume: (c, t) => setPaused(c, t, false),
  };
  const run = sub === undefined ? undefined : subcommands[sub];
  if (!run)
    throw new UsageError(`error: unknown command "${sub ?? ''}" for "skiff rollout"\n\n${usage}`);
  const targets = await objectTargets(ctx.conn, args, `rollout ${sub ?? ''}`, {
    selector: ctx.flags.selector,
  });
  if (targets.length === 0) throw new UsageError('error: required resource not specified');
  for (const target of targets) {
    if (target.mapping.kind !== 'Deployment') {
      throw new UsageError(
        `error: no ${sub ?? ''} for ${kindPrefix(target.mapping)}: skiff rolls out deployments`,
      );
    }
    await run(ctx, target);
  }
  return 0;
});

function deployments(target: ObjectTarget): ResourceClient<Deployment> {
  return target.client as unknown as ResourceClient<Deployment>;
}

/** kubectl's DeploymentStatusViewer: the line for where the rollout is, and whether it is done. */
export function rolloutState(d: Deployment): { line: string; done: boolean } {
  const name = d.metadata.name ?? '';
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { line: 'Waiting for deployment spec update to be observed...\n', done: false };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    throw new UsageError(`error: deployment "${name}" exceeded its progress deadline`);
  }
  const wanted = d.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const waiting = `Waiting for deployment "${name}" rollout to finish: `;
  if (updated < wanted)
    return {
      line: `${waiting}${updated} out of ${wanted} new replicas have been updated...\n`,
      done: false,
    };
  if (replicas > updated)
    return {
      line: `${waiting}${replicas - updated} old replicas are pending termination...\n`,
      done: false,
    };
  if (available < updated)
    return {
      line: `${waiting}${available} of ${updated} updated replicas are available...\n`,
      done: false,
    };
  return { line: `deployment "${name}" successfully rolled out\n`, done: true };
}

async function status(ctx: Ctx, target: ObjectTarget): Promise<void> {
  const client = deployments(target);
  const timeoutMs = ctx.flags.timeout ? parseDuration(ctx.flags.timeout) : 0;
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let last = '';
  for (;;) {
    const state = rolloutState(await client.get(target.name));
    if (state.line !== last) ctx.out.write(state.line);
    last = state.line;
    if (state.done || ctx.flags.watch === 'false') return;
    // Follow the Deployment's changes (or a minute's silence) rather than polling it.
    const remaining = Math.min(60, Math.ceil((deadline - Date.now()) / 1000));
    if (remaining <= 0) throw new UsageError('error: timed out waiting for the condition');
    const watch = await client.watch({
      fieldSelector: `metadata.name=${target.name}`,
      timeoutSeconds: remaining,
    });
    for await (const event of watch) {
      if (event.type !== 'MODIFIED' && event.type !== 'ADDED') continue;
      const next = rolloutState(event.object);
      if (next.line !== last) ctx.out.write(next.line);
      last = next.line;
      if (next.done) {
        watch.stop();
        return;
      }
    }
  }
}

/** The Deployment's ReplicaSets by revision, oldest first. */
async function revisions(ctx: Ctx, deployment: Deployment): Promise<[number, ReplicaSet][]> {
  const uid = deployment.metadata.uid;
  const sets = await ctx.conn
    .resource<ReplicaSet>(
      { group: 'apps', version: 'v1', resource: 'replicasets' },
      deployment.metadata.namespace,
    )
    .list();
  return sets.items
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === uid && o.controller))
    .map((rs): [number, ReplicaSet] => [Number(rs.metadata.annotations?.[REVISION] ?? 0), rs])
    .sort(([a], [b]) => a - b);
}

async function history(ctx: Ctx, target: ObjectTarget): Promise<void> {
  const deployment = await deployments(target).get(target.name);
  const all = await revisions(ctx, deployment);
  const wanted = ctx.flags.revision === undefined ? undefined : Number(ctx.flags.revision);
  if (wanted !== undefined && wanted > 0) {
    const found = all.find(([r]) => r === wanted);
    if (!found) throw new UsageError(`error: unable to find the specified revision`);
    const template = found[1].spec.template;
    ctx.out.write(
      `${kindPrefix(target.mapping)}/${target.name} with revision #${wanted}\nPod Template:\n${JSON.stringify(template, null, 2)}\n`,
    );
    return;
  }
  const rows = all.map(
    ([r, rs]) => `${r}\t${rs.metadata.annotations?.['kubernetes.io/change-cause'] ?? '<none>'}\n`,
  );
  ctx.out.write(
    `${kindPrefix(target.mapping)}/${target.name} \n${alignHistory(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`)}\n`,
  );
}

/** rollout history's own tabwriter: padding 2, no minimum width. */
function alignHistory(text: string): string {
  const lines = text
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t'));
  const width = Math.max(...lines.map((cells) => (cells[0] ?? '').length)) + 2;
  return lines
    .map((cells) => `${(cells[0] ?? '').padEnd(width)}${cells.slice(1).join('\t')}\n`)
    .join('');
}

async function undo(ctx: Ctx, target: ObjectTarget): Promise<void> {
  const client = deployments(target);
  const deployment = await client.get(target.name);
  if (deployment.spec.paused) {
    throw new UsageError(
      `error: you cannot rollback a paused deployment; resume it first with 'skiff rollout resume' and try again`,
    );
  }
  const all = await revisions(ctx, deployment);
  const toRevision = Number(ctx.flags['to-revision'] ?? 0);
  const current = all.at(-1)?.[0] ?? 0;
  const chosen =
    toRevision > 0
      ? all.find(([r]) => r === toRevision)
      : all.filter(([r]) => r !== current).at(-1);
  if (!chosen) {
    throw new UsageError(
      toRevision > 0
        ? `error: unable to find specified revision ${toRevision} in history`
        : 'error: no rollout history found for deployment "' + target.name + '"',
    );
  }
  const template = structuredClone(chosen[1].spec.template ?? ({} as PodTemplateSpec));
  delete template.metadata?.labels?.['pod-template-hash'];
  if (chosen[0] === current) {
    ctx.out.write(
      `${kindPrefix(target.mapping)}/${target.name} skipped rollback (current template already matches revision ${chosen[0]})\n`,
    );
    return;
  }
  await client.patch(target.name, [{ op: 'replace', path: '/spec/template', value: template }], {
    type: 'json',
  });
  ctx.out.write(`${kindPrefix(target.mapping)}/${target.name} rolled back\n`);
}

async function restart(ctx: Ctx, target: ObjectTarget): Promise<void> {
  const client = deployments(target);
  const deployment = await client.get(target.name);
  if (deployment.spec.paused) {
    throw new UsageError(
      `error: deployments.apps "${target.name}" can't restart paused deployment (run rollout resume first)`,
    );
  }
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const patch = {
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } },
  };
  await client.patch(target.name, patch, { type: 'strategic' });
  ctx.out.write(`${kindPrefix(target.mapping)}/${target.name} restarted\n`);
}

async function setPaused(ctx: Ctx, target: ObjectTarget, paused: boolean): Promise<void> {
  const client = deployments(target);
  const deployment = await client.get(target.name);
  const word = paused ? 'paused' : 'resumed';
  if ((deployment.spec.paused ?? false) === paused) {
    throw new UsageError(
      `error: deployments.apps "${target.name}" is ${paused ? 'already paused' : 'not paused'}`,
    );
  }
  await client.patch(target.name, { spec: { paused } }, { type: 'strategic' });
  ctx.out.write(`${kindPrefix(target.mapping)}/${target.name} ${word}\n`);
}
