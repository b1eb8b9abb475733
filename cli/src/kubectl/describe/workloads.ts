// kubectl describe replicaset and deployment: the pod template, replica counts, conditions,
// the pods a ReplicaSet controls by phase, a Deployment's old and new ReplicaSets.
import type { Deployment, Pod, PodTemplateSpec, ReplicaSet } from '@skiff/api';
import { labelSelectorAsSelector } from '@skiff/api';
import { apps, core, typed, type DescribeContext, type Describer } from './context.js';
import { describeEvents, searchEvents } from './events.js';
import {
  controllerOf,
  formatLabelSelector,
  printAnnotations,
  printLabels,
  rfc1123z,
} from './fields.js';
import { describePodTemplate } from './pod.js';
import { tabbed } from './writer.js';

const emptyTemplate: PodTemplateSpec = { spec: { containers: [] } };

export const describeReplicaSet: Describer = async (ctx, namespace, name) => {
  const rs = await typed<ReplicaSet>(ctx, apps('replicasets'), namespace).get(name);
  let pods: string;
  try {
    const counts = await podPhasesOf(ctx, namespace, formatSelector(rs), rs.metadata.uid);
    pods = `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`;
  } catch (err) {
    pods = `error in fetching pods: ${err instanceof Error ? err.message : String(err)}`;
  }
  const events = ctx.showEvents
    ? await searchEvents(ctx.conn, {
        name,
        namespace,
        kind: 'ReplicaSet',
        uid: rs.metadata.uid,
      })
    : undefined;
  return tabbed((w) => {
    w.write(0, `Name:\t${rs.metadata.name ?? ''}\n`);
    w.write(0, `Namespace:\t${rs.metadata.namespace ?? ''}\n`);
    w.write(0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
    printLabels(w, 'Labels', rs.metadata.labels);
    printAnnotations(w, 'Annotations', rs.metadata.annotations);
    const controller = controllerOf(rs.metadata);
    if (controller) w.write(0, `Controlled By:\t${controller}\n`);
    w.write(
      0,
      `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 0} desired\n`,
    );
    w.write(0, `Pods Status:\t${pods}\n`);
    describePodTemplate(w, rs.spec.template ?? emptyTemplate);
    conditionsWithReason(w, rs.status?.conditions);
    if (events) describeEvents(w, events, ctx.now);
  });
};

export const describeDeployment: Describer = async (ctx, namespace, name) => {
  const d = await typed<Deployment>(ctx, apps('deployments'), namespace).get(name);
  const events = ctx.showEvents
    ? await searchEvents(ctx.conn, { name, namespace, kind: 'Deployment', uid: d.metadata.uid })
    : undefined;
  const { oldSets, newSet } = await replicaSetsOf(ctx, d);
  return tabbed((w) => {
    const status = d.status ?? {};
    w.write(0, `Name:\t${d.metadata.name ?? ''}\n`);
    w.write(0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
    w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
    printLabels(w, 'Labels', d.metadata.labels);
    printAnnotations(w, 'Annotations', d.metadata.annotations);
    w.write(0, `Selector:\t${labelSelectorAsSelector(d.spec.selector).toString()}\n`);
    w.write(
      0,
      `Replicas:\t${d.spec.replicas ?? 0} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
    );
    w.write(0, `StrategyType:\t${d.spec.strategy?.type ?? ''}\n`);
    w.write(0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
    const ru = d.spec.strategy?.rollingUpdate;
    if (ru) {
      w.write(
        0,
        `RollingUpdateStrategy:\t${String(ru.maxUnavailable ?? 0)} max unavailable, ${String(ru.maxSurge ?? 0)} max surge\n`,
      );
    }
    describePodTemplate(w, d.spec.template);
    conditionsWithReason(w, status.conditions);
    if (oldSets.length > 0 || newSet) {
      w.write(0, `OldReplicaSets:\t${replicaSetsText(oldSets)}\n`);
      w.write(0, `NewReplicaSet:\t${replicaSetsText(newSet ? [newSet] : [])}\n`);
    }
    if (events) describeEvents(w, events, ctx.now);
  });
};

function conditionsWithReason(
  w: Parameters<Parameters<typeof tabbed>[0]>[0],
  conditions: readonly { type: string; status: string; reason?: string }[] | undefined,
): void {
  if (!conditions || conditions.length === 0) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

function formatSelector(rs: ReplicaSet): string {
  return labelSelectorAsSelector(rs.spec.selector).toString();
}

/** getPodStatusForController: the selected pods this controller owns, counted by phase. */
async function podPhasesOf(
  ctx: DescribeContext,
  namespace: string,
  labelSelector: string,
  uid: string | undefined,
): Promise<Record<'Running' | 'Pending' | 'Succeeded' | 'Failed', number>> {
  const pods = await typed<Pod>(ctx, core('pods'), namespace).list({ labelSelector });
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const pod of pods.items) {
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller === true);
    if (!owner || owner.uid !== uid) continue;
    const phase = pod.status?.phase;
    if (phase && phase in counts) counts[phase as keyof typeof counts]++;
  }
  return counts;
}

/**
 * The Deployment's ReplicaSets as kubectl's deployment util finds them: those it controls; the
 * new one is the oldest whose template equals the Deployment's (ignoring pod-template-hash).
 */
async function replicaSetsOf(
  ctx: DescribeContext,
  d: Deployment,
): Promise<{ oldSets: ReplicaSet[]; newSet?: ReplicaSet }> {
  // kubectl describes the Deployment without its ReplicaSets when they cannot be listed.
  const list = await typed<ReplicaSet>(ctx, apps('replicasets'), d.metadata.namespace ?? '')
    .list()
    .catch(() => undefined);
  if (!list) return { oldSets: [] };
  const owned = list.items.filter((rs) =>
    rs.metadata.ownerReferences?.some((r) => r.controller === true && r.uid === d.metadata.uid),
  );
  const wanted = canonicalTemplate(d.spec.template);
  const newSet = [...owned]
    .sort(byCreation)
    .find((rs) => rs.spec.template && canonicalTemplate(rs.spec.template) === wanted);
  return { oldSets: owned.filter((rs) => rs !== newSet), newSet };
}

function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const diff =
    Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '');
  if (diff !== 0) return diff;
  const [x, y] = [a.metadata.name ?? '', b.metadata.name ?? ''];
  return x < y ? -1 : x > y ? 1 : 0;
}

function canonicalTemplate(template: PodTemplateSpec): string {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return stableJson({ ...template, metadata: { ...template.metadata, labels } });
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function replicaSetsText(sets: readonly ReplicaSet[]): string {
  const text = sets
    .map(
      (rs) =>
        `${rs.metadata.name ?? ''} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 0} replicas created)`,
    )
    .join(', ');
  return text || '<none>';
}
