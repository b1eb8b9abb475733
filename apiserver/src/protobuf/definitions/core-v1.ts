// Kubernetes' k8s.io.api.core.v1 messages that skiff's kinds reach:
// names, numbers and types as in the upstream generated.proto. Written by
// ../generate/from-kubectl.ts, which explains the options; regenerate rather than edit.

export const CORE_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

message AWSElasticBlockStoreVolumeSource {
  optional string volumeID = 1 [(nullable) = false, (omitempty) = false];
  optional string fsType = 2 [(nullable) = false];
  optional int32 partition = 3 [(nullable) = false];
  optional bool readOnly = 4 [(nullable) = false];
}

message Affinity {
  optional .k8s.io.api.core.v1.NodeAffinity nodeAffinity = 1;
  optional .k8s.io.api.core.v1.PodAffinity podAffinity = 2;
  optional .k8s.io.api.core.v1.PodAntiAffinity podAntiAffinity = 3;
}

message AppArmorProfile {
  optional string type = 1 [(nullable) = false];
  optional string localhostProfile = 2;
}

message AttachedVolume {
  optional string name = 1 [(nullable) = false];
  optional string devicePath = 2 [(nullable) = false, (omitempty) = false];
}

message AzureDiskVolumeSource {
  optional string diskName = 1 [(nullable) = false, (omitempty) = false];
  optional string diskURI = 2 [(nullable) = false, (omitempty) = false];
  optional string cachingMode = 3;
  optional string fsType = 4;
  optional bool readOnly = 5;
  optional string kind = 6;
}

message AzureFileVolumeSource {
  optional string secretName = 1 [(nullable) = false];
  optional string shareName = 2 [(nullable) = false, (omitempty) = false];
  optional bool readOnly = 3 [(nullable) = false];
}

message Binding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.ObjectReference target = 2 [(nullable) = false];
}

message CSIVolumeSource {
  optional string driver = 1 [(nullable) = false, (omitempty) = false];
  optional bool readOnly = 2;
  optional string fsType = 3;
  map<string, string> volumeAttributes = 4;
  optional .k8s.io.api.core.v1.LocalObjectReference nodePublishSecretRef = 5;
}

message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}

message CephFSVolumeSource {
  repeated string monitors = 1;
  optional string path = 2 [(nullable) = false];
  optional string user = 3 [(nullable) = false];
  optional string secretFile = 4 [(nullable) = false];
  optional .k8s.io.api.core.v1.LocalObjectReference secretRef = 5;
  optional bool readOnly = 6 [(nullable) = false];
}

message CinderVolumeSource {
  optional string volumeID = 1 [(nullable) = false, (omitempty) = false];
  optional string fsType = 2 [(nullable) = false];
  optional bool readOnly = 3 [(nullable) = false];
  optional .k8s.io.api.core.v1.LocalObjectReference secretRef = 4;
}

message ClientIPConfig {
  optional int32 timeoutSeconds = 1;
}

message ClusterTrustBundleProjection {
  optional string name = 1;
  optional string signerName = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 3;
  optional string path = 4 [(nullable) = false, (omitempty) = false];
  optional bool optional = 5;
}

message ConfigMap {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
  optional bool immutable = 4;
}

message ConfigMapEnvSource {
  optional .k8s.io.api.core.v1.LocalObjectReference localObjectReference = 1 [(nullable) = false, (inline) = true];
  optional bool optional = 2;
}

message ConfigMapKeySelector {
  optional .k8s.io.api.core.v1.LocalObjectReference localObjectReference = 1 [(nullable) = false, (inline) = true];
  optional string key = 2 [(nullable) = false, (omitempty) = false];
  optional bool optional = 3;
}

message ConfigMapList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.ConfigMap items = 2 [(nullable) = false];
}

message ConfigMapNodeConfigSource {
  optional string namespace = 1 [(nullable) = false];
  optional string name = 2 [(nullable) = false, (omitempty) = false];
  optional string uid = 3 [(nullable) = false];
  optional string resourceVersion = 4 [(nullable) = false];
  optional string kubeletConfigKey = 5 [(nullable) = false, (omitempty) = false];
}

message ConfigMapProjection {
  optional .k8s.io.api.core.v1.LocalObjectReference localObjectReference = 1 [(nullable) = false, (inline) = true];
  repeated .k8s.io.api.core.v1.KeyToPath items = 2 [(nullable) = false];
  optional bool optional = 4;
}

message ConfigMapVolumeSource {
  optional .k8s.io.api.core.v1.LocalObjectReference localObjectReference = 1 [(nullable) = false, (inline) = true];
  repeated .k8s.io.api.core.v1.KeyToPath items = 2 [(nullable) = false];
  optional int32 defaultMode = 3;
  optional bool optional = 4;
}

message Container {
  optional string name = 1 [(nullable) = false];
  optional string image = 2 [(nullable) = false];
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5 [(nullable) = false];
  repeated .k8s.io.api.core.v1.ContainerPort ports = 6 [(nullable) = false];
  repeated .k8s.io.api.core.v1.EnvVar env = 7 [(nullable) = false];
  optional .k8s.io.api.core.v1.ResourceRequirements resources = 8 [(nullable) = false];
  repeated .k8s.io.api.core.v1.VolumeMount volumeMounts = 9 [(nullable) = false];
  optional .k8s.io.api.core.v1.Probe livenessProbe = 10;
  optional .k8s.io.api.core.v1.Probe readinessProbe = 11;
  optional .k8s.io.api.core.v1.Lifecycle lifecycle = 12;
  optional string terminationMessagePath = 13 [(nullable) = false];
  optional string imagePullPolicy = 14 [(nullable) = false];
  optional .k8s.io.api.core.v1.SecurityContext securityContext = 15;
  optional bool stdin = 16 [(nullable) = false];
  optional bool stdinOnce = 17 [(nullable) = false];
  optional bool tty = 18 [(nullable) = false];
  repeated .k8s.io.api.core.v1.EnvFromSource envFrom = 19 [(nullable) = false];
  optional string terminationMessagePolicy = 20 [(nullable) = false];
  repeated .k8s.io.api.core.v1.VolumeDevice volumeDevices = 21 [(nullable) = false];
  optional .k8s.io.api.core.v1.Probe startupProbe = 22;
  repeated .k8s.io.api.core.v1.ContainerResizePolicy resizePolicy = 23 [(nullable) = false];
  optional string restartPolicy = 24;
}

