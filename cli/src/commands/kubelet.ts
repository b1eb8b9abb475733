// `skiff kubelet`: the node agent, with the kubelet's flag names. It registers this machine as a
// Node with the apiserver of --kubeconfig and runs the pods bound to it through the CRI runtime
// at --container-runtime-endpoint (skiff runtime by default; containerd works the same). Without
// --kubeconfig it runs standalone, as the kubelet does: only the static pods of
// --pod-manifest-path, with no apiserver at all.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { errorMessage, parseDuration } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import {
  DEFAULT_EVICTION_HARD,
  Kubelet,
  RemoteCri,
  decodeKubeletConfiguration,
  parseGracePeriodFlag,
  parseMinimumReclaimFlag,
  parseThresholdFlag,
  parseThresholds,
  parseNodeLabels,
  parseTaints,
  socketPathOf,
  validateImageGCThresholds,
  type KubeletConfiguration,
} from '@skiff/kubelet';
import type { Command } from './command.js';
import { parseFlags, parsePort } from './flags.js';
import { defaultRuntimePaths } from './runtime-paths.js';
import { serveUntilSignal } from './serve-until-signal.js';

const defaultEndpoint = `unix://${defaultRuntimePaths().socket}`;

const help = `usage: skiff kubelet [--kubeconfig <file>] [--hostname-override <name>] [flags]

  --config                      a KubeletConfiguration file (kubelet.config.k8s.io/v1beta1); flags
                                given on the command line override its fields
  --kubeconfig                  kubeconfig to reach the apiserver; without it the kubelet runs
                                standalone (Kubernetes' standalone mode): only the static pods of
                                --pod-manifest-path, no Node, status, mirror pods or Events
  --hostname-override           the Node's name (default: this machine's hostname)
  --container-runtime-endpoint  CRI socket (default ${defaultEndpoint})
  --root-dir                    the kubelet's state directory (default /var/lib/kubelet)
  --pod-logs-dir                where container logs go (default /var/log/pods)
  --address                     address of /healthz and /metrics (default 0.0.0.0)
  --port                        their port (default 10250; 0 picks one)
  --node-ip                     the node's InternalIP (default: the default route's address)
  --node-labels                 labels to register the Node with: k=v,k2=v2
  --register-with-taints        taints to register the Node with: key=value:NoSchedule,…
  --pod-manifest-path           a directory of static pod manifests, run without the apiserver and
                                shown in it as mirror pods
  --max-pods                    pods this node runs at most (default 110)
  --cluster-dns                 cluster DNS server IPs for ClusterFirst pods: ip,ip
  --cluster-domain              the cluster's DNS domain (default cluster.local)
  --resolv-conf                 the resolv.conf Default pods get ('' for none; default /etc/resolv.conf)
  --runtime-streaming-ca-file   (skiff's own) a runtime's streaming certificate to trust, for a
                                runtime serving exec/attach/port-forward over HTTPS with a
                                self-signed one (skiff runtime --streaming-tls writes it to
                                <root>/streaming/self-signed.crt); stream URLs are always verified
  --eviction-hard               hard eviction thresholds: memory.available<100Mi,nodefs.available<10%
                                (default memory.available<100Mi,nodefs.available<10%,
                                nodefs.inodesFree<5%,imagefs.available<15%; given, it replaces them all)
  --eviction-soft               soft thresholds, acted on once met for their grace period
  --eviction-soft-grace-period  memory.available=1m30s,…: a grace period for each soft threshold
  --eviction-pressure-transition-period
                                how long a pressure condition outlasts its threshold (default 5m)
  --eviction-max-pod-grace-period
                                the most a soft eviction waits for a pod to stop, in seconds (0: its own)
  --eviction-minimum-reclaim    how far past its threshold a signal must recover once met:
                                nodefs.available=500Mi,imagefs.available=2Gi (dead containers and
                                unused images are deleted before any pod is evicted for disk)
  --image-gc-high-threshold     image filesystem use (percent) that starts image GC (default 85;
                                100 turns the periodic collection off)
  --image-gc-low-threshold      the use image GC frees down to (default 80)
  --minimum-image-ttl-duration  images seen more recently are never collected (default 2m)
  --healthz-port                a listener answering only /healthz (off unless given; 0 picks one)
  --healthz-bind-address        its address (default 127.0.0.1)
  --cgroup-driver               cgroupfs (the only driver skiff supports: pods go in the runtime's
                                cgroupfs hierarchy; systemd is refused)
`;

