// core/v1 PodSpec, PodStatus and pod templates. Deployments and ReplicaSets reuse podTemplateSpec.
import {
  container,
  objectFieldSelector,
  resourceFieldSelector,
  seLinuxOptions,
  seccompProfile,
} from './container.js';
import {
  arrayOf,
  bool,
  int32,
  int64,
  obj,
  quantity,
  resourceList,
  str,
  stringMap,
  strings,
  time,
} from './json-schema.js';
import { conditionsWith, labelSelector, objectMeta, topLevel } from './meta.js';

const keyToPath = obj({ key: str, path: str, mode: int32 }, ['key', 'path']);

const downwardAPIFile = obj(
  {
    path: str,
    fieldRef: objectFieldSelector,
    resourceFieldRef: resourceFieldSelector,
    mode: int32,
  },
  ['path'],
);

const volume = obj(
  {
    name: str,
    emptyDir: obj({ medium: str, sizeLimit: quantity }),
    hostPath: obj({ path: str, type: str }, ['path']),
    configMap: obj({ name: str, items: arrayOf(keyToPath), defaultMode: int32, optional: bool }),
    secret: obj({
      secretName: str,
      items: arrayOf(keyToPath),
      defaultMode: int32,
      optional: bool,
    }),
    projected: obj({
      defaultMode: int32,
      sources: arrayOf(
        obj({
          configMap: obj({ name: str, items: arrayOf(keyToPath), optional: bool }),
          secret: obj({ name: str, items: arrayOf(keyToPath), optional: bool }),
          downwardAPI: obj({ items: arrayOf(downwardAPIFile) }),
          serviceAccountToken: obj({ audience: str, expirationSeconds: int64, path: str }, [
            'path',
          ]),
        }),
      ),
    }),
    persistentVolumeClaim: obj({ claimName: str, readOnly: bool }, ['claimName']),
    downwardAPI: obj({ items: arrayOf(downwardAPIFile), defaultMode: int32 }),
  },
  ['name'],
);

const nodeSelectorRequirement = obj({ key: str, operator: str, values: strings }, [
  'key',
  'operator',
]);

const nodeSelectorTerm = obj({
  matchExpressions: arrayOf(nodeSelectorRequirement),
  matchFields: arrayOf(nodeSelectorRequirement),
});

const podAffinityTerm = obj(
  {
    labelSelector,
    namespaces: strings,
    namespaceSelector: labelSelector,
    topologyKey: str,
    matchLabelKeys: strings,
    mismatchLabelKeys: strings,
  },
  ['topologyKey'],
);

const podAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: arrayOf(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: arrayOf(
    obj({ weight: int32, podAffinityTerm }, ['weight', 'podAffinityTerm']),
  ),
});

const affinity = obj({
  nodeAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: obj(
      { nodeSelectorTerms: arrayOf(nodeSelectorTerm) },
      ['nodeSelectorTerms'],
    ),
    preferredDuringSchedulingIgnoredDuringExecution: arrayOf(
      obj({ weight: int32, preference: nodeSelectorTerm }, ['weight', 'preference']),
    ),
  }),
  podAffinity,
  podAntiAffinity: podAffinity,
});

const toleration = obj({
  key: str,
  operator: str,
  value: str,
  effect: str,
  tolerationSeconds: int64,
});

const topologySpreadConstraint = obj(
  {
    maxSkew: int32,
    topologyKey: str,
    whenUnsatisfiable: str,
    labelSelector,
    minDomains: int32,
    nodeAffinityPolicy: str,
    nodeTaintsPolicy: str,
    matchLabelKeys: strings,
  },
  ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
);

const podSecurityContext = obj({
  seLinuxOptions,
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  supplementalGroups: arrayOf(int64),
  fsGroup: int64,
  fsGroupChangePolicy: str,
  sysctls: arrayOf(obj({ name: str, value: str }, ['name', 'value'])),
  seccompProfile,
});

export const podSpec = obj(
  {
    volumes: arrayOf(volume),
    initContainers: arrayOf(container),
    containers: arrayOf(container),
    restartPolicy: str,
    terminationGracePeriodSeconds: int64,
    activeDeadlineSeconds: int64,
    dnsPolicy: str,
    nodeSelector: stringMap,
    serviceAccountName: str,
    serviceAccount: str,
    automountServiceAccountToken: bool,
    nodeName: str,
    hostNetwork: bool,
    hostPID: bool,
    hostIPC: bool,
    shareProcessNamespace: bool,
    securityContext: podSecurityContext,
    imagePullSecrets: arrayOf(obj({ name: str })),
    hostname: str,
    subdomain: str,
    affinity,
    schedulerName: str,
    tolerations: arrayOf(toleration),
    hostAliases: arrayOf(obj({ ip: str, hostnames: strings }, ['ip'])),
    priorityClassName: str,
    priority: int32,
    preemptionPolicy: str,
    dnsConfig: obj({
      nameservers: strings,
      searches: strings,
      options: arrayOf(obj({ name: str, value: str })),
    }),
    readinessGates: arrayOf(obj({ conditionType: str }, ['conditionType'])),
    runtimeClassName: str,
    enableServiceLinks: bool,
    overhead: resourceList,
    topologySpreadConstraints: arrayOf(topologySpreadConstraint),
    os: obj({ name: str }, ['name']),
  },
  ['containers'],
);

export const podTemplateSpec = obj({ metadata: objectMeta, spec: podSpec });

const containerState = obj({
  waiting: obj({ reason: str, message: str }),
  running: obj({ startedAt: time }),
  terminated: obj(
    {
      exitCode: int32,
      signal: int32,
      reason: str,
      message: str,
      startedAt: time,
      finishedAt: time,
      containerID: str,
    },
    ['exitCode'],
  ),
});

// Status is written by the kubelet; only the name is required so a partial status still lands.
const containerStatus = obj(
  {
    name: str,
    state: containerState,
    lastState: containerState,
    ready: bool,
    restartCount: int32,
    image: str,
    imageID: str,
    containerID: str,
    started: bool,
  },
  ['name'],
);

const podIPs = arrayOf(obj({ ip: str }, ['ip']));

const podStatus = obj({
  phase: str,
  conditions: conditionsWith(['lastProbeTime', 'lastTransitionTime']),
  message: str,
  reason: str,
  nominatedNodeName: str,
  hostIP: str,
  hostIPs: podIPs,
  podIP: str,
  podIPs,
  startTime: time,
  initContainerStatuses: arrayOf(containerStatus),
  containerStatuses: arrayOf(containerStatus),
  qosClass: str,
});

export const pod = topLevel({ spec: podSpec, status: podStatus });