message ContainerImage {
  repeated string names = 1;
  optional int64 sizeBytes = 2 [(nullable) = false];
}

message ContainerPort {
  optional string name = 1 [(nullable) = false];
  optional int32 hostPort = 2 [(nullable) = false];
  optional int32 containerPort = 3 [(nullable) = false, (omitempty) = false];
  optional string protocol = 4 [(nullable) = false];
  optional string hostIP = 5 [(nullable) = false];
}

message ContainerResizePolicy {
  optional string resourceName = 1 [(nullable) = false, (omitempty) = false];
  optional string restartPolicy = 2 [(nullable) = false, (omitempty) = false];
}

message ContainerState {
  optional .k8s.io.api.core.v1.ContainerStateWaiting waiting = 1;
  optional .k8s.io.api.core.v1.ContainerStateRunning running = 2;
  optional .k8s.io.api.core.v1.ContainerStateTerminated terminated = 3;
}

message ContainerStateRunning {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startedAt = 1 [(nullable) = false];
}

message ContainerStateTerminated {
  optional int32 exitCode = 1 [(nullable) = false, (omitempty) = false];
  optional int32 signal = 2 [(nullable) = false];
  optional string reason = 3 [(nullable) = false];
  optional string message = 4 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startedAt = 5 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time finishedAt = 6 [(nullable) = false];
  optional string containerID = 7 [(nullable) = false];
}

message ContainerStateWaiting {
  optional string reason = 1 [(nullable) = false];
  optional string message = 2 [(nullable) = false];
}

message ContainerStatus {
  optional string name = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.ContainerState state = 2 [(nullable) = false];
  optional .k8s.io.api.core.v1.ContainerState lastState = 3 [(nullable) = false];
  optional bool ready = 4 [(nullable) = false, (omitempty) = false];
  optional int32 restartCount = 5 [(nullable) = false, (omitempty) = false];
  optional string image = 6 [(nullable) = false, (omitempty) = false];
  optional string imageID = 7 [(nullable) = false, (omitempty) = false];
  optional string containerID = 8 [(nullable) = false];
  optional bool started = 9;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> allocatedResources = 10;
  optional .k8s.io.api.core.v1.ResourceRequirements resources = 11;
  repeated .k8s.io.api.core.v1.VolumeMountStatus volumeMounts = 12 [(nullable) = false];
  optional .k8s.io.api.core.v1.ContainerUser user = 13;
  repeated .k8s.io.api.core.v1.ResourceStatus allocatedResourcesStatus = 14 [(nullable) = false];
  optional string stopSignal = 15;
}

message ContainerUser {
  optional .k8s.io.api.core.v1.LinuxContainerUser linux = 1;
}

message DaemonEndpoint {
  optional int32 Port = 1 [(nullable) = false, (omitempty) = false];
}

message DownwardAPIProjection {
  repeated .k8s.io.api.core.v1.DownwardAPIVolumeFile items = 1 [(nullable) = false];
}

message DownwardAPIVolumeFile {
  optional string path = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.ObjectFieldSelector fieldRef = 2;
  optional .k8s.io.api.core.v1.ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4;
}

message DownwardAPIVolumeSource {
  repeated .k8s.io.api.core.v1.DownwardAPIVolumeFile items = 1 [(nullable) = false];
  optional int32 defaultMode = 2;
}

message EmptyDirVolumeSource {
  optional string medium = 1 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity sizeLimit = 2;
}

message EndpointAddress {
  optional string ip = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.ObjectReference targetRef = 2;
  optional string hostname = 3 [(nullable) = false];
  optional string nodeName = 4;
}

message EndpointPort {
  optional string name = 1 [(nullable) = false];
  optional int32 port = 2 [(nullable) = false, (omitempty) = false];
  optional string protocol = 3 [(nullable) = false];
  optional string appProtocol = 4;
}

message EndpointSubset {
  repeated .k8s.io.api.core.v1.EndpointAddress addresses = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.EndpointAddress notReadyAddresses = 2 [(nullable) = false];
  repeated .k8s.io.api.core.v1.EndpointPort ports = 3 [(nullable) = false];
}

message Endpoints {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.EndpointSubset subsets = 2 [(nullable) = false];
}

message EndpointsList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Endpoints items = 2 [(nullable) = false];
}

message EnvFromSource {
  optional string prefix = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.ConfigMapEnvSource configMapRef = 2;
  optional .k8s.io.api.core.v1.SecretEnvSource secretRef = 3;
}

message EnvVar {
  optional string name = 1 [(nullable) = false];
  optional string value = 2 [(nullable) = false];
  optional .k8s.io.api.core.v1.EnvVarSource valueFrom = 3;
}

message EnvVarSource {
  optional .k8s.io.api.core.v1.ObjectFieldSelector fieldRef = 1;
  optional .k8s.io.api.core.v1.ResourceFieldSelector resourceFieldRef = 2;
  optional .k8s.io.api.core.v1.ConfigMapKeySelector configMapKeyRef = 3;
  optional .k8s.io.api.core.v1.SecretKeySelector secretKeyRef = 4;
}

message EphemeralContainer {
  optional .k8s.io.api.core.v1.EphemeralContainerCommon ephemeralContainerCommon = 1 [(nullable) = false, (inline) = true];
  optional string targetContainerName = 2 [(nullable) = false];
}

