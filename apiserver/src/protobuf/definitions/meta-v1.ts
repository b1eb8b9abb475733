// Kubernetes' k8s.io.apimachinery.pkg.apis.meta.v1 messages that skiff's kinds reach:
// names, numbers and types as in the upstream generated.proto. Written by
// ../generate/from-kubectl.ts, which explains the options; regenerate rather than edit.

export const META_V1_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

message Condition {
  optional string type = 1 [(nullable) = false];
  optional string status = 2 [(nullable) = false];
  optional int64 observedGeneration = 3 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4 [(nullable) = false];
  optional string reason = 5 [(nullable) = false];
  optional string message = 6 [(nullable) = false];
}

message DeleteOptions {
  optional int64 gracePeriodSeconds = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions preconditions = 2;
  optional bool orphanDependents = 3;
  optional string propagationPolicy = 4;
  repeated string dryRun = 5;
  optional bool ignoreStoreReadErrorWithClusterBreakingPotential = 6;
}

message FieldsV1 {
  optional bytes Raw = 1;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement matchExpressions = 2 [(nullable) = false];
}

message LabelSelectorRequirement {
  optional string key = 1 [(nullable) = false];
  optional string operator = 2 [(nullable) = false];
  repeated string values = 3;
}

message ListMeta {
  optional string selfLink = 1 [(nullable) = false];
  optional string resourceVersion = 2 [(nullable) = false];
  optional string continue = 3 [(nullable) = false];
  optional int64 remainingItemCount = 4;
}

message ManagedFieldsEntry {
  optional string manager = 1 [(nullable) = false];
  optional string operation = 2 [(nullable) = false];
  optional string apiVersion = 3 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time time = 4;
  optional string fieldsType = 6 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1 fieldsV1 = 7;
  optional string subresource = 8 [(nullable) = false];
}

message MicroTime {
  optional int64 seconds = 1 [(nullable) = false, (omitempty) = false];
  optional int32 nanos = 2 [(nullable) = false, (omitempty) = false];
}

message ObjectMeta {
  optional string name = 1 [(nullable) = false];
  optional string generateName = 2 [(nullable) = false];
  optional string namespace = 3 [(nullable) = false];
  optional string selfLink = 4 [(nullable) = false];
  optional string uid = 5 [(nullable) = false];
  optional string resourceVersion = 6 [(nullable) = false];
  optional int64 generation = 7 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time creationTimestamp = 8 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10;
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference ownerReferences = 13 [(nullable) = false];
  repeated string finalizers = 14;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry managedFields = 17 [(nullable) = false];
}

message OwnerReference {
  optional string kind = 1 [(nullable) = false];
  optional string name = 3 [(nullable) = false];
  optional string uid = 4 [(nullable) = false];
  optional string apiVersion = 5 [(nullable) = false];
  optional bool controller = 6;
  optional bool blockOwnerDeletion = 7;
}

message Preconditions {
  optional string uid = 1;
  optional string resourceVersion = 2;
}

message Status {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  optional string status = 2 [(nullable) = false];
  optional string message = 3 [(nullable) = false];
  optional string reason = 4 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.StatusDetails details = 5;
  optional int32 code = 6 [(nullable) = false];
}

message StatusCause {
  optional string reason = 1 [(nullable) = false];
  optional string message = 2 [(nullable) = false];
  optional string field = 3 [(nullable) = false];
}

message StatusDetails {
  optional string name = 1 [(nullable) = false];
  optional string group = 2 [(nullable) = false];
  optional string kind = 3 [(nullable) = false];
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.StatusCause causes = 4 [(nullable) = false];
  optional int32 retryAfterSeconds = 5 [(nullable) = false];
  optional string uid = 6 [(nullable) = false];
}

message Time {
  optional int64 seconds = 1 [(nullable) = false, (omitempty) = false];
  optional int32 nanos = 2 [(nullable) = false, (omitempty) = false];
}

message WatchEvent {
  optional string type = 1 [(nullable) = false];
  optional .k8s.io.apimachinery.pkg.runtime.RawExtension object = 2 [(nullable) = false];
}

`;
