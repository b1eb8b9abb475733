// What `kubectl explain` prints for a type or a field: skiff's own short descriptions, keyed by
// Kubernetes' definition name (`io.k8s.api.core.v1.Probe`) and `<definition>.<field>`, and
// where skiff has none, Kubernetes' own as the Kubernetes JavaScript client carries them, read
// at run time (./kubernetes-descriptions.ts). Never paste Kubernetes' documentation in here.
import { kubernetesDescriptions } from './kubernetes-descriptions.js';
import type { OpenApiSchema } from './schema-types.js';

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const types: Readonly<Record<string, string>> = {
  [`${CORE}.Pod`]:
    'A group of containers scheduled together onto one node, sharing its network namespace and volumes.',
  [`${CORE}.PodSpec`]:
    'What a pod should run and how: its containers, volumes, scheduling constraints and restart behaviour.',
  [`${CORE}.PodStatus`]:
    'What the kubelet last observed about a pod. Written by the system; read-only for users.',
  [`${CORE}.PodTemplateSpec`]:
    'The pod a controller creates copies of: metadata and spec, without status.',
  [`${CORE}.Container`]:
    'One process image to run inside a pod, with its command, environment, resources and probes.',
  [`${CORE}.Probe`]:
    'A periodic check the kubelet runs against a container; its result drives restarts (liveness), traffic (readiness) or start-up gating (startup).',
  [`${CORE}.ExecAction`]: 'Run a command inside the container; exit status 0 means success.',
  [`${CORE}.HTTPGetAction`]: 'Send an HTTP GET; a status code from 200 to 399 means success.',
  [`${CORE}.TCPSocketAction`]: 'Open a TCP connection; connecting means success.',
  [`${CORE}.GRPCAction`]: 'Call the gRPC health checking protocol on a port.',
  [`${CORE}.Lifecycle`]:
    'Hooks the kubelet runs right after a container starts and right before it is stopped.',
  [`${CORE}.ResourceRequirements`]:
    'Compute resources a container asks for (requests, used for scheduling) and may not exceed (limits).',
  [`${CORE}.EnvVar`]: 'One environment variable: a literal value or one read from elsewhere.',
  [`${CORE}.Volume`]:
    'Storage a pod can mount into its containers, named so containers can refer to it.',
  [`${CORE}.VolumeMount`]: 'Where in a container a pod volume appears.',
  [`${CORE}.ContainerPort`]: 'A port a container listens on; informational except for hostPort.',
  [`${CORE}.Toleration`]: 'Allows a pod onto nodes whose taints it matches.',
  [`${CORE}.Service`]:
    'A stable virtual IP and DNS name in front of a set of pods chosen by label selector.',
  [`${CORE}.ServiceSpec`]: 'How a service selects its pods and which ports it exposes.',
  [`${CORE}.ServicePort`]: 'One port a service exposes and the pod port it forwards to.',
  [`${CORE}.Node`]: 'A machine that runs pods, registered by its kubelet.',
  [`${CORE}.NodeSpec`]:
    'How a node should be treated: its pod CIDRs, taints and whether it takes new pods.',
  [`${CORE}.NodeStatus`]:
    'What the kubelet reports about its node: capacity, addresses, conditions, system info.',
  [`${CORE}.Namespace`]: 'A scope for names: most objects live in exactly one namespace.',
  [`${CORE}.Event`]: 'A record that something happened to an object, for people debugging it.',
  [`${CORE}.ConfigMap`]:
    'Non-secret configuration as key-value pairs, for pods to read as env vars or files.',
  [`${CORE}.Secret`]: 'Sensitive data (passwords, tokens, keys) as base64-encoded key-value pairs.',
  [`${CORE}.Endpoints`]:
    'The addresses currently behind a service, kept by the endpoints controller.',
  [`${CORE}.Binding`]: 'Ties a pod to a node; the scheduler posts one to schedule a pod.',
  [`${CORE}.ObjectReference`]: 'Points at another object by kind, namespace and name.',
  [`${APPS}.Deployment`]:
    'Declares a replicated, versioned set of pods; it rolls out changes by managing ReplicaSets.',
  [`${APPS}.DeploymentSpec`]:
    'The desired pods of a deployment and how to move to a new version of them.',
  [`${APPS}.DeploymentStatus`]: 'How far a deployment has got: replica counts and conditions.',
  [`${APPS}.DeploymentStrategy`]: 'How a deployment replaces old pods with new ones.',
  [`${APPS}.RollingUpdateDeployment`]:
    'Bounds on a rolling update: how many pods may be missing or extra at any time.',
  [`${APPS}.ReplicaSet`]: 'Keeps a given number of identical pods running.',
  [`${APPS}.ReplicaSetSpec`]: 'How many pods a replica set keeps and what they look like.',
  [`${APPS}.ReplicaSetStatus`]: 'How many pods a replica set has, and how many are ready.',
  ['io.k8s.api.coordination.v1.Lease']:
    'A time-limited claim by one holder, used for leader election and node heartbeats.',
  ['io.k8s.api.discovery.v1.EndpointSlice']:
    'A slice of the endpoints behind a service, with their readiness.',
  ['io.k8s.api.autoscaling.v1.Scale']:
    'The replica count of a scalable resource, read and written through its scale subresource.',
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition']:
    'Adds a new resource type to the API, served like the built-in ones.',
  [`${META}.ObjectMeta`]:
    'Metadata every stored object has: name, namespace, labels, annotations and bookkeeping the server fills in.',
  [`${META}.ListMeta`]:
    'Metadata of a list: the resourceVersion it was read at and a continue token for paging.',
  [`${META}.LabelSelector`]:
    'Selects objects by label: all matchLabels and all matchExpressions must hold.',
  [`${META}.OwnerReference`]:
    'Names an object this one belongs to; the garbage collector deletes dependents of a deleted owner.',
  [`${META}.Time`]: 'A point in time, RFC 3339 in UTC, to the second.',
  [`${META}.MicroTime`]: 'A point in time, RFC 3339 in UTC, to the microsecond.',
  ['io.k8s.apimachinery.pkg.util.intstr.IntOrString']:
    'Either an integer or a string (a port number or name, a count or a percentage).',
  ['io.k8s.apimachinery.pkg.api.resource.Quantity']:
    'An amount such as "500m" CPU or "1Gi" memory: a number with an optional SI or binary suffix.',
};