message EphemeralContainerCommon {
  optional string name = 1 [(nullable) = false];
  optional string image = 2 [(nullable) = false];
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5 [(nullable) = false];
  repeated .k8s.io.api.core.v1.ContainerPort ports = 6 [(nullable) = false];
  repeated .k8s.io.api.core.v1.EnvVar env = 7 [(nullable) = false];
  optional .k8s.io.api.core.v1.ResourceRequirements resources = 8 [(nullable) = false];
  repeated .k8s.io.api.core.v1.VolumeMount volumeMounts = 9 [(nullable) = false];
  optional .k8s.io.api.core.v1.Probe livenessProbe = 10;
  optional .k8s.io.api.core.v1.Probe readinessProbe = 11;
  optional .k8s.io.api.core.v1.Lifecycle lifecycle = 12;
  optional string terminationMessagePath = 13 [(nullable) = false];
  optional string imagePullPolicy = 14 [(nullable) = false];
  optional .k8s.io.api.core.v1.SecurityContext securityContext = 15;
  optional bool stdin = 16 [(nullable) = false];
  optional bool stdinOnce = 17 [(nullable) = false];
  optional bool tty = 18 [(nullable) = false];
  repeated .k8s.io.api.core.v1.EnvFromSource envFrom = 19 [(nullable) = false];
  optional string terminationMessagePolicy = 20 [(nullable) = false];
  repeated .k8s.io.api.core.v1.VolumeDevice volumeDevices = 21 [(nullable) = false];
  optional .k8s.io.api.core.v1.Probe startupProbe = 22;
  repeated .k8s.io.api.core.v1.ContainerResizePolicy resizePolicy = 23 [(nullable) = false];
  optional string restartPolicy = 24;
}

message EphemeralVolumeSource {
  optional .k8s.io.api.core.v1.PersistentVolumeClaimTemplate volumeClaimTemplate = 1;
}

message Event {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.ObjectReference involvedObject = 2 [(nullable) = false];
  optional string reason = 3 [(nullable) = false];
  optional string message = 4 [(nullable) = false];
  optional .k8s.io.api.core.v1.EventSource source = 5 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time firstTimestamp = 6 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTimestamp = 7 [(nullable) = false];
  optional int32 count = 8 [(nullable) = false];
  optional string type = 9 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime eventTime = 10 [(nullable) = false];
  optional .k8s.io.api.core.v1.EventSeries series = 11;
  optional string action = 12 [(nullable) = false];
  optional .k8s.io.api.core.v1.ObjectReference related = 13;
  optional string reportingComponent = 14 [(nullable) = false, (omitempty) = false];
  optional string reportingInstance = 15 [(nullable) = false, (omitempty) = false];
}

message EventList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Event items = 2 [(nullable) = false];
}

message EventSeries {
  optional int32 count = 1 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime lastObservedTime = 2 [(nullable) = false];
}

message EventSource {
  optional string component = 1 [(nullable) = false];
  optional string host = 2 [(nullable) = false];
}

message ExecAction {
  repeated string command = 1;
}

message FCVolumeSource {
  repeated string targetWWNs = 1;
  optional int32 lun = 2;
  optional string fsType = 3 [(nullable) = false];
  optional bool readOnly = 4 [(nullable) = false];
  repeated string wwids = 5;
}

message FlexVolumeSource {
  optional string driver = 1 [(nullable) = false, (omitempty) = false];
  optional string fsType = 2 [(nullable) = false];
  optional .k8s.io.api.core.v1.LocalObjectReference secretRef = 3;
  optional bool readOnly = 4 [(nullable) = false];
  map<string, string> options = 5;
}

message FlockerVolumeSource {
  optional string datasetName = 1 [(nullable) = false];
  optional string datasetUUID = 2 [(nullable) = false];
}

message GCEPersistentDiskVolumeSource {
  optional string pdName = 1 [(nullable) = false, (omitempty) = false];
  optional string fsType = 2 [(nullable) = false];
  optional int32 partition = 3 [(nullable) = false];
  optional bool readOnly = 4 [(nullable) = false];
}

message GRPCAction {
  optional int32 port = 1 [(nullable) = false, (omitempty) = false];
  optional string service = 2;
}

message GitRepoVolumeSource {
  optional string repository = 1 [(nullable) = false, (omitempty) = false];
  optional string revision = 2 [(nullable) = false];
  optional string directory = 3 [(nullable) = false];
}

message GlusterfsVolumeSource {
  optional string endpoints = 1 [(nullable) = false, (omitempty) = false];
  optional string path = 2 [(nullable) = false];
  optional bool readOnly = 3 [(nullable) = false];
}

message HTTPGetAction {
  optional string path = 1 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 2 [(nullable) = false];
  optional string host = 3 [(nullable) = false];
  optional string scheme = 4 [(nullable) = false];
  repeated .k8s.io.api.core.v1.HTTPHeader httpHeaders = 5 [(nullable) = false];
}

message HTTPHeader {
  optional string name = 1 [(nullable) = false];
  optional string value = 2 [(nullable) = false];
}

message HostAlias {
  optional string ip = 1 [(nullable) = false];
  repeated string hostnames = 2;
}

message HostIP {
  optional string ip = 1 [(nullable) = false];
}

message HostPathVolumeSource {
  optional string path = 1 [(nullable) = false];
  optional string type = 2;
}

message ISCSIVolumeSource {
  optional string targetPortal = 1 [(nullable) = false, (omitempty) = false];
  optional string iqn = 2 [(nullable) = false, (omitempty) = false];
  optional int32 lun = 3 [(nullable) = false, (omitempty) = false];
  optional string iscsiInterface = 4 [(nullable) = false];
  optional string fsType = 5 [(nullable) = false];
  optional bool readOnly = 6 [(nullable) = false];
  repeated string portals = 7;
  optional bool chapAuthDiscovery = 8 [(nullable) = false];
  optional .k8s.io.api.core.v1.LocalObjectReference secretRef = 10;
  optional bool chapAuthSession = 11 [(nullable) = false];
  optional string initiatorName = 12;
}

message ImageVolumeSource {
  optional string reference = 1 [(nullable) = false];
  optional string pullPolicy = 2 [(nullable) = false];
}

message KeyToPath {
  optional string key = 1 [(nullable) = false];
  optional string path = 2 [(nullable) = false];
  optional int32 mode = 3;
}

message Lifecycle {
  optional .k8s.io.api.core.v1.LifecycleHandler postStart = 1;
  optional .k8s.io.api.core.v1.LifecycleHandler preStop = 2;
  optional string stopSignal = 3;
}

