import type { Service, ServicePort } from '@skiff/api';
import { makePod, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { makeEnvironmentVariables } from './env.js';
import { serviceEnvVars, servicesForPod } from './service-env.js';

function service(
  name: string,
  namespace: string,
  clusterIP: string,
  ports: ServicePort[],
): Service {
  const s = makeService().name(name).namespace(namespace).obj();
  s.spec = { ...s.spec, clusterIP, ports };
  return s;
}

const web = service('web-front', 'shop', '10.96.0.20', [
  { name: 'http', port: 80, protocol: 'TCP' },
  { name: 'dns', port: 53, protocol: 'UDP' },
]);
const headless = service('db', 'shop', 'None', [{ port: 5432 }]);
const kubernetes = service('kubernetes', 'default', '10.96.0.1', [{ name: 'https', port: 443 }]);

describe('serviceEnvVars', () => {
  it('writes Kubernetes’ and Docker links’ variables for services with a cluster IP', () => {
    expect(Object.fromEntries(serviceEnvVars([web, headless]))).toEqual({
      WEB_FRONT_SERVICE_HOST: '10.96.0.20',
      WEB_FRONT_SERVICE_PORT: '80',
      WEB_FRONT_SERVICE_PORT_HTTP: '80',
      WEB_FRONT_SERVICE_PORT_DNS: '53',
      WEB_FRONT_PORT: 'tcp://10.96.0.20:80',
      WEB_FRONT_PORT_80_TCP: 'tcp://10.96.0.20:80',
      WEB_FRONT_PORT_80_TCP_PROTO: 'tcp',
      WEB_FRONT_PORT_80_TCP_PORT: '80',
      WEB_FRONT_PORT_80_TCP_ADDR: '10.96.0.20',
      WEB_FRONT_PORT_53_UDP: 'udp://10.96.0.20:53',
      WEB_FRONT_PORT_53_UDP_PROTO: 'udp',
      WEB_FRONT_PORT_53_UDP_PORT: '53',
      WEB_FRONT_PORT_53_UDP_ADDR: '10.96.0.20',
    });
  });

  it('enableServiceLinks: false keeps only the kubernetes service', () => {
    const linked = makePod().namespace('shop').obj();
    const unlinked = makePod().namespace('shop').spec({ enableServiceLinks: false }).obj();
    expect(servicesForPod(linked, [web], kubernetes).map((s) => s.metadata.name)).toEqual([
      'web-front',
      'kubernetes',
    ]);
    expect(servicesForPod(unlinked, [web], kubernetes).map((s) => s.metadata.name)).toEqual([
      'kubernetes',
    ]);
    const inDefault = makePod().namespace('default').obj();
    expect(servicesForPod(inDefault, [kubernetes], kubernetes)).toHaveLength(1);
  });

  it('pod variables win over service ones, and $(VAR) can name a service variable', async () => {
    const pod = makePod()
      .namespace('shop')
      .container('app', {
        env: [
          { name: 'WEB_FRONT_SERVICE_PORT', value: '8080' },
          { name: 'URL', value: 'http://$(WEB_FRONT_SERVICE_HOST):$(WEB_FRONT_SERVICE_PORT)' },
        ],
      })
      .obj();
    const container = pod.spec.containers[0];
    if (!container) throw new Error('no container');
    const vars = await makeEnvironmentVariables(container, {
      pod,
      podIPs: [],
      hostIPs: [],
      nodeAllocatable: {},
      sources: {
        configMap: () => Promise.resolve(undefined),
        secret: () => Promise.resolve(undefined),
        services: () => Promise.resolve([web]),
      },
    });
    const env = Object.fromEntries(vars.map((v) => [v.name, v.value]));
    expect(env.WEB_FRONT_SERVICE_PORT).toBe('8080');
    expect(env.URL).toBe('http://10.96.0.20:8080');
    expect(env.WEB_FRONT_PORT).toBe('tcp://10.96.0.20:80');
  });
});
