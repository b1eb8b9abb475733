// Kubernetes' k8s.io.api.apps.v1 messages that skiff's kinds reach:
// names, numbers and types as in the upstream generated.proto. Written by
// ../generate/from-kubectl.ts, which explains the options; regenerate rather than edit.

export const APPS_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.apps.v1;

message Deployment {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.apps.v1.DeploymentSpec spec = 2 [(nullable) = false];
  optional .k8s.io.api.apps.v1.DeploymentStatus status = 3 [(nullable) = false];
}

message DeploymentCondition {
  optional string type = 1 [(nullable) = false];
  optional string status = 2 [(nullable) = false];
  optional string reason = 4 [(nullable) = false];
  optional string message = 5 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastUpdateTime = 6 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 7 [(nullable) = false];
}

message DeploymentList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.apps.v1.Deployment items = 2 [(nullable) = false];
}

message DeploymentSpec {
  optional int32 replicas = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3 [(nullable) = false];
  optional .k8s.io.api.apps.v1.DeploymentStrategy strategy = 4 [(nullable) = false];
  optional int32 minReadySeconds = 5 [(nullable) = false];
  optional int32 revisionHistoryLimit = 6;
  optional bool paused = 7 [(nullable) = false];
  optional int32 progressDeadlineSeconds = 9;
}

message DeploymentStatus {
  optional int64 observedGeneration = 1 [(nullable) = false];
  optional int32 replicas = 2 [(nullable) = false];
  optional int32 updatedReplicas = 3 [(nullable) = false];
  optional int32 availableReplicas = 4 [(nullable) = false];
  optional int32 unavailableReplicas = 5 [(nullable) = false];
  repeated .k8s.io.api.apps.v1.DeploymentCondition conditions = 6 [(nullable) = false];
  optional int32 readyReplicas = 7 [(nullable) = false];
  optional int32 collisionCount = 8;
  optional int32 terminatingReplicas = 9;
}

message DeploymentStrategy {
  optional string type = 1 [(nullable) = false];
  optional .k8s.io.api.apps.v1.RollingUpdateDeployment rollingUpdate = 2;
}

message ReplicaSet {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.apps.v1.ReplicaSetSpec spec = 2 [(nullable) = false];
  optional .k8s.io.api.apps.v1.ReplicaSetStatus status = 3 [(nullable) = false];
}

message ReplicaSetCondition {
  optional string type = 1 [(nullable) = false];
  optional string status = 2 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3 [(nullable) = false];
  optional string reason = 4 [(nullable) = false];
  optional string message = 5 [(nullable) = false];
}

message ReplicaSetList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.apps.v1.ReplicaSet items = 2 [(nullable) = false];
}

message ReplicaSetSpec {
  optional int32 replicas = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3 [(nullable) = false];
  optional int32 minReadySeconds = 4 [(nullable) = false];
}

message ReplicaSetStatus {
  optional int32 replicas = 1 [(nullable) = false];
  optional int32 fullyLabeledReplicas = 2 [(nullable) = false];
  optional int64 observedGeneration = 3 [(nullable) = false];
  optional int32 readyReplicas = 4 [(nullable) = false];
  optional int32 availableReplicas = 5 [(nullable) = false];
  repeated .k8s.io.api.apps.v1.ReplicaSetCondition conditions = 6 [(nullable) = false];
  optional int32 terminatingReplicas = 7;
}

message RollingUpdateDeployment {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 1;
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxSurge = 2;
}

`;