message LifecycleHandler {
  optional .k8s.io.api.core.v1.ExecAction exec = 1;
  optional .k8s.io.api.core.v1.HTTPGetAction httpGet = 2;
  optional .k8s.io.api.core.v1.TCPSocketAction tcpSocket = 3;
  optional .k8s.io.api.core.v1.SleepAction sleep = 4;
}

message LinuxContainerUser {
  optional int64 uid = 1 [(nullable) = false];
  optional int64 gid = 2 [(nullable) = false];
  repeated int64 supplementalGroups = 3;
}

message LoadBalancerIngress {
  optional string ip = 1 [(nullable) = false];
  optional string hostname = 2 [(nullable) = false];
  optional string ipMode = 3;
  repeated .k8s.io.api.core.v1.PortStatus ports = 4 [(nullable) = false];
}

message LoadBalancerStatus {
  repeated .k8s.io.api.core.v1.LoadBalancerIngress ingress = 1 [(nullable) = false];
}

message LocalObjectReference {
  optional string name = 1 [(nullable) = false];
}

message NFSVolumeSource {
  optional string server = 1 [(nullable) = false, (omitempty) = false];
  optional string path = 2 [(nullable) = false];
  optional bool readOnly = 3 [(nullable) = false];
}

message Namespace {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.NamespaceSpec spec = 2 [(nullable) = false];
  optional .k8s.io.api.core.v1.NamespaceStatus status = 3 [(nullable) = false];
}

message NamespaceCondition {
  optional string type = 1 [(nullable) = false];
  optional string status = 2 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4 [(nullable) = false];
  optional string reason = 5 [(nullable) = false];
  optional string message = 6 [(nullable) = false];
}

message NamespaceList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Namespace items = 2 [(nullable) = false];
}

message NamespaceSpec {
  repeated string finalizers = 1;
}

message NamespaceStatus {
  optional string phase = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.NamespaceCondition conditions = 2 [(nullable) = false];
}

message Node {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.NodeSpec spec = 2 [(nullable) = false];
  optional .k8s.io.api.core.v1.NodeStatus status = 3 [(nullable) = false];
}

message NodeAddress {
  optional string type = 1 [(nullable) = false];
  optional string address = 2 [(nullable) = false, (omitempty) = false];
}

message NodeAffinity {
  optional .k8s.io.api.core.v1.NodeSelector requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated .k8s.io.api.core.v1.PreferredSchedulingTerm preferredDuringSchedulingIgnoredDuringExecution = 2 [(nullable) = false];
}

message NodeCondition {
  optional string type = 1 [(nullable) = false];
  optional string status = 2 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastHeartbeatTime = 3 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4 [(nullable) = false];
  optional string reason = 5 [(nullable) = false];
  optional string message = 6 [(nullable) = false];
}

message NodeConfigSource {
  optional .k8s.io.api.core.v1.ConfigMapNodeConfigSource configMap = 2;
}

message NodeConfigStatus {
  optional .k8s.io.api.core.v1.NodeConfigSource assigned = 1;
  optional .k8s.io.api.core.v1.NodeConfigSource active = 2;
  optional .k8s.io.api.core.v1.NodeConfigSource lastKnownGood = 3;
  optional string error = 4 [(nullable) = false];
}

message NodeDaemonEndpoints {
  optional .k8s.io.api.core.v1.DaemonEndpoint kubeletEndpoint = 1 [(nullable) = false];
}

message NodeFeatures {
  optional bool supplementalGroupsPolicy = 1;
}

message NodeList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Node items = 2 [(nullable) = false];
}

message NodeRuntimeHandler {
  optional string name = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.NodeRuntimeHandlerFeatures features = 2;
}

message NodeRuntimeHandlerFeatures {
  optional bool recursiveReadOnlyMounts = 1;
  optional bool userNamespaces = 2;
}

message NodeSelector {
  repeated .k8s.io.api.core.v1.NodeSelectorTerm nodeSelectorTerms = 1 [(nullable) = false];
}

message NodeSelectorRequirement {
  optional string key = 1 [(nullable) = false];
  optional string operator = 2 [(nullable) = false];
  repeated string values = 3;
}

message NodeSelectorTerm {
  repeated .k8s.io.api.core.v1.NodeSelectorRequirement matchExpressions = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.NodeSelectorRequirement matchFields = 2 [(nullable) = false];
}

message NodeSpec {
  optional string podCIDR = 1 [(nullable) = false];
  optional string externalID = 2 [(nullable) = false];
  optional string providerID = 3 [(nullable) = false];
  optional bool unschedulable = 4 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Taint taints = 5 [(nullable) = false];
  optional .k8s.io.api.core.v1.NodeConfigSource configSource = 6;
  repeated string podCIDRs = 7;
}

message NodeStatus {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> capacity = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> allocatable = 2;
  optional string phase = 3 [(nullable) = false];
  repeated .k8s.io.api.core.v1.NodeCondition conditions = 4 [(nullable) = false];
  repeated .k8s.io.api.core.v1.NodeAddress addresses = 5 [(nullable) = false];
  optional .k8s.io.api.core.v1.NodeDaemonEndpoints daemonEndpoints = 6 [(nullable) = false];
  optional .k8s.io.api.core.v1.NodeSystemInfo nodeInfo = 7 [(nullable) = false];
  repeated .k8s.io.api.core.v1.ContainerImage images = 8 [(nullable) = false];
  repeated string volumesInUse = 9;
  repeated .k8s.io.api.core.v1.AttachedVolume volumesAttached = 10 [(nullable) = false];
  optional .k8s.io.api.core.v1.NodeConfigStatus config = 11;
  repeated .k8s.io.api.core.v1.NodeRuntimeHandler runtimeHandlers = 12 [(nullable) = false];
  optional .k8s.io.api.core.v1.NodeFeatures features = 13;
}

message NodeSwapStatus {
  optional int64 capacity = 1;
}

