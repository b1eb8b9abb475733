// Realistic objects for the patch tests, built the way the apiserver stores them, and the
// expected-failure helper every patch test uses. (Tests deep-freeze their inputs with
// @skiff/api's deepFreeze, so a patch function that writes into them fails loudly.)
import { PatchError } from './errors.js';
import type { JsonObject, JsonValue } from './json.js';

export function nginxContainer(image = 'nginx:1.25'): JsonObject {
  return {
    name: 'nginx',
    image,
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    env: [{ name: 'MODE', value: 'production' }],
    volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/conf.d' }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
  };
}

export function sidecarContainer(): JsonObject {
  return { name: 'log-shipper', image: 'fluent/fluent-bit:3.0', args: ['--quiet'] };
}

export function podSpec(
  containers: JsonObject[] = [nginxContainer(), sidecarContainer()],
): JsonObject {
  return {
    containers,
    volumes: [{ name: 'config', configMap: { name: 'nginx-config' } }],
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    restartPolicy: 'Always',
  };
}

export function makePod(spec: JsonObject = podSpec()): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      namespace: 'default',
      uid: '4f1c2a9e-1111-4a3b-9c2d-000000000001',
      resourceVersion: '42',
      labels: { app: 'web', tier: 'frontend' },
      finalizers: ['example.com/cleanup', 'example.com/audit'],
    },
    spec,
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      ],
    },
  };
}

export function makeDeployment(overrides: { replicas?: number; image?: string } = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '4f1c2a9e-2222-4a3b-9c2d-000000000002',
      resourceVersion: '7',
      generation: 1,
      labels: { app: 'web' },
      annotations: {},
    },
    spec: {
      replicas: overrides.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: podSpec([nginxContainer(overrides.image), sidecarContainer()]),
      },
    },
    status: { replicas: 3, readyReplicas: 3 },
  };
}

/** Reads a nested value by field names and list indexes, for assertions. */
export function at(value: JsonValue, ...path: (string | number)[]): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const step of path) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current)
      ? typeof step === 'number'
        ? current[step]
        : undefined
      : typeof step === 'string'
        ? current[step]
        : undefined;
  }
  return current;
}

/** The PatchError `run` throws; fails the test if it succeeds or throws anything else. */
export function patchFailure(run: () => unknown): PatchError {
  try {
    run();
  } catch (err) {
    if (err instanceof PatchError) return err;
    throw err;
  }
  throw new Error('expected the patch to fail');
}
