// Kubernetes' k8s.io.api.discovery.v1 messages that skiff's kinds reach:
// names, numbers and types as in the upstream generated.proto. Written by
// ../generate/from-kubectl.ts, which explains the options; regenerate rather than edit.

export const DISCOVERY_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.discovery.v1;

message Endpoint {
  repeated string addresses = 1;
  optional .k8s.io.api.discovery.v1.EndpointConditions conditions = 2 [(nullable) = false];
  optional string hostname = 3;
  optional .k8s.io.api.core.v1.ObjectReference targetRef = 4;
  map<string, string> deprecatedTopology = 5;
  optional string nodeName = 6;
  optional string zone = 7;
  optional .k8s.io.api.discovery.v1.EndpointHints hints = 8;
}

message EndpointConditions {
  optional bool ready = 1;
  optional bool serving = 2;
  optional bool terminating = 3;
}

message EndpointHints {
  repeated .k8s.io.api.discovery.v1.ForZone forZones = 1 [(nullable) = false];
  repeated .k8s.io.api.discovery.v1.ForNode forNodes = 2 [(nullable) = false];
}

message EndpointPort {
  optional string name = 1;
  optional string protocol = 2;
  optional int32 port = 3;
  optional string appProtocol = 4;
}

message EndpointSlice {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.discovery.v1.Endpoint endpoints = 2 [(nullable) = false];
  repeated .k8s.io.api.discovery.v1.EndpointPort ports = 3 [(nullable) = false];
  optional string addressType = 4 [(nullable) = false, (omitempty) = false];
}

message EndpointSliceList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.api.discovery.v1.EndpointSlice items = 2 [(nullable) = false];
}

message ForNode {
  optional string name = 1 [(nullable) = false];
}

message ForZone {
  optional string name = 1 [(nullable) = false];
}

`;