message NodeSystemInfo {
  optional string machineID = 1 [(nullable) = false, (omitempty) = false];
  optional string systemUUID = 2 [(nullable) = false, (omitempty) = false];
  optional string bootID = 3 [(nullable) = false, (omitempty) = false];
  optional string kernelVersion = 4 [(nullable) = false, (omitempty) = false];
  optional string osImage = 5 [(nullable) = false, (omitempty) = false];
  optional string containerRuntimeVersion = 6 [(nullable) = false, (omitempty) = false];
  optional string kubeletVersion = 7 [(nullable) = false, (omitempty) = false];
  optional string kubeProxyVersion = 8 [(nullable) = false, (omitempty) = false];
  optional string operatingSystem = 9 [(nullable) = false, (omitempty) = false];
  optional string architecture = 10 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.api.core.v1.NodeSwapStatus swap = 11;
}

message ObjectFieldSelector {
  optional string apiVersion = 1 [(nullable) = false];
  optional string fieldPath = 2 [(nullable) = false, (omitempty) = false];
}

message ObjectReference {
  optional string kind = 1 [(nullable) = false];
  optional string namespace = 2 [(nullable) = false];
  optional string name = 3 [(nullable) = false];
  optional string uid = 4 [(nullable) = false];
  optional string apiVersion = 5 [(nullable) = false];
  optional string resourceVersion = 6 [(nullable) = false];
  optional string fieldPath = 7 [(nullable) = false];
}

message PersistentVolumeClaimSpec {
  repeated string accessModes = 1;
  optional .k8s.io.api.core.v1.VolumeResourceRequirements resources = 2 [(nullable) = false];
  optional string volumeName = 3 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 4;
  optional string storageClassName = 5;
  optional string volumeMode = 6;
  optional .k8s.io.api.core.v1.TypedLocalObjectReference dataSource = 7;
  optional .k8s.io.api.core.v1.TypedObjectReference dataSourceRef = 8;
  optional string volumeAttributesClassName = 9;
}

message PersistentVolumeClaimTemplate {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.PersistentVolumeClaimSpec spec = 2 [(nullable) = false];
}

message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1 [(nullable) = false, (omitempty) = false];
  optional bool readOnly = 2 [(nullable) = false];
}

message PhotonPersistentDiskVolumeSource {
  optional string pdID = 1 [(nullable) = false, (omitempty) = false];
  optional string fsType = 2 [(nullable) = false];
}

message Pod {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.PodSpec spec = 2 [(nullable) = false];
  optional .k8s.io.api.core.v1.PodStatus status = 3 [(nullable) = false];
}

message PodAffinity {
  repeated .k8s.io.api.core.v1.PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2 [(nullable) = false];
}

message PodAffinityTerm {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 1;
  repeated string namespaces = 2;
  optional string topologyKey = 3 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector namespaceSelector = 4;
  repeated string matchLabelKeys = 5;
  repeated string mismatchLabelKeys = 6;
}

message PodAntiAffinity {
  repeated .k8s.io.api.core.v1.PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2 [(nullable) = false];
}

message PodCondition {
  optional string type = 1 [(nullable) = false];
  optional string status = 2 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastProbeTime = 3 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4 [(nullable) = false];
  optional string reason = 5 [(nullable) = false];
  optional string message = 6 [(nullable) = false];
  optional int64 observedGeneration = 7 [(nullable) = false];
}

message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated .k8s.io.api.core.v1.PodDNSConfigOption options = 3 [(nullable) = false];
}

message PodDNSConfigOption {
  optional string name = 1 [(nullable) = false];
  optional string value = 2;
}

message PodIP {
  optional string ip = 1 [(nullable) = false];
}

message PodList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Pod items = 2 [(nullable) = false];
}

message PodOS {
  optional string name = 1 [(nullable) = false];
}

message PodReadinessGate {
  optional string conditionType = 1 [(nullable) = false, (omitempty) = false];
}

message PodResourceClaim {
  optional string name = 1 [(nullable) = false];
  optional string resourceClaimName = 3;
  optional string resourceClaimTemplateName = 4;
}

message PodResourceClaimStatus {
  optional string name = 1 [(nullable) = false];
  optional string resourceClaimName = 2;
}

message PodSchedulingGate {
  optional string name = 1 [(nullable) = false];
}

message PodSecurityContext {
  optional .k8s.io.api.core.v1.SELinuxOptions seLinuxOptions = 1;
  optional int64 runAsUser = 2;
  optional bool runAsNonRoot = 3;
  repeated int64 supplementalGroups = 4;
  optional int64 fsGroup = 5;
  optional int64 runAsGroup = 6;
  repeated .k8s.io.api.core.v1.Sysctl sysctls = 7 [(nullable) = false];
  optional .k8s.io.api.core.v1.WindowsSecurityContextOptions windowsOptions = 8;
  optional string fsGroupChangePolicy = 9;
  optional .k8s.io.api.core.v1.SeccompProfile seccompProfile = 10;
  optional .k8s.io.api.core.v1.AppArmorProfile appArmorProfile = 11;
  optional string supplementalGroupsPolicy = 12;
  optional string seLinuxChangePolicy = 13;
}