export const kubeletCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff kubelet', help, {
      args,
      options: {
        config: { type: 'string' },
        kubeconfig: { type: 'string' },
        'hostname-override': { type: 'string' },
        // No defaults here: a flag left out falls back to --config's field, then to the default.
        'container-runtime-endpoint': { type: 'string' },
        'root-dir': { type: 'string', default: '/var/lib/kubelet' },
        'pod-logs-dir': { type: 'string' },
        address: { type: 'string' },
        port: { type: 'string' },
        'node-ip': { type: 'string' },
        'node-labels': { type: 'string', default: '' },
        'register-with-taints': { type: 'string' },
        'max-pods': { type: 'string' },
        'pod-manifest-path': { type: 'string' },
        'cluster-dns': { type: 'string' },
        'cluster-domain': { type: 'string' },
        'resolv-conf': { type: 'string' },
        'runtime-streaming-ca-file': { type: 'string' },
        'eviction-hard': { type: 'string' },
        'eviction-soft': { type: 'string' },
        'eviction-soft-grace-period': { type: 'string' },
        'eviction-pressure-transition-period': { type: 'string' },
        'eviction-max-pod-grace-period': { type: 'string' },
        'eviction-minimum-reclaim': { type: 'string' },
        'image-gc-high-threshold': { type: 'string' },
        'image-gc-low-threshold': { type: 'string' },
        'minimum-image-ttl-duration': { type: 'string' },
        'healthz-port': { type: 'string' },
        'healthz-bind-address': { type: 'string' },
        'cgroup-driver': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (typeof parsed === 'number') return parsed;
    const v = parsed.values;
    let kubelet: Kubelet;
    let cri: RemoteCri | undefined;
    let address = '';
    let runtimeEndpoint = '';
    let standalone = false;
    try {
      // Every flag is checked before anything is contacted, so a typo fails fast.
      const file: KubeletConfiguration =
        v.config === undefined ? {} : await loadKubeletConfiguration(v.config);
      const maxPodsText = v['max-pods'];
      const maxPods = maxPodsText === undefined ? (file.maxPods ?? 110) : Number(maxPodsText);
      if (!Number.isInteger(maxPods) || maxPods < 1) {
        throw new Error(`--max-pods ${JSON.stringify(maxPodsText)}: not a positive integer`);
      }
      const nodeName = (v['hostname-override'] ?? hostname()).toLowerCase();
      const nodeLabels = parseNodeLabels(v['node-labels']);
      const taintsText = v['register-with-taints'];
      const registerWithTaints =
        taintsText === undefined ? (file.registerWithTaints ?? []) : parseTaints(taintsText);
      const port = v.port === undefined ? (file.port ?? 10250) : parsePort('--port', v.port);
      const endpoint =
        v['container-runtime-endpoint'] ?? file.containerRuntimeEndpoint ?? defaultEndpoint;
      socketPathOf(endpoint);
      const clusterDNSText = v['cluster-dns'];
      const clusterDNS =
        clusterDNSText === undefined
          ? (file.clusterDNS ?? [])
          : clusterDNSText.split(',').filter((s) => s.trim() !== '');
      address = v.address ?? file.address ?? '0.0.0.0';
      const staticPodPath = v['pod-manifest-path'] ?? file.staticPodPath;
      const eviction = evictionOptions(v, file);
      const imageGCPolicy = imageGCOptions(v, file);
      const healthzPortText = v['healthz-port'];
      const healthzPort =
        healthzPortText === undefined
          ? file.healthzPort
          : parsePort('--healthz-port', healthzPortText);
      const cgroupDriver = v['cgroup-driver'];
      if (cgroupDriver !== undefined && cgroupDriver !== 'cgroupfs') {
        throw new Error(
          `--cgroup-driver ${JSON.stringify(cgroupDriver)}: only "cgroupfs" is supported (skiff kubelet creates no cgroups of its own; pods go in the runtime's cgroupfs hierarchy)`,
        );
      }
      runtimeEndpoint = endpoint;
      const client =
        v.kubeconfig === undefined
          ? undefined
          : await clientFromKubeconfig(
              { kubeconfig: v.kubeconfig },
              // Kubernetes' kubelet defaults: 50 requests/s, bursts of 100.
              { qps: 50, burst: 100 },
            );
      standalone = client === undefined;
      cri = new RemoteCri(endpoint);
      // launch, not start: static pods run at once, while the apiserver is still being reached.
      kubelet = await Kubelet.launch({
        ...(client !== undefined && { client }),
        cri,
        nodeName,
        hostname: nodeName,
        ...(v['node-ip'] !== undefined && { nodeIP: v['node-ip'] }),
        nodeLabels,
        registerWithTaints,
        rootDir: v['root-dir'],
        podLogsDirectory: v['pod-logs-dir'] ?? file.podLogsDir ?? '/var/log/pods',
        address,
        port,
        maxPods,
        clusterDNS,
        clusterDomain: v['cluster-domain'] ?? file.clusterDomain ?? 'cluster.local',
        resolvConf: v['resolv-conf'] ?? file.resolvConf ?? '/etc/resolv.conf',
        ...(staticPodPath !== undefined && { staticPodPath }),
        ...(v['runtime-streaming-ca-file'] !== undefined && {
          runtimeStreamingCAFile: v['runtime-streaming-ca-file'],
        }),
        ...eviction,
        imageGCPolicy,
        ...(healthzPort !== undefined && { healthzPort }),
        ...((v['healthz-bind-address'] ?? file.healthzBindAddress) !== undefined && {
          healthzBindAddress: v['healthz-bind-address'] ?? file.healthzBindAddress,
        }),
        ...(file.fileCheckFrequencyMs !== undefined && {
          fileCheckFrequencyMs: file.fileCheckFrequencyMs,
        }),
        ...(file.syncFrequencyMs !== undefined && { syncFrequencyMs: file.syncFrequencyMs }),
        ...(file.nodeStatusUpdateFrequencyMs !== undefined && {
          nodeStatusUpdateFrequencyMs: file.nodeStatusUpdateFrequencyMs,
        }),
        ...(file.nodeStatusReportFrequencyMs !== undefined && {
          nodeStatusReportFrequencyMs: file.nodeStatusReportFrequencyMs,
        }),
        ...(file.nodeLeaseDurationSeconds !== undefined && {
          nodeLeaseDurationSeconds: file.nodeLeaseDurationSeconds,
        }),
        log: (message) => process.stderr.write(`skiff kubelet: ${message}\n`),
      });
    } catch (err) {
      cri?.close();
      process.stderr.write(`skiff kubelet: ${errorMessage(err)}\n`);
      return 1;
    }
    const running = kubelet;
    return serveUntilSignal({
      command: 'skiff kubelet',
      banner: [
        standalone
          ? `skiff kubelet: standalone (no --kubeconfig): runs the static pods of --pod-manifest-path through ${runtimeEndpoint}`
          : `skiff kubelet: node ${running.nodeName} (${running.internalIP}) runs its pods through ${runtimeEndpoint}`,
        `health and metrics on http://${address}:${running.port}/healthz and /metrics`,
      ],
      stopping: 'stopping (containers keep running)',
      stop: async () => {
        await running.shutdown();
        cri?.close();
      },
      stopFailed: 'stopping',
    });
  },
};

