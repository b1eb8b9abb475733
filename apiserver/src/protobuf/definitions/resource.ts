// Kubernetes' k8s.io.apimachinery.pkg.api.resource messages that skiff's kinds reach:
// names, numbers and types as in the upstream generated.proto. Written by
// ../generate/from-kubectl.ts, which explains the options; regenerate rather than edit.

export const RESOURCE_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}

`;
