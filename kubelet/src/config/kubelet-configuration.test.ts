import { describe, expect, it } from 'vitest';
import {
  decodeKubeletConfiguration,
  KubeletConfigurationError,
  type KubeletConfiguration,
} from './kubelet-configuration.js';

const header = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' };

describe('decodeKubeletConfiguration', () => {
  it.each<[string, Record<string, unknown>, KubeletConfiguration]>([
    ['an empty configuration sets nothing', {}, {}],
    [
      'network and DNS fields',
      {
        address: '127.0.0.1',
        port: 10250,
        readOnlyPort: 0,
        clusterDNS: ['10.96.0.10'],
        clusterDomain: 'cluster.local',
        resolvConf: '/run/systemd/resolve/resolv.conf',
      },
      {
        address: '127.0.0.1',
        port: 10250,
        readOnlyPort: 0,
        clusterDNS: ['10.96.0.10'],
        clusterDomain: 'cluster.local',
        resolvConf: '/run/systemd/resolve/resolv.conf',
      },
    ],
    [
      'Go durations in milliseconds',
      {
        syncFrequency: '1m',
        nodeStatusUpdateFrequency: '10s',
        nodeStatusReportFrequency: '5m0s',
        nodeLeaseDurationSeconds: 40,
        fileCheckFrequency: '20s',
      },
      {
        syncFrequencyMs: 60_000,
        nodeStatusUpdateFrequencyMs: 10_000,
        nodeStatusReportFrequencyMs: 300_000,
        nodeLeaseDurationSeconds: 40,
        fileCheckFrequencyMs: 20_000,
      },
    ],
    [
      'eviction, cgroup driver and healthz fields',
      {
        evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '10%' },
        evictionSoft: { 'memory.available': '300Mi' },
        evictionSoftGracePeriod: { 'memory.available': '1m30s' },
        evictionPressureTransitionPeriod: '0s',
        evictionMaxPodGracePeriod: 30,
        cgroupDriver: 'cgroupfs',
        healthzPort: 10248,
        healthzBindAddress: '127.0.0.1',
      },
      {
        evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '10%' },
        evictionSoft: { 'memory.available': '300Mi' },
        evictionSoftGracePeriod: { 'memory.available': '1m30s' },
        evictionPressureTransitionPeriodMs: 0,
        evictionMaxPodGracePeriod: 30,
        cgroupDriver: 'cgroupfs',
        healthzPort: 10248,
        healthzBindAddress: '127.0.0.1',
      },
    ],
    [
      'node and runtime fields',
      {
        maxPods: 250,
        containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
        podLogsDir: '/var/log/pods',
        staticPodPath: '/etc/kubernetes/manifests',
        registerWithTaints: [
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
          { key: 'x', effect: 'NoExecute' },
        ],
      },
      {
        maxPods: 250,
        containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
        podLogsDir: '/var/log/pods',
        staticPodPath: '/etc/kubernetes/manifests',
        registerWithTaints: [
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
          { key: 'x', effect: 'NoExecute' },
        ],
      },
    ],
    [
      'image GC and minimum reclaim fields',
      {
        imageGCHighThresholdPercent: 90,
        imageGCLowThresholdPercent: 70,
        imageMinimumGCAge: '5m',
        evictionMinimumReclaim: { 'nodefs.available': '500Mi', 'imagefs.available': '2%' },
      },
      {
        imageGCHighThresholdPercent: 90,
        imageGCLowThresholdPercent: 70,
        imageMinimumGCAgeMs: 300_000,
        evictionMinimumReclaim: { 'nodefs.available': '500Mi', 'imagefs.available': '2%' },
      },
    ],
    ['null is a field left out', { maxPods: null }, {}],
  ])('%s', (_name, fields, want) => {
    expect(decodeKubeletConfiguration({ ...header, ...fields })).toEqual(want);
  });

  it.each<[string, unknown, string]>([
    ['not an object', ['a'], 'KubeletConfiguration: Invalid value: the file must hold one object'],
    [
      'another kind',
      { ...header, kind: 'KubeProxyConfiguration' },
      'KubeletConfiguration.kind: Unsupported value: "KubeProxyConfiguration"',
    ],
    [
      'another version',
      { ...header, apiVersion: 'kubelet.config.k8s.io/v1' },
      'KubeletConfiguration.apiVersion: Unsupported value: "kubelet.config.k8s.io/v1"',
    ],
    ['an unknown field', { ...header, maxpods: 3 }, 'KubeletConfiguration.maxpods: unknown field'],
    [
      'a field not implemented here',
      { ...header, memoryManagerPolicy: 'Static' },
      'KubeletConfiguration.memoryManagerPolicy: unknown field',
    ],
    [
      'the systemd cgroup driver',
      { ...header, cgroupDriver: 'systemd' },
      'KubeletConfiguration.cgroupDriver: Unsupported value: "systemd": supported values: "cgroupfs"',
    ],
    [
      'an unknown eviction signal',
      { ...header, evictionHard: { 'memory.free': '1Gi' } },
      'KubeletConfiguration.evictionHard[memory.free]: Invalid value: "1Gi": unsupported eviction signal memory.free',
    ],
    [
      'a negative eviction threshold',
      { ...header, evictionSoft: { 'memory.available': '-1Gi' } },
      'KubeletConfiguration.evictionSoft[memory.available]: Invalid value: "-1Gi": eviction threshold memory.available must be positive',
    ],
    [
      'a grace period that is no duration',
      { ...header, evictionSoftGracePeriod: { 'memory.available': 'later' } },
      'KubeletConfiguration.evictionSoftGracePeriod[memory.available]: Invalid value: "later"',
    ],
    [
      'a low image GC threshold not below the high one (the default 85)',
      { ...header, imageGCLowThresholdPercent: 85 },
      'KubeletConfiguration.imageGCLowThresholdPercent: invalid configuration: imageGCLowThresholdPercent (--image-gc-low-threshold) 85 must be less than imageGCHighThresholdPercent (--image-gc-high-threshold) 85',
    ],
    [
      'an image GC threshold over 100',
      { ...header, imageGCHighThresholdPercent: 101 },
      'imageGCHighThresholdPercent (--image-gc-high-threshold) 101 must be between 0 and 100, inclusive',
    ],
    [
      'a negative minimum reclaim',
      { ...header, evictionMinimumReclaim: { 'memory.available': '-1Mi' } },
      'KubeletConfiguration.evictionMinimumReclaim[memory.available]: Invalid value: "-1Mi": negative eviction minimum reclaim specified for memory.available',
    ],
    [
      'a healthz port out of range',
      { ...header, healthzPort: 70000 },
      'KubeletConfiguration.healthzPort: Invalid value: 70000',
    ],
    [
      'a string for an integer',
      { ...header, maxPods: '110' },
      'KubeletConfiguration.maxPods: Invalid value: "110": must be an integer',
    ],
    [
      'a fraction for an integer',
      { ...header, maxPods: 1.5 },
      'KubeletConfiguration.maxPods: Invalid value: 1.5: must be an integer',
    ],
    [
      'zero pods',
      { ...header, maxPods: 0 },
      'KubeletConfiguration.maxPods: Invalid value: 0: must be greater than 0',
    ],
    [
      'a port out of range',
      { ...header, port: 70000 },
      'KubeletConfiguration.port: Invalid value: 70000: must be between 0 and 65535',
    ],
    [
      'a read-only port',
      { ...header, readOnlyPort: 10255 },
      'KubeletConfiguration.readOnlyPort: Invalid value: 10255: skiff kubelet serves no read-only port',
    ],
    [
      'a number for a duration',
      { ...header, syncFrequency: 60 },
      'KubeletConfiguration.syncFrequency: Invalid value: 60: must be a string',
    ],
    [
      'a duration without unit',
      { ...header, syncFrequency: '60' },
      'KubeletConfiguration.syncFrequency: Invalid value: "60": not a duration',
    ],
    [
      'a zero duration',
      { ...header, nodeStatusUpdateFrequency: '0s' },
      'KubeletConfiguration.nodeStatusUpdateFrequency: Invalid value: "0s": must be greater than 0',
    ],
    [
      'a string for a list',
      { ...header, clusterDNS: '10.96.0.10' },
      'KubeletConfiguration.clusterDNS: Invalid value: "10.96.0.10": must be a list of strings',
    ],
    [
      'a number in a list',
      { ...header, clusterDNS: ['10.96.0.10', 5] },
      'KubeletConfiguration.clusterDNS[1]: Invalid value: 5: must be a string',
    ],
    [
      'a taint with a bad effect',
      { ...header, registerWithTaints: [{ key: 'k', effect: 'Sometimes' }] },
      'KubeletConfiguration.registerWithTaints[0].effect: Unsupported value: "Sometimes"',
    ],
    [
      'a taint with an unknown field',
      { ...header, registerWithTaints: [{ key: 'k', effect: 'NoSchedule', timeAdded: 'x' }] },
      'KubeletConfiguration.registerWithTaints[0].timeAdded: unknown field',
    ],
    [
      'a taint without key',
      { ...header, registerWithTaints: [{ key: '', effect: 'NoSchedule' }] },
      'KubeletConfiguration.registerWithTaints[0].key: Required value',
    ],
  ])('refuses %s with its field path', (_name, doc, message) => {
    let thrown: unknown;
    try {
      decodeKubeletConfiguration(doc);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(KubeletConfigurationError);
    expect((thrown as Error).message).toContain(message);
  });
});