type EvictionFlags = Partial<
  Record<
    | 'eviction-hard'
    | 'eviction-soft'
    | 'eviction-soft-grace-period'
    | 'eviction-pressure-transition-period'
    | 'eviction-max-pod-grace-period'
    | 'eviction-minimum-reclaim',
    string
  >
>;

type ImageGCFlags = Partial<
  Record<
    'image-gc-high-threshold' | 'image-gc-low-threshold' | 'minimum-image-ttl-duration',
    string
  >
>;

/** A percentage flag: a whole number (range checks are validateImageGCThresholds'). */
function percentFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n)) {
    throw new Error(`${flag} ${JSON.stringify(text)}: not a whole number of percent`);
  }
  return n;
}

/** The image GC policy: flags over the config file's fields, checked as the kubelet checks them. */
function imageGCOptions(v: ImageGCFlags, file: KubeletConfiguration) {
  const high =
    percentFlag('--image-gc-high-threshold', v['image-gc-high-threshold']) ??
    file.imageGCHighThresholdPercent;
  const low =
    percentFlag('--image-gc-low-threshold', v['image-gc-low-threshold']) ??
    file.imageGCLowThresholdPercent;
  validateImageGCThresholds(high, low);
  const ageText = v['minimum-image-ttl-duration'];
  let minAgeMs = file.imageMinimumGCAgeMs;
  if (ageText !== undefined) {
    try {
      minAgeMs = parseDuration(ageText);
    } catch {
      throw new Error(
        `--minimum-image-ttl-duration ${JSON.stringify(ageText)}: not a duration (e.g. "2m")`,
      );
    }
  }
  return {
    ...(high !== undefined && { highThresholdPercent: high }),
    ...(low !== undefined && { lowThresholdPercent: low }),
    ...(minAgeMs !== undefined && { minAgeMs }),
  };
}

