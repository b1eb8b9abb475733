// What a create is compared with: Kubernetes compares a new object with the zero value of its
// Go type, as JSON. Struct fields that are not pointers are present in it (`spec`, a pod
// template's `metadata` and `spec`, a deployment's `strategy`), as are list fields without
// omitempty (`containers: null`); they are therefore not "added" by a create, and FieldsV1
// carries no `".": {}` for them, while pointer and omitempty fields (`labels`, `rollingUpdate`,
// `ports`) do. These are facts from k8s.io/api's types; a kind not listed is compared with an
// object that has only its metadata, which differs from Kubernetes only in those markers.

type Zero = Readonly<Record<string, unknown>>;

const podSpec = { containers: null };
const podTemplate = { metadata: { creationTimestamp: null }, spec: podSpec };
const workloadSpec = { selector: null, template: podTemplate };

const zeroByKind: Readonly<Record<string, Zero>> = {
  'v1/Pod': { spec: podSpec, status: {} },
  'v1/Service': { spec: {}, status: { loadBalancer: {} } },
  'v1/Namespace': { spec: {}, status: {} },
  'v1/Node': { spec: {}, status: { daemonEndpoints: { kubeletEndpoint: { Port: 0 } } } },
  'v1/PersistentVolumeClaim': { spec: { resources: {} }, status: {} },
  'v1/ServiceAccount': {},
  'v1/ConfigMap': {},
  'v1/Secret': {},
  'v1/Endpoints': {},
  'v1/Event': {
    involvedObject: {},
    source: {},
    eventTime: null,
    reportingComponent: '',
    reportingInstance: '',
  },
  'apps/v1/Deployment': { spec: { ...workloadSpec, strategy: {} }, status: {} },
  'apps/v1/ReplicaSet': { spec: { selector: null, template: podTemplate }, status: {} },
  'apps/v1/StatefulSet': {
    spec: { ...workloadSpec, serviceName: '', updateStrategy: {} },
    status: { replicas: 0, availableReplicas: 0 },
  },
  'apps/v1/DaemonSet': {
    spec: { ...workloadSpec, updateStrategy: {} },
    status: {
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    },
  },
  'coordination.k8s.io/v1/Lease': { spec: {} },
};

/** The zero value of a kind as Kubernetes' create compares with it (metadata stripped later). */
export function zeroObject(apiVersion: string, kind: string): Record<string, unknown> {
  const zero = zeroByKind[`${apiVersion}/${kind}`] ?? {};
  return { metadata: { creationTimestamp: null }, ...structuredClone(zero) };
}
