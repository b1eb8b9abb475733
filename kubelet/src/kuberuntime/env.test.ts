import type { ConfigMap, Container, Pod, Secret } from '@skiff/api';
import { makeConfigMap, makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { makeEnvironmentVariables, type EnvContext } from './env.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

const configMaps: Record<string, ConfigMap> = {
  'ns/settings': makeConfigMap()
    .name('settings')
    .namespace('ns')
    .data({ LEVEL: 'debug', 'bad key': 'x', MODE: 'fast' })
    .obj(),
};
const secrets: Record<string, Secret> = {
  'ns/creds': {
    metadata: { name: 'creds', namespace: 'ns' },
    data: { PASSWORD: b64('s3cret') },
  },
};

function context(pod: Pod): EnvContext {
  return {
    pod,
    podIPs: ['10.88.0.7'],
    hostIPs: ['192.168.1.10'],
    nodeAllocatable: { cpu: '4', memory: '8Gi' },
    sources: {
      configMap: (ns, name) => Promise.resolve(configMaps[`${ns}/${name}`]),
      secret: (ns, name) => Promise.resolve(secrets[`${ns}/${name}`]),
    },
  };
}

async function envOf(fields: Partial<Container>): Promise<Record<string, string>> {
  const pod = makePod()
    .name('web-1')
    .namespace('ns')
    .uid('uid-1')
    .labels({ app: 'web' })
    .node('node-1')
    .container('app', fields)
    .obj();
  const container = pod.spec.containers[0];
  if (!container) throw new Error('no container');
  const vars = await makeEnvironmentVariables(container, context(pod));
  return Object.fromEntries(vars.map((v) => [v.name, v.value]));
}

describe('makeEnvironmentVariables', () => {
  it('expands $(VAR) against the variables defined before, leaving later ones as written', async () => {
    expect(
      await envOf({
        env: [
          { name: 'A', value: 'a' },
          { name: 'B', value: '$(A)-b-$(C)' },
          { name: 'C', value: 'c' },
          { name: 'D', value: '$$(A)' },
        ],
      }),
    ).toEqual({ A: 'a', B: 'a-b-$(C)', C: 'c', D: '$(A)' });
  });

  it('reads the downward API fields of the pod', async () => {
    const field = (name: string, fieldPath: string) => ({
      name,
      valueFrom: { fieldRef: { fieldPath } },
    });
    expect(
      await envOf({
        env: [
          field('NAME', 'metadata.name'),
          field('NS', 'metadata.namespace'),
          field('UID', 'metadata.uid'),
          field('APP', "metadata.labels['app']"),
          field('NODE', 'spec.nodeName'),
          field('POD_IP', 'status.podIP'),
          field('HOST_IP', 'status.hostIP'),
        ],
      }),
    ).toEqual({
      NAME: 'web-1',
      NS: 'ns',
      UID: 'uid-1',
      APP: 'web',
      NODE: 'node-1',
      POD_IP: '10.88.0.7',
      HOST_IP: '192.168.1.10',
    });
  });

  it('reads resources, rounding up by the divisor and defaulting limits to the node', async () => {
    const ref = (name: string, resource: string, divisor?: string) => ({
      name,
      valueFrom: { resourceFieldRef: { resource, ...(divisor && { divisor }) } },
    });
    expect(
      await envOf({
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        env: [
          ref('CPU_REQ', 'requests.cpu'),
          ref('CPU_REQ_M', 'requests.cpu', '1m'),
          ref('CPU_LIM', 'limits.cpu'),
          ref('MEM_LIM_MI', 'limits.memory', '1Mi'),
          ref('MEM_REQ', 'requests.memory'),
        ],
      }),
    ).toEqual({
      CPU_REQ: '1',
      CPU_REQ_M: '250',
      CPU_LIM: '4',
      MEM_LIM_MI: '128',
      MEM_REQ: String(64 * 1024 * 1024),
    });
  });

  it('imports ConfigMap and Secret keys, envFrom first, skipping invalid names', async () => {
    expect(
      await envOf({
        envFrom: [
          { configMapRef: { name: 'settings' }, prefix: 'CFG_' },
          { secretRef: { name: 'creds' } },
        ],
        env: [
          { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
          { name: 'URL', value: 'http://$(CFG_LEVEL)' },
        ],
      }),
    ).toEqual({
      CFG_LEVEL: 'debug',
      CFG_MODE: 'fast',
      PASSWORD: 's3cret',
      MODE: 'fast',
      PW: 's3cret',
      URL: 'http://debug',
    });
  });

  it('skips optional references that are missing', async () => {
    expect(
      await envOf({
        envFrom: [{ configMapRef: { name: 'absent', optional: true } }],
        env: [
          {
            name: 'X',
            valueFrom: { configMapKeyRef: { name: 'settings', key: 'NOPE', optional: true } },
          },
          { name: 'Y', valueFrom: { secretKeyRef: { name: 'absent', key: 'K', optional: true } } },
        ],
      }),
    ).toEqual({});
  });

  it.each([
    [
      { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'NOPE' } } }] },
      "couldn't find key NOPE in ConfigMap ns/settings",
    ],
    [
      { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'NOPE' } } }] },
      "couldn't find key NOPE in Secret ns/creds",
    ],
    [{ envFrom: [{ configMapRef: { name: 'absent' } }] }, 'configmap "absent" not found'],
    [
      { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'K' } } }] },
      'secret "absent" not found',
    ],
  ])('refuses a missing reference: %j', async (fields, message) => {
    await expect(envOf(fields)).rejects.toThrow(message);
  });
});
