// Kubernetes' k8s.io.apimachinery.pkg.runtime messages that skiff's kinds reach:
// names, numbers and types as in the upstream generated.proto. Written by
// ../generate/from-kubectl.ts, which explains the options; regenerate rather than edit.

export const RUNTIME_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

message RawExtension {
  optional bytes raw = 1;
}

message TypeMeta {
  optional string apiVersion = 1 [(nullable) = false];
  optional string kind = 2 [(nullable) = false];
}

message Unknown {
  optional .k8s.io.apimachinery.pkg.runtime.TypeMeta typeMeta = 1 [(nullable) = false, (inline) = true];
  optional bytes raw = 2;
  optional string contentEncoding = 3 [(nullable) = false];
  optional string contentType = 4 [(nullable) = false];
}

`;
