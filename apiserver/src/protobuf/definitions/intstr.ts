// Kubernetes' k8s.io.apimachinery.pkg.util.intstr messages that skiff's kinds reach:
// names, numbers and types as in the upstream generated.proto. Written by
// ../generate/from-kubectl.ts, which explains the options; regenerate rather than edit.

export const INTSTR_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

message IntOrString {
  optional int64 type = 1 [(nullable) = false];
  optional int32 intVal = 2 [(nullable) = false];
  optional string strVal = 3 [(nullable) = false];
}

`;