const fields: Readonly<Record<string, string>> = {
  [`${META}.ObjectMeta.name`]:
    'Unique within its namespace (or the cluster, for cluster-scoped kinds). Cannot be changed.',
  [`${META}.ObjectMeta.namespace`]:
    'The namespace the object lives in; empty for cluster-scoped kinds.',
  [`${META}.ObjectMeta.labels`]:
    'Key-value pairs that selectors (services, controllers, kubectl -l) match on.',
  [`${META}.ObjectMeta.annotations`]:
    'Key-value pairs for tools and people; not used for selection.',
  [`${META}.ObjectMeta.generateName`]:
    'A prefix the server completes with random characters when name is empty.',
  [`${META}.ObjectMeta.resourceVersion`]:
    'The store revision this object was last written at; updates must send it back unchanged.',
  [`${META}.ObjectMeta.uid`]: 'Unique for all time; set by the server.',
  [`${META}.ObjectMeta.generation`]:
    'Counts changes to the desired state (spec); set by the server.',
  [`${META}.ObjectMeta.finalizers`]:
    'Names of cleanups that must finish before the object is deleted.',
  [`${META}.ObjectMeta.ownerReferences`]:
    'Objects this one depends on; when all owners are gone it is garbage collected.',
  [`${CORE}.Pod.spec`]: 'What the pod should run.',
  [`${CORE}.Pod.status`]: 'What the pod is doing now, as last reported. Read-only.',
  [`${CORE}.PodSpec.containers`]:
    'The containers of the pod; at least one. Cannot be added or removed after creation.',
  [`${CORE}.PodSpec.initContainers`]:
    'Containers run one after another to completion before the regular containers start.',
  [`${CORE}.PodSpec.volumes`]: 'Volumes the containers may mount.',
  [`${CORE}.PodSpec.restartPolicy`]:
    'Always, OnFailure or Never: when the kubelet restarts exited containers. Default Always.',
  [`${CORE}.PodSpec.nodeName`]: 'The node the pod is bound to; set by the scheduler unless given.',
  [`${CORE}.PodSpec.nodeSelector`]: 'Labels a node must carry for the pod to be scheduled onto it.',
  [`${CORE}.PodSpec.tolerations`]: 'Taints the pod tolerates.',
  [`${CORE}.PodSpec.terminationGracePeriodSeconds`]:
    'Seconds between the stop signal and a forced kill. Default 30.',
  [`${CORE}.PodSpec.serviceAccountName`]: 'The service account the pod runs as.',
  [`${CORE}.Container.name`]: 'Unique among the containers of the pod (a DNS label).',
  [`${CORE}.Container.image`]: 'The container image reference, e.g. nginx:1.27.',
  [`${CORE}.Container.command`]: "Replaces the image's entrypoint. Not run in a shell.",
  [`${CORE}.Container.args`]: "Arguments to the entrypoint; replaces the image's CMD.",
  [`${CORE}.Container.env`]: 'Environment variables to set in the container.',
  [`${CORE}.Container.ports`]: 'Ports the container exposes.',
  [`${CORE}.Container.resources`]: 'CPU and memory the container requests and may not exceed.',
  [`${CORE}.Container.volumeMounts`]: 'Pod volumes to mount into the container.',
  [`${CORE}.Container.livenessProbe`]:
    'Checks that the container is alive; the kubelet restarts it when the probe fails.',
  [`${CORE}.Container.readinessProbe`]:
    'Checks that the container can serve; while it fails the pod is taken out of service endpoints.',
  [`${CORE}.Container.startupProbe`]:
    'Checks that the container has started; liveness and readiness probes wait until it succeeds.',
  [`${CORE}.Container.imagePullPolicy`]:
    'Always, IfNotPresent or Never. Default Always for :latest, IfNotPresent otherwise.',
  [`${CORE}.Probe.exec`]: 'Run a command in the container.',
  [`${CORE}.Probe.httpGet`]: 'Send an HTTP GET request.',
  [`${CORE}.Probe.tcpSocket`]: 'Open a TCP connection.',
  [`${CORE}.Probe.grpc`]: 'Call a gRPC health check.',
  [`${CORE}.Probe.initialDelaySeconds`]:
    'Seconds after the container starts before the first probe.',
  [`${CORE}.Probe.periodSeconds`]: 'Seconds between probes. Default 10.',
  [`${CORE}.Probe.timeoutSeconds`]: 'Seconds before one probe attempt counts as failed. Default 1.',
  [`${CORE}.Probe.successThreshold`]:
    'Consecutive successes that make a failed probe count as passing again. Default 1.',
  [`${CORE}.Probe.failureThreshold`]:
    'Consecutive failures that make the probe count as failed. Default 3.',
  [`${CORE}.Probe.terminationGracePeriodSeconds`]:
    "Grace period for a kill caused by this probe; overrides the pod's.",
  [`${CORE}.HTTPGetAction.path`]: 'The path to request.',
  [`${CORE}.HTTPGetAction.port`]: 'The port to connect to: a number or a container port name.',
  [`${CORE}.HTTPGetAction.host`]: "The host to connect to; the pod's IP when empty.",
  [`${CORE}.HTTPGetAction.scheme`]: 'HTTP or HTTPS. Default HTTP.',
  [`${CORE}.HTTPGetAction.httpHeaders`]: 'Extra request headers.',
  [`${CORE}.TCPSocketAction.port`]: 'The port to connect to: a number or a container port name.',
  [`${CORE}.ExecAction.command`]: 'The command and its arguments; not run in a shell.',
  [`${CORE}.Service.spec`]: 'What the service selects and exposes.',
  [`${CORE}.ServiceSpec.selector`]: 'Pods with all these labels receive the traffic.',
  [`${CORE}.ServiceSpec.ports`]: 'The ports the service exposes.',
  [`${CORE}.ServiceSpec.type`]:
    'ClusterIP, NodePort, LoadBalancer or ExternalName. Default ClusterIP.',
  [`${CORE}.ServiceSpec.clusterIP`]:
    'The virtual IP; allocated by the server when empty, "None" for a headless service.',
  [`${APPS}.Deployment.spec`]: 'The pods the deployment should run and how to update them.',
  [`${APPS}.Deployment.status`]: 'Progress of the deployment, as last observed. Read-only.',
  [`${APPS}.DeploymentSpec.replicas`]: 'How many pods to run. Default 1.',
  [`${APPS}.DeploymentSpec.selector`]:
    "Which pods belong to the deployment; must match the template's labels.",
  [`${APPS}.DeploymentSpec.template`]:
    'The pod every replica is created from; changing it starts a rollout.',
  [`${APPS}.DeploymentSpec.strategy`]: 'How old pods are replaced with new ones.',
  [`${APPS}.DeploymentSpec.minReadySeconds`]:
    'Seconds a new pod must be ready before it counts as available.',
  [`${APPS}.DeploymentSpec.revisionHistoryLimit`]:
    'How many old ReplicaSets to keep for rollback. Default 10.',
  [`${APPS}.DeploymentSpec.paused`]: 'While true, template changes do not start a rollout.',
  [`${APPS}.DeploymentSpec.progressDeadlineSeconds`]:
    'Seconds without progress before the rollout is reported as failed. Default 600.',
  [`${APPS}.DeploymentStrategy.type`]:
    'RollingUpdate (replace pods gradually) or Recreate (stop all old pods first). Default RollingUpdate.',
  [`${APPS}.DeploymentStrategy.rollingUpdate`]:
    'Limits of a rolling update; only with type RollingUpdate.',
  [`${APPS}.RollingUpdateDeployment.maxUnavailable`]:
    'How many pods (a number or a percentage) may be unavailable during the update. Default 25%.',
  [`${APPS}.RollingUpdateDeployment.maxSurge`]:
    'How many pods (a number or a percentage) may exist above replicas during the update. Default 25%.',
  [`${APPS}.ReplicaSetSpec.replicas`]: 'How many pods to keep running. Default 1.',
  [`${APPS}.ReplicaSetSpec.selector`]: 'Which pods the replica set counts as its own.',
  [`${APPS}.ReplicaSetSpec.template`]: 'The pod new replicas are created from.',
  [`${CORE}.ServiceSpec.sessionAffinity`]:
    'ClientIP keeps each client on the same pod; None (the default) spreads every connection.',
  [`${CORE}.ServiceSpec.externalName`]:
    'For type ExternalName: the DNS name the service is an alias for.',
  [`${CORE}.ServicePort.port`]: 'The port the service listens on.',
  [`${CORE}.ServicePort.targetPort`]:
    'The pod port traffic goes to: a number or a container port name. Default: port.',
  [`${CORE}.ServicePort.nodePort`]:
    'For NodePort and LoadBalancer services: the port opened on every node.',
  [`${CORE}.ServicePort.protocol`]: 'TCP, UDP or SCTP. Default TCP.',
  [`${CORE}.ServicePort.name`]:
    'Required when the service has several ports; endpoints refer to ports by it.',
  [`${CORE}.NodeSpec.unschedulable`]:
    'When true, the scheduler places no new pods on the node (kubectl cordon).',
  [`${CORE}.NodeSpec.taints`]: 'Taints repel pods that do not tolerate them.',
  [`${CORE}.NodeSpec.podCIDR`]: 'The IP range pods on this node get addresses from.',
  [`${CORE}.NodeStatus.capacity`]: 'Total resources of the node.',
  [`${CORE}.NodeStatus.allocatable`]:
    'Resources available to pods: capacity less what the system reserves.',
  [`${CORE}.NodeStatus.conditions`]: 'Observed health of the node (Ready, MemoryPressure, …).',
  [`${CORE}.NodeStatus.addresses`]: 'Addresses the node is reachable at.',
  [`${CORE}.ConfigMap.data`]: 'UTF-8 values by key.',
  [`${CORE}.ConfigMap.binaryData`]: 'Binary values by key, base64-encoded.',
  [`${CORE}.ConfigMap.immutable`]:
    'When true, data cannot change any more; only deletion is allowed.',
  [`${CORE}.Secret.data`]: 'Values by key, base64-encoded.',
  [`${CORE}.Secret.stringData`]: 'Write-only plain-text values, merged into data on write.',
  [`${CORE}.Secret.type`]:
    'What the secret holds (Opaque, kubernetes.io/tls, …); some types require keys.',
  [`${CORE}.Namespace.spec`]: 'The finalizers that must finish before the namespace is removed.',
  [`${CORE}.Namespace.status`]: 'Whether the namespace is Active or Terminating.',
  [`${CORE}.Event.involvedObject`]: 'The object the event is about.',
  [`${CORE}.Event.reason`]: 'A short, machine-readable word for why this happened.',
  [`${CORE}.Event.message`]: 'What happened, for people.',
  [`${CORE}.Event.type`]: 'Normal or Warning.',
  [`${CORE}.Event.count`]: 'How many times this event has occurred.',
  [`${CORE}.Toleration.key`]:
    'The taint key this toleration matches; empty with operator Exists matches every taint.',
  [`${CORE}.Toleration.operator`]: 'Exists or Equal (the default): whether value must match too.',
  [`${CORE}.Toleration.effect`]:
    'The taint effect matched (NoSchedule, PreferNoSchedule, NoExecute); empty matches all.',
  [`${CORE}.Toleration.tolerationSeconds`]:
    'For NoExecute: how long the pod stays bound after the taint appears.',
  [`${CORE}.ContainerPort.containerPort`]: 'The port number the container listens on.',
  [`${CORE}.ContainerPort.name`]: 'A name services and probes can refer to the port by.',
  [`${CORE}.EnvVar.name`]: 'The variable name.',
  [`${CORE}.EnvVar.value`]: 'A literal value; $(VAR) references to earlier variables are expanded.',
  [`${CORE}.EnvVar.valueFrom`]:
    'Read the value from a ConfigMap, a Secret, a pod field or a resource.',
  [`${CORE}.VolumeMount.name`]: 'The pod volume to mount.',
  [`${CORE}.VolumeMount.mountPath`]: 'Where the volume appears in the container.',
  [`${CORE}.VolumeMount.readOnly`]: 'Mount read-only. Default false.',
  ['io.k8s.api.coordination.v1.LeaseSpec.holderIdentity']: 'Who holds the lease now.',
  ['io.k8s.api.coordination.v1.LeaseSpec.leaseDurationSeconds']:
    'How long the holder has after its last renewal before others may take the lease.',
  ['io.k8s.api.coordination.v1.LeaseSpec.renewTime']: 'When the holder last renewed the lease.',
  [`${META}.LabelSelector.matchLabels`]: 'Labels an object must carry, all of them.',
  [`${META}.LabelSelector.matchExpressions`]:
    'Conditions on labels (In, NotIn, Exists, DoesNotExist), all of which must hold.',
};

export function describeType(definition: string): string | undefined {
  if (Object.hasOwn(types, definition)) return types[definition];
  return kubernetesDescriptions(definition).type;
}

export function describeField(definition: string, field: string): string | undefined {
  const key = `${definition}.${field}`;
  if (Object.hasOwn(fields, key)) return fields[key];
  if (field === 'metadata') return METADATA;
  return kubernetesDescriptions(definition).fields.get(field);
}

const METADATA = 'Standard object metadata: name, namespace, labels, annotations.';

/** apiVersion and kind, which every top-level object and list carries. */
export function typeMetaProperties(): Record<string, OpenApiSchema> {
  return {
    apiVersion: {
      type: 'string',
      description: 'The versioned schema of this object, e.g. v1 or apps/v1.',
    },
    kind: { type: 'string', description: 'The type of this object, e.g. Pod.' },
  };
}

/** Every described definition and `<definition>.<field>`, so a test can catch a misspelt key. */
export function describedKeys(): { types: string[]; fields: string[] } {
  return { types: Object.keys(types), fields: Object.keys(fields) };
}
