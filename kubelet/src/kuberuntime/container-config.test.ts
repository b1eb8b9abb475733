import type { Container, Pod } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { generateContainerConfig, type ContainerConfigInput } from './container-config.js';
import { generatePodSandboxConfig } from './sandbox-config.js';

const gi = 1024 ** 3;

function input(pod: Pod, fields: Partial<ContainerConfigInput> = {}): ContainerConfigInput {
  const container = pod.spec.containers[0] as Container;
  return {
    pod,
    container,
    restartCount: 2,
    imageRef: 'sha256:abc',
    imageUid: undefined,
    env: [{ name: 'GREETING', value: 'hi' }],
    qos: 'Burstable',
    nodeMemoryCapacityBytes: 8 * gi,
    mounts: [],
    ...fields,
  };
}

describe('generateContainerConfig', () => {
  it('expands command and args, names the restart attempt and ties it to its pod', () => {
    const pod = makePod()
      .name('web')
      .namespace('ns')
      .uid('u1')
      .container('app', {
        command: ['sh', '-c'],
        args: ['echo $(GREETING) $(NOPE)'],
        workingDir: '/w',
      })
      .obj();
    const config = generateContainerConfig(input(pod));
    expect(config).toMatchObject({
      metadata: { name: 'app', attempt: 2 },
      image: { image: 'sha256:abc' },
      command: ['sh', '-c'],
      args: ['echo hi $(NOPE)'],
      working_dir: '/w',
      envs: [{ key: 'GREETING', value: 'hi' }],
      log_path: 'app/2.log',
      labels: {
        'io.kubernetes.pod.uid': 'u1',
        'io.kubernetes.pod.name': 'web',
        'io.kubernetes.pod.namespace': 'ns',
        'io.kubernetes.container.name': 'app',
      },
    });
    expect(config.annotations?.['io.kubernetes.container.restartCount']).toBe('2');
  });

  it('turns requests and limits into cgroup shares, quota and memory limit', () => {
    const pod = makePod()
      .requests({ cpu: '250m', memory: '1Gi' })
      .limits({ cpu: '1500m', memory: '2Gi' })
      .obj();
    expect(generateContainerConfig(input(pod)).linux?.resources).toEqual({
      cpu_shares: 256,
      cpu_period: 100_000,
      cpu_quota: 150_000,
      memory_limit_in_bytes: 2 * gi,
      oom_score_adj: 875,
    });
    const bestEffort = generateContainerConfig(input(makePod().obj(), { qos: 'BestEffort' }));
    expect(bestEffort.linux?.resources).toEqual({ cpu_shares: 2, oom_score_adj: 1000 });
  });

  it('carries the security context, the container overriding the pod', () => {
    const pod = makePod()
      .spec({
        securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 },
        hostPID: true,
      })
      .container('app', {
        securityContext: {
          runAsUser: 1001,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        },
      })
      .obj();
    expect(generateContainerConfig(input(pod)).linux?.security_context).toEqual({
      privileged: false,
      capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] },
      namespace_options: { network: 'POD', pid: 'NODE', ipc: 'POD' },
      run_as_user: { value: 1001 },
      run_as_group: { value: 3000 },
      supplemental_groups: [2000],
      readonly_rootfs: true,
      no_new_privs: true,
    });
  });

  it('refuses runAsNonRoot for root, or an image that runs as root', () => {
    const root = makePod()
      .container('app', { securityContext: { runAsNonRoot: true, runAsUser: 0 } })
      .obj();
    expect(() => generateContainerConfig(input(root))).toThrow(
      "container's runAsUser breaks non-root policy",
    );
    const image = makePod()
      .spec({ securityContext: { runAsNonRoot: true } })
      .obj();
    expect(() => generateContainerConfig(input(image, { imageUid: 0 }))).toThrow(
      'container has runAsNonRoot and image will run as root',
    );
    expect(
      generateContainerConfig(input(image, { imageUid: 65534 })).linux?.security_context
        ?.run_as_user,
    ).toBeUndefined();
  });
});

describe('generatePodSandboxConfig', () => {
  it('names the pod, its attempt, hostname, log directory and host ports', () => {
    const pod = makePod()
      .name('web')
      .namespace('ns')
      .uid('u1')
      .labels({ app: 'web' })
      .hostPort(8080)
      .obj();
    const dns = {
      clusterDNS: ['10.96.0.10'],
      clusterDomain: 'cluster.local',
      host: { servers: [], searches: [], options: [] },
    };
    const config = generatePodSandboxConfig(pod, 1, { dns, podLogsDirectory: '/var/log/pods' });
    expect(config).toMatchObject({
      metadata: { name: 'web', namespace: 'ns', uid: 'u1', attempt: 1 },
      hostname: 'web',
      log_directory: '/var/log/pods/ns_web_u1',
      port_mappings: [{ protocol: 'TCP', container_port: 8080, host_port: 8080, host_ip: '' }],
      labels: { app: 'web', 'io.kubernetes.pod.uid': 'u1' },
      dns_config: { servers: ['10.96.0.10'] },
    });
  });
});