/** The eviction settings: each flag given overrides the config file's field, as in Kubernetes. */
function evictionOptions(v: EvictionFlags, file: KubeletConfiguration) {
  const hardText = v['eviction-hard'];
  const softText = v['eviction-soft'];
  const graceText = v['eviction-soft-grace-period'];
  const reclaimText = v['eviction-minimum-reclaim'];
  const evictionThresholds = parseThresholds({
    hard:
      hardText === undefined
        ? (file.evictionHard ?? DEFAULT_EVICTION_HARD)
        : parseThresholdFlag('--eviction-hard', hardText),
    soft:
      softText === undefined
        ? (file.evictionSoft ?? {})
        : parseThresholdFlag('--eviction-soft', softText),
    softGracePeriod:
      graceText === undefined
        ? (file.evictionSoftGracePeriod ?? {})
        : parseGracePeriodFlag('--eviction-soft-grace-period', graceText),
    minimumReclaim:
      reclaimText === undefined
        ? (file.evictionMinimumReclaim ?? {})
        : parseMinimumReclaimFlag('--eviction-minimum-reclaim', reclaimText),
  });
  const transitionText = v['eviction-pressure-transition-period'];
  let transitionMs = file.evictionPressureTransitionPeriodMs;
  if (transitionText !== undefined) {
    try {
      transitionMs = parseDuration(transitionText);
    } catch {
      throw new Error(
        `--eviction-pressure-transition-period ${JSON.stringify(transitionText)}: not a duration (e.g. "5m")`,
      );
    }
  }
  const maxGraceText = v['eviction-max-pod-grace-period'];
  const maxGrace =
    maxGraceText === undefined ? file.evictionMaxPodGracePeriod : Number(maxGraceText);
  if (maxGrace !== undefined && (!Number.isInteger(maxGrace) || maxGrace < 0)) {
    throw new Error(
      `--eviction-max-pod-grace-period ${JSON.stringify(maxGraceText)}: not a whole number of seconds`,
    );
  }
  return {
    evictionThresholds,
    ...(transitionMs !== undefined && { evictionPressureTransitionPeriodMs: transitionMs }),
    ...(maxGrace !== undefined && { evictionMaxPodGracePeriodSeconds: maxGrace }),
  };
}

/** Reads --config: YAML or JSON holding one KubeletConfiguration; errors name the file. */
async function loadKubeletConfiguration(path: string): Promise<KubeletConfiguration> {
  let doc: unknown;
  try {
    doc = parseYaml(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`--config ${path}: ${errorMessage(err)}`);
  }
  try {
    return decodeKubeletConfiguration(doc);
  } catch (err) {
    throw new Error(`--config ${path}: ${errorMessage(err)}`);
  }
}
