// Defaults for a PodSpec wherever it appears: in a Pod and in the templates of ReplicaSets and
// Deployments. (Defaults only a real Pod gets are in pod.ts.)
//
// Go cannot tell an absent string or int from its zero value, so Kubernetes defaults `""` and
// `0` too: we use `||=` for those. Fields that are pointers in Go (terminationGracePeriodSeconds,
// defaultMode, …) keep an explicit 0, so they get `??=`.
import type {
  Container,
  EnvVar,
  HTTPGetAction,
  Lifecycle,
  PodSpec,
  Probe,
  ResourceList,
  Volume,
  DownwardAPIVolumeFile,
} from '../types/index.js';
import { defaultPullPolicy } from './image.js';

/** 0644: files projected from ConfigMaps, Secrets and the downward API are world-readable. */
const defaultFileMode = 0o644;

export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  spec.containers?.forEach(defaultContainer);
  spec.initContainers?.forEach(defaultContainer);
  spec.volumes?.forEach(defaultVolume);
  if (spec.overhead) quantitiesAsStrings(spec.overhead);
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ||= defaultPullPolicy(c.image ?? '');
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  c.ports?.forEach((p) => (p.protocol ||= 'TCP'));
  c.env?.forEach(defaultEnvVar);
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (probe) defaultProbe(probe);
  }
  if (c.lifecycle) defaultLifecycle(c.lifecycle);
  if (c.resources?.limits) quantitiesAsStrings(c.resources.limits);
  if (c.resources?.requests) quantitiesAsStrings(c.resources.requests);
}

function defaultEnvVar(env: EnvVar): void {
  const fieldRef = env.valueFrom?.fieldRef;
  if (fieldRef) fieldRef.apiVersion ||= 'v1';
}

function defaultProbe(probe: Probe): void {
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  if (probe.httpGet) defaultHTTPGet(probe.httpGet);
  // An empty service name asks the gRPC health server about the server as a whole.
  if (probe.grpc) probe.grpc.service ??= '';
}

function defaultLifecycle(lifecycle: Lifecycle): void {
  for (const handler of [lifecycle.postStart, lifecycle.preStop]) {
    if (handler?.httpGet) defaultHTTPGet(handler.httpGet);
  }
}

function defaultHTTPGet(action: HTTPGetAction): void {
  action.path ||= '/';
  action.scheme ||= 'HTTP';
}

function defaultVolume(volume: Volume): void {
  // A volume with no source at all is a scratch directory. Any other field counts as a source,
  // including kinds skiff has no type for (nfs, csi, …), which are kept as they are.
  if (Object.keys(volume).every((k) => k === 'name')) volume.emptyDir = {};
  if (volume.hostPath) volume.hostPath.type ??= '';
  if (volume.configMap) volume.configMap.defaultMode ??= defaultFileMode;
  if (volume.secret) volume.secret.defaultMode ??= defaultFileMode;
  if (volume.downwardAPI) {
    volume.downwardAPI.defaultMode ??= defaultFileMode;
    volume.downwardAPI.items?.forEach(defaultDownwardAPIFile);
  }
  if (volume.projected) {
    volume.projected.defaultMode ??= defaultFileMode;
    for (const source of volume.projected.sources ?? []) {
      source.downwardAPI?.items?.forEach(defaultDownwardAPIFile);
      // Projected service account tokens expire after an hour unless asked otherwise.
      if (source.serviceAccountToken) source.serviceAccountToken.expirationSeconds ??= 3600;
    }
  }
}

function defaultDownwardAPIFile(file: DownwardAPIVolumeFile): void {
  if (file.fieldRef) file.fieldRef.apiVersion ||= 'v1';
}

/**
 * Manifests may write `cpu: 1`; Kubernetes decodes that as a quantity and serves it back as the
 * string `"1"`. Doing the same keeps Quantity a string everywhere downstream.
 */
export function quantitiesAsStrings(list: ResourceList): void {
  for (const [name, value] of Object.entries(list as Record<string, unknown>)) {
    if (typeof value === 'number') list[name] = String(value);
  }
}