message PodSpec {
  repeated .k8s.io.api.core.v1.Volume volumes = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Container containers = 2 [(nullable) = false];
  optional string restartPolicy = 3 [(nullable) = false];
  optional int64 terminationGracePeriodSeconds = 4;
  optional int64 activeDeadlineSeconds = 5;
  optional string dnsPolicy = 6 [(nullable) = false];
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8 [(nullable) = false];
  optional string serviceAccount = 9 [(nullable) = false];
  optional string nodeName = 10 [(nullable) = false];
  optional bool hostNetwork = 11 [(nullable) = false];
  optional bool hostPID = 12 [(nullable) = false];
  optional bool hostIPC = 13 [(nullable) = false];
  optional .k8s.io.api.core.v1.PodSecurityContext securityContext = 14;
  repeated .k8s.io.api.core.v1.LocalObjectReference imagePullSecrets = 15 [(nullable) = false];
  optional string hostname = 16 [(nullable) = false];
  optional string subdomain = 17 [(nullable) = false];
  optional .k8s.io.api.core.v1.Affinity affinity = 18;
  optional string schedulerName = 19 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Container initContainers = 20 [(nullable) = false];
  optional bool automountServiceAccountToken = 21;
  repeated .k8s.io.api.core.v1.Toleration tolerations = 22 [(nullable) = false];
  repeated .k8s.io.api.core.v1.HostAlias hostAliases = 23 [(nullable) = false];
  optional string priorityClassName = 24 [(nullable) = false];
  optional int32 priority = 25;
  optional .k8s.io.api.core.v1.PodDNSConfig dnsConfig = 26;
  optional bool shareProcessNamespace = 27;
  repeated .k8s.io.api.core.v1.PodReadinessGate readinessGates = 28 [(nullable) = false];
  optional string runtimeClassName = 29;
  optional bool enableServiceLinks = 30;
  optional string preemptionPolicy = 31;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> overhead = 32;
  repeated .k8s.io.api.core.v1.TopologySpreadConstraint topologySpreadConstraints = 33 [(nullable) = false];
  repeated .k8s.io.api.core.v1.EphemeralContainer ephemeralContainers = 34 [(nullable) = false];
  optional bool setHostnameAsFQDN = 35;
  optional .k8s.io.api.core.v1.PodOS os = 36;
  optional bool hostUsers = 37;
  repeated .k8s.io.api.core.v1.PodSchedulingGate schedulingGates = 38 [(nullable) = false];
  repeated .k8s.io.api.core.v1.PodResourceClaim resourceClaims = 39 [(nullable) = false];
  optional .k8s.io.api.core.v1.ResourceRequirements resources = 40;
}

message PodStatus {
  optional string phase = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.PodCondition conditions = 2 [(nullable) = false];
  optional string message = 3 [(nullable) = false];
  optional string reason = 4 [(nullable) = false];
  optional string hostIP = 5 [(nullable) = false];
  optional string podIP = 6 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startTime = 7;
  repeated .k8s.io.api.core.v1.ContainerStatus containerStatuses = 8 [(nullable) = false];
  optional string qosClass = 9 [(nullable) = false];
  repeated .k8s.io.api.core.v1.ContainerStatus initContainerStatuses = 10 [(nullable) = false];
  optional string nominatedNodeName = 11 [(nullable) = false];
  repeated .k8s.io.api.core.v1.PodIP podIPs = 12 [(nullable) = false];
  repeated .k8s.io.api.core.v1.ContainerStatus ephemeralContainerStatuses = 13 [(nullable) = false];
  optional string resize = 14 [(nullable) = false];
  repeated .k8s.io.api.core.v1.PodResourceClaimStatus resourceClaimStatuses = 15 [(nullable) = false];
  repeated .k8s.io.api.core.v1.HostIP hostIPs = 16 [(nullable) = false];
  optional int64 observedGeneration = 17 [(nullable) = false];
}

message PodTemplateSpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.PodSpec spec = 2 [(nullable) = false];
}

message PortStatus {
  optional int32 port = 1 [(nullable) = false, (omitempty) = false];
  optional string protocol = 2 [(nullable) = false];
  optional string error = 3;
}

message PortworxVolumeSource {
  optional string volumeID = 1 [(nullable) = false, (omitempty) = false];
  optional string fsType = 2 [(nullable) = false];
  optional bool readOnly = 3 [(nullable) = false];
}

message PreferredSchedulingTerm {
  optional int32 weight = 1 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.api.core.v1.NodeSelectorTerm preference = 2 [(nullable) = false];
}

message Probe {
  optional .k8s.io.api.core.v1.ProbeHandler handler = 1 [(nullable) = false, (inline) = true];
  optional int32 initialDelaySeconds = 2 [(nullable) = false];
  optional int32 timeoutSeconds = 3 [(nullable) = false];
  optional int32 periodSeconds = 4 [(nullable) = false];
  optional int32 successThreshold = 5 [(nullable) = false];
  optional int32 failureThreshold = 6 [(nullable) = false];
  optional int64 terminationGracePeriodSeconds = 7;
}

message ProbeHandler {
  optional .k8s.io.api.core.v1.ExecAction exec = 1;
  optional .k8s.io.api.core.v1.HTTPGetAction httpGet = 2;
  optional .k8s.io.api.core.v1.TCPSocketAction tcpSocket = 3;
  optional .k8s.io.api.core.v1.GRPCAction grpc = 4;
}

message ProjectedVolumeSource {
  repeated .k8s.io.api.core.v1.VolumeProjection sources = 1 [(nullable) = false];
  optional int32 defaultMode = 2;
}

message QuobyteVolumeSource {
  optional string registry = 1 [(nullable) = false, (omitempty) = false];
  optional string volume = 2 [(nullable) = false, (omitempty) = false];
  optional bool readOnly = 3 [(nullable) = false];
  optional string user = 4 [(nullable) = false];
  optional string group = 5 [(nullable) = false];
  optional string tenant = 6 [(nullable) = false];
}

message RBDVolumeSource {
  repeated string monitors = 1;
  optional string image = 2 [(nullable) = false];
  optional string fsType = 3 [(nullable) = false];
  optional string pool = 4 [(nullable) = false];
  optional string user = 5 [(nullable) = false];
  optional string keyring = 6 [(nullable) = false];
  optional .k8s.io.api.core.v1.LocalObjectReference secretRef = 7;
  optional bool readOnly = 8 [(nullable) = false];
}

message ResourceClaim {
  optional string name = 1 [(nullable) = false];
  optional string request = 2 [(nullable) = false];
}

message ResourceFieldSelector {
  optional string containerName = 1 [(nullable) = false];
  optional string resource = 2 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity divisor = 3 [(nullable) = false];
}

message ResourceHealth {
  optional string resourceID = 1 [(nullable) = false, (omitempty) = false];
  optional string health = 2 [(nullable) = false];
}

message ResourceRequirements {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
  repeated .k8s.io.api.core.v1.ResourceClaim claims = 3 [(nullable) = false];
}

message ResourceStatus {
  optional string name = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.ResourceHealth resources = 2 [(nullable) = false];
}

