// Realistic objects for the patch tests, built the way the apiserver stores them, and the
// expected-failure helper every patch test uses. (Tests deep-freeze their inputs with
// @skiff/api's deepFreeze, so a patch function that writes into them fails loudly.)
import * as builders from '@skiff/api/testing';
import { PatchError } from './errors.js';
import { copyJson, isJsonObject, type JsonObject, type JsonValue } from './json.js';

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

/** A builder's object as the JSON the patch functions take. */
function json(object: object): JsonObject {
  const value = copyJson(object, 'fixture');
  if (!isJsonObject(value)) throw new TypeError('a fixture must be a JSON object');
  return value;
}

export function makePod(spec: JsonObject = podSpec()): JsonObject {
  const pod = builders
    .makePod()
    .name('web-0')
    .namespace('default')
    .uid('4f1c2a9e-1111-4a3b-9c2d-000000000001')
    .resourceVersion('42')
    .labels({ app: 'web', tier: 'frontend' })
    .finalizers('example.com/cleanup', 'example.com/audit')
    .phase('Running')
    .condition('Initialized', 'True')
    .condition('Ready', 'False', { reason: 'ContainersNotReady' })
    .obj();
  return { ...json(pod), spec };
}

export function makeDeployment(overrides: { replicas?: number; image?: string } = {}): JsonObject {
  const deployment = builders
    .makeDeployment()
    .name('web')
    .namespace('default')
    .uid('4f1c2a9e-2222-4a3b-9c2d-000000000002')
    .resourceVersion('7')
    .generation(1)
    .labels({ app: 'web' })
    .annotations({})
    .replicas(overrides.replicas ?? 3)
    .selectorLabels({ app: 'web' })
    .strategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } })
    .status({ replicas: 3, readyReplicas: 3 })
    .obj();
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: podSpec([nginxContainer(overrides.image), sidecarContainer()]),
  };
  return { ...json(deployment), spec: { ...json(deployment.spec), template } };
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
