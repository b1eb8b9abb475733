// Sandbox records as CRI reports them (proto-loader's decoded shapes: all fields present).
import type { PodSandboxStatus__Output, PodSandbox__Output } from '@skiff/proto';
import type { SandboxPhase, SandboxRecord } from './sandbox-record.js';

export function criSandboxState(phase: SandboxPhase): 'SANDBOX_READY' | 'SANDBOX_NOTREADY' {
  return phase === 'ready' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY';
}

export function sandboxStatus(
  record: SandboxRecord,
  phase: SandboxPhase,
): PodSandboxStatus__Output {
  return {
    id: record.id,
    metadata: metadata(record),
    state: criSandboxState(phase),
    created_at: record.createdAtNs,
    network: { ip: record.ip, additional_ips: [] },
    linux: {
      namespaces: {
        options: {
          network: record.modes.network,
          pid: record.modes.pid,
          ipc: record.modes.ipc,
          target_id: '',
          userns_options: null,
        },
      },
    },
    labels: { ...record.labels },
    annotations: { ...record.annotations },
    runtime_handler: record.runtimeHandler,
  };
}

export function sandboxSummary(record: SandboxRecord, phase: SandboxPhase): PodSandbox__Output {
  return {
    id: record.id,
    metadata: metadata(record),
    state: criSandboxState(phase),
    created_at: record.createdAtNs,
    labels: { ...record.labels },
    annotations: { ...record.annotations },
    runtime_handler: record.runtimeHandler,
  };
}

function metadata(record: SandboxRecord): PodSandbox__Output['metadata'] {
  return {
    name: record.name,
    uid: record.uid,
    namespace: record.namespace,
    attempt: record.attempt,
  };
}