message SELinuxOptions {
  optional string user = 1 [(nullable) = false];
  optional string role = 2 [(nullable) = false];
  optional string type = 3 [(nullable) = false];
  optional string level = 4 [(nullable) = false];
}

message ScaleIOVolumeSource {
  optional string gateway = 1 [(nullable) = false, (omitempty) = false];
  optional string system = 2 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.api.core.v1.LocalObjectReference secretRef = 3;
  optional bool sslEnabled = 4 [(nullable) = false];
  optional string protectionDomain = 5 [(nullable) = false];
  optional string storagePool = 6 [(nullable) = false];
  optional string storageMode = 7 [(nullable) = false];
  optional string volumeName = 8 [(nullable) = false];
  optional string fsType = 9 [(nullable) = false];
  optional bool readOnly = 10 [(nullable) = false];
}

message SeccompProfile {
  optional string type = 1 [(nullable) = false];
  optional string localhostProfile = 2;
}

message Secret {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  map<string, bytes> data = 2;
  optional string type = 3 [(nullable) = false];
  map<string, string> stringData = 4;
  optional bool immutable = 5;
}

message SecretEnvSource {
  optional .k8s.io.api.core.v1.LocalObjectReference localObjectReference = 1 [(nullable) = false, (inline) = true];
  optional bool optional = 2;
}

message SecretKeySelector {
  optional .k8s.io.api.core.v1.LocalObjectReference localObjectReference = 1 [(nullable) = false, (inline) = true];
  optional string key = 2 [(nullable) = false, (omitempty) = false];
  optional bool optional = 3;
}

message SecretList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Secret items = 2 [(nullable) = false];
}

message SecretProjection {
  optional .k8s.io.api.core.v1.LocalObjectReference localObjectReference = 1 [(nullable) = false, (inline) = true];
  repeated .k8s.io.api.core.v1.KeyToPath items = 2 [(nullable) = false];
  optional bool optional = 4;
}

message SecretVolumeSource {
  optional string secretName = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.KeyToPath items = 2 [(nullable) = false];
  optional int32 defaultMode = 3;
  optional bool optional = 4;
}

message SecurityContext {
  optional .k8s.io.api.core.v1.Capabilities capabilities = 1;
  optional bool privileged = 2;
  optional .k8s.io.api.core.v1.SELinuxOptions seLinuxOptions = 3;
  optional int64 runAsUser = 4;
  optional bool runAsNonRoot = 5;
  optional bool readOnlyRootFilesystem = 6;
  optional bool allowPrivilegeEscalation = 7;
  optional int64 runAsGroup = 8;
  optional string procMount = 9;
  optional .k8s.io.api.core.v1.WindowsSecurityContextOptions windowsOptions = 10;
  optional .k8s.io.api.core.v1.SeccompProfile seccompProfile = 11;
  optional .k8s.io.api.core.v1.AppArmorProfile appArmorProfile = 12;
}

message Service {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.ServiceSpec spec = 2 [(nullable) = false];
  optional .k8s.io.api.core.v1.ServiceStatus status = 3 [(nullable) = false];
}

message ServiceAccountTokenProjection {
  optional string audience = 1 [(nullable) = false];
  optional int64 expirationSeconds = 2;
  optional string path = 3 [(nullable) = false];
}

message ServiceList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.core.v1.Service items = 2 [(nullable) = false];
}

message ServicePort {
  optional string name = 1 [(nullable) = false];
  optional string protocol = 2 [(nullable) = false];
  optional int32 port = 3 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString targetPort = 4 [(nullable) = false];
  optional int32 nodePort = 5 [(nullable) = false];
  optional string appProtocol = 6;
}

message ServiceSpec {
  repeated .k8s.io.api.core.v1.ServicePort ports = 1 [(nullable) = false];
  map<string, string> selector = 2;
  optional string clusterIP = 3 [(nullable) = false];
  optional string type = 4 [(nullable) = false];
  repeated string externalIPs = 5;
  optional string sessionAffinity = 7 [(nullable) = false];
  optional string loadBalancerIP = 8 [(nullable) = false];
  repeated string loadBalancerSourceRanges = 9;
  optional string externalName = 10 [(nullable) = false];
  optional string externalTrafficPolicy = 11 [(nullable) = false];
  optional int32 healthCheckNodePort = 12 [(nullable) = false];
  optional bool publishNotReadyAddresses = 13 [(nullable) = false];
  optional .k8s.io.api.core.v1.SessionAffinityConfig sessionAffinityConfig = 14;
  optional string ipFamilyPolicy = 17;
  repeated string clusterIPs = 18;
  repeated string ipFamilies = 19;
  optional bool allocateLoadBalancerNodePorts = 20;
  optional string loadBalancerClass = 21;
  optional string internalTrafficPolicy = 22;
  optional string trafficDistribution = 23;
}

message ServiceStatus {
  optional .k8s.io.api.core.v1.LoadBalancerStatus loadBalancer = 1 [(nullable) = false];
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.Condition conditions = 2 [(nullable) = false];
}

message SessionAffinityConfig {
  optional .k8s.io.api.core.v1.ClientIPConfig clientIP = 1;
}

message SleepAction {
  optional int64 seconds = 1 [(nullable) = false, (omitempty) = false];
}

message StorageOSVolumeSource {
  optional string volumeName = 1 [(nullable) = false];
  optional string volumeNamespace = 2 [(nullable) = false];
  optional string fsType = 3 [(nullable) = false];
  optional bool readOnly = 4 [(nullable) = false];
  optional .k8s.io.api.core.v1.LocalObjectReference secretRef = 5;
}

message Sysctl {
  optional string name = 1 [(nullable) = false];
  optional string value = 2 [(nullable) = false];
}

message TCPSocketAction {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 1 [(nullable) = false];
  optional string host = 2 [(nullable) = false];
}

message Taint {
  optional string key = 1 [(nullable) = false];
  optional string value = 2 [(nullable) = false];
  optional string effect = 3 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time timeAdded = 4;
}

