// Kubernetes' k8s.io.api.autoscaling.v1 messages that skiff's kinds reach:
// names, numbers and types as in the upstream generated.proto. Written by
// ../generate/from-kubectl.ts, which explains the options; regenerate rather than edit.

export const AUTOSCALING_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.autoscaling.v1;

message Scale {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.api.autoscaling.v1.ScaleSpec spec = 2 [(nullable) = false];
  optional .k8s.io.api.autoscaling.v1.ScaleStatus status = 3 [(nullable) = false];
}

message ScaleSpec {
  optional int32 replicas = 1 [(nullable) = false];
}

message ScaleStatus {
  optional int32 replicas = 1 [(nullable) = false];
  optional string selector = 2 [(nullable) = false];
}

`;
