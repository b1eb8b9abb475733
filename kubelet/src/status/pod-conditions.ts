// The kubelet's pod conditions (Kubernetes' status/generate.go), in upstream's order:
// PodReadyToStartContainers (the sandbox and its network are up), Initialized (every init
// container succeeded), Ready and ContainersReady (every container ready, plus readiness gates
// for Ready), and PodScheduled kept as the scheduler wrote it. A condition keeps its
// lastTransitionTime while its status does not change.
import type { ContainerStatus, PodCondition, PodPhase, PodSpec } from '@skiff/api';

export interface ConditionInput {
  readonly spec: Readonly<PodSpec>;
  readonly phase: PodPhase;
  readonly sandboxReady: boolean;
  readonly initStatuses: readonly ContainerStatus[];
  readonly statuses: readonly ContainerStatus[];
  /** The conditions the API has now (for transition times and readiness gates). */
  readonly old: readonly PodCondition[];
  readonly now: string;
}

function names(statuses: readonly ContainerStatus[]): string {
  return `[${statuses.map((s) => s.name).join(' ')}]`;
}

export function podConditions(input: ConditionInput): PodCondition[] {
  const { spec, phase, initStatuses, statuses } = input;
  const conditions: Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>[] = [];
  conditions.push({
    type: 'PodReadyToStartContainers',
    status: input.sandboxReady ? 'True' : 'False',
  });

  const isSidecar = (name: string): boolean =>
    spec.initContainers?.find((c) => c.name === name)?.restartPolicy === 'Always';
  const incompleteInit = initStatuses.filter((s) =>
    isSidecar(s.name) ? s.started !== true : s.state?.terminated?.exitCode !== 0,
  );
  const anyStarted = statuses.some((s) => s.containerID !== undefined);
  conditions.push(
    incompleteInit.length === 0 || anyStarted || phase === 'Succeeded'
      ? { type: 'Initialized', status: 'True' }
      : {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: `containers with incomplete status: ${names(incompleteInit)}`,
        },
  );

  // Sidecars count as containers for readiness, as upstream.
  const unready = [...initStatuses.filter((s) => isSidecar(s.name)), ...statuses].filter(
    (s) => !s.ready,
  );
  const containersReady: Omit<PodCondition, 'type'> =
    phase === 'Succeeded'
      ? { status: 'False', reason: 'PodCompleted' }
      : unready.length === 0
        ? { status: 'True' }
        : {
            status: 'False',
            reason: 'ContainersNotReady',
            message: `containers with unready status: ${names(unready)}`,
          };
  const missingGates = (spec.readinessGates ?? [])
    .map((g) => g.conditionType)
    .filter((type) => input.old.find((c) => c.type === type)?.status !== 'True');
  const ready: Omit<PodCondition, 'type'> =
    containersReady.status === 'True' && missingGates.length > 0
      ? {
          status: 'False',
          reason: 'ReadinessGatesNotReady',
          message: `corresponding condition of pod readiness gate "${missingGates[0] ?? ''}" does not exist.`,
        }
      : containersReady;
  conditions.push({ type: 'Ready', ...ready }, { type: 'ContainersReady', ...containersReady });
  conditions.push(
    input.old.find((c) => c.type === 'PodScheduled') ?? { type: 'PodScheduled', status: 'True' },
  );

  const result = conditions.map((c): PodCondition => {
    const before = input.old.find((o) => o.type === c.type);
    const since =
      before?.status === c.status ? (before.lastTransitionTime ?? input.now) : input.now;
    return { ...c, lastTransitionTime: since };
  });
  // Conditions the kubelet does not own (readiness gates, DisruptionTarget, …) are kept.
  const owned = new Set(result.map((c) => c.type));
  return [...result, ...input.old.filter((c) => !owned.has(c.type))];
}