message Toleration {
  optional string key = 1 [(nullable) = false];
  optional string operator = 2 [(nullable) = false];
  optional string value = 3 [(nullable) = false];
  optional string effect = 4 [(nullable) = false];
  optional int64 tolerationSeconds = 5;
}

message TopologySpreadConstraint {
  optional int32 maxSkew = 1 [(nullable) = false, (omitempty) = false];
  optional string topologyKey = 2 [(nullable) = false, (omitempty) = false];
  optional string whenUnsatisfiable = 3 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 4;
  optional int32 minDomains = 5;
  optional string nodeAffinityPolicy = 6;
  optional string nodeTaintsPolicy = 7;
  repeated string matchLabelKeys = 8;
}

message TypedLocalObjectReference {
  optional string apiGroup = 1;
  optional string kind = 2 [(nullable) = false];
  optional string name = 3 [(nullable) = false];
}

message TypedObjectReference {
  optional string apiGroup = 1;
  optional string kind = 2 [(nullable) = false];
  optional string name = 3 [(nullable) = false];
  optional string namespace = 4;
}

message Volume {
  optional string name = 1 [(nullable) = false];
  optional .k8s.io.api.core.v1.VolumeSource volumeSource = 2 [(nullable) = false, (inline) = true];
}

message VolumeDevice {
  optional string name = 1 [(nullable) = false];
  optional string devicePath = 2 [(nullable) = false, (omitempty) = false];
}

message VolumeMount {
  optional string name = 1 [(nullable) = false];
  optional bool readOnly = 2 [(nullable) = false];
  optional string mountPath = 3 [(nullable) = false, (omitempty) = false];
  optional string subPath = 4 [(nullable) = false];
  optional string mountPropagation = 5;
  optional string subPathExpr = 6 [(nullable) = false];
  optional string recursiveReadOnly = 7;
}

message VolumeMountStatus {
  optional string name = 1 [(nullable) = false];
  optional string mountPath = 2 [(nullable) = false, (omitempty) = false];
  optional bool readOnly = 3 [(nullable) = false];
  optional string recursiveReadOnly = 4;
}

message VolumeProjection {
  optional .k8s.io.api.core.v1.SecretProjection secret = 1;
  optional .k8s.io.api.core.v1.DownwardAPIProjection downwardAPI = 2;
  optional .k8s.io.api.core.v1.ConfigMapProjection configMap = 3;
  optional .k8s.io.api.core.v1.ServiceAccountTokenProjection serviceAccountToken = 4;
  optional .k8s.io.api.core.v1.ClusterTrustBundleProjection clusterTrustBundle = 5;
}

message VolumeResourceRequirements {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
}

message VolumeSource {
  optional .k8s.io.api.core.v1.HostPathVolumeSource hostPath = 1;
  optional .k8s.io.api.core.v1.EmptyDirVolumeSource emptyDir = 2;
  optional .k8s.io.api.core.v1.GCEPersistentDiskVolumeSource gcePersistentDisk = 3;
  optional .k8s.io.api.core.v1.AWSElasticBlockStoreVolumeSource awsElasticBlockStore = 4;
  optional .k8s.io.api.core.v1.GitRepoVolumeSource gitRepo = 5;
  optional .k8s.io.api.core.v1.SecretVolumeSource secret = 6;
  optional .k8s.io.api.core.v1.NFSVolumeSource nfs = 7;
  optional .k8s.io.api.core.v1.ISCSIVolumeSource iscsi = 8;
  optional .k8s.io.api.core.v1.GlusterfsVolumeSource glusterfs = 9;
  optional .k8s.io.api.core.v1.PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional .k8s.io.api.core.v1.RBDVolumeSource rbd = 11;
  optional .k8s.io.api.core.v1.FlexVolumeSource flexVolume = 12;
  optional .k8s.io.api.core.v1.CinderVolumeSource cinder = 13;
  optional .k8s.io.api.core.v1.CephFSVolumeSource cephfs = 14;
  optional .k8s.io.api.core.v1.FlockerVolumeSource flocker = 15;
  optional .k8s.io.api.core.v1.DownwardAPIVolumeSource downwardAPI = 16;
  optional .k8s.io.api.core.v1.FCVolumeSource fc = 17;
  optional .k8s.io.api.core.v1.AzureFileVolumeSource azureFile = 18;
  optional .k8s.io.api.core.v1.ConfigMapVolumeSource configMap = 19;
  optional .k8s.io.api.core.v1.VsphereVirtualDiskVolumeSource vsphereVolume = 20;
  optional .k8s.io.api.core.v1.QuobyteVolumeSource quobyte = 21;
  optional .k8s.io.api.core.v1.AzureDiskVolumeSource azureDisk = 22;
  optional .k8s.io.api.core.v1.PhotonPersistentDiskVolumeSource photonPersistentDisk = 23;
  optional .k8s.io.api.core.v1.PortworxVolumeSource portworxVolume = 24;
  optional .k8s.io.api.core.v1.ScaleIOVolumeSource scaleIO = 25;
  optional .k8s.io.api.core.v1.ProjectedVolumeSource projected = 26;
  optional .k8s.io.api.core.v1.StorageOSVolumeSource storageos = 27;
  optional .k8s.io.api.core.v1.CSIVolumeSource csi = 28;
  optional .k8s.io.api.core.v1.EphemeralVolumeSource ephemeral = 29;
  optional .k8s.io.api.core.v1.ImageVolumeSource image = 30;
}

message VsphereVirtualDiskVolumeSource {
  optional string volumePath = 1 [(nullable) = false, (omitempty) = false];
  optional string fsType = 2 [(nullable) = false];
  optional string storagePolicyName = 3 [(nullable) = false];
  optional string storagePolicyID = 4 [(nullable) = false];
}

message WeightedPodAffinityTerm {
  optional int32 weight = 1 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.api.core.v1.PodAffinityTerm podAffinityTerm = 2 [(nullable) = false];
}

message WindowsSecurityContextOptions {
  optional string gmsaCredentialSpecName = 1;
  optional string gmsaCredentialSpec = 2;
  optional string runAsUserName = 3;
  optional bool hostProcess = 4;
}

`;
