// Kubernetes' k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1 messages: the
// CustomResourceDefinition object. Written by hand (kubectl, which ../generate/ reads, does not
// carry apiextensions): names, numbers and types as in the upstream generated.proto; the options
// (see ../generate/from-kubectl.ts) from the Go types' pointers and JSON tags.
// JSONSchemaPropsOrArray, …OrBool, …OrStringArray and JSON have JSON forms of their own
// (../special-types.ts).

export const APIEXTENSIONS_V1_PROTO = `
syntax = "proto2";
package k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1;

message CustomResourceColumnDefinition {
  optional string name = 1 [(nullable) = false, (omitempty) = false];
  optional string type = 2 [(nullable) = false, (omitempty) = false];
  optional string format = 3 [(nullable) = false];
  optional string description = 4 [(nullable) = false];
  optional int32 priority = 5 [(nullable) = false];
  optional string jsonPath = 6 [(nullable) = false, (omitempty) = false];
}

message CustomResourceConversion {
  optional string strategy = 1 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.WebhookConversion webhook = 2;
}

message CustomResourceDefinition {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1 [(nullable) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec spec = 2 [(nullable) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus status = 3 [(nullable) = false];
}

message CustomResourceDefinitionCondition {
  optional string type = 1 [(nullable) = false, (omitempty) = false];
  optional string status = 2 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3 [(nullable) = false];
  optional string reason = 4 [(nullable) = false];
  optional string message = 5 [(nullable) = false];
}

message CustomResourceDefinitionList {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1 [(nullable) = false];
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition items = 2 [(nullable) = false];
}

message CustomResourceDefinitionNames {
  optional string plural = 1 [(nullable) = false, (omitempty) = false];
  optional string singular = 2 [(nullable) = false];
  repeated string shortNames = 3;
  optional string kind = 4 [(nullable) = false, (omitempty) = false];
  optional string listKind = 5 [(nullable) = false];
  repeated string categories = 6;
}

message CustomResourceDefinitionSpec {
  optional string group = 1 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames names = 3 [(nullable) = false];
  optional string scope = 4 [(nullable) = false, (omitempty) = false];
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion versions = 7 [(nullable) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceConversion conversion = 9;
  optional bool preserveUnknownFields = 10 [(nullable) = false];
}

message CustomResourceDefinitionStatus {
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionCondition conditions = 1 [(nullable) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames acceptedNames = 2 [(nullable) = false];
  repeated string storedVersions = 3;
  optional int64 observedGeneration = 4 [(nullable) = false];
}

message CustomResourceDefinitionVersion {
  optional string name = 1 [(nullable) = false, (omitempty) = false];
  optional bool served = 2 [(nullable) = false, (omitempty) = false];
  optional bool storage = 3 [(nullable) = false, (omitempty) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceValidation schema = 4;
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresources subresources = 5;
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceColumnDefinition additionalPrinterColumns = 6 [(nullable) = false];
  optional bool deprecated = 7 [(nullable) = false];
  optional string deprecationWarning = 8;
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.SelectableField selectableFields = 9 [(nullable) = false];
}

message CustomResourceSubresourceScale {
  optional string specReplicasPath = 1 [(nullable) = false, (omitempty) = false];
  optional string statusReplicasPath = 2 [(nullable) = false, (omitempty) = false];
  optional string labelSelectorPath = 3;
}

message CustomResourceSubresourceStatus {
}

message CustomResourceSubresources {
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus status = 1;
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceScale scale = 2;
}

message CustomResourceValidation {
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps openAPIV3Schema = 1;
}

message ExternalDocumentation {
  optional string description = 1 [(nullable) = false];
  optional string url = 2 [(nullable) = false];
}

message JSON {
  optional bytes raw = 1;
}

message JSONSchemaProps {
  optional string id = 1 [(nullable) = false];
  optional string schema = 2 [(nullable) = false, (json) = "$schema"];
  optional string ref = 3 [(json) = "$ref"];
  optional string description = 4 [(nullable) = false];
  optional string type = 5 [(nullable) = false];
  optional string format = 6 [(nullable) = false];
  optional string title = 7 [(nullable) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON default = 8;
  optional double maximum = 9;
  optional bool exclusiveMaximum = 10 [(nullable) = false];
  optional double minimum = 11;
  optional bool exclusiveMinimum = 12 [(nullable) = false];
  optional int64 maxLength = 13;
  optional int64 minLength = 14;
  optional string pattern = 15 [(nullable) = false];
  optional int64 maxItems = 16;
  optional int64 minItems = 17;
  optional bool uniqueItems = 18 [(nullable) = false];
  optional double multipleOf = 19;
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON enum = 20 [(nullable) = false];
  optional int64 maxProperties = 21;
  optional int64 minProperties = 22;
  repeated string required = 23;
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray items = 24;
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps allOf = 25 [(nullable) = false];
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps oneOf = 26 [(nullable) = false];
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps anyOf = 27 [(nullable) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps not = 28;
  map<string, .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps> properties = 29;
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool additionalProperties = 30;
  map<string, .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps> patternProperties = 31;
  map<string, .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray> dependencies = 32;
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool additionalItems = 33;
  map<string, .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps> definitions = 34;
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.ExternalDocumentation externalDocs = 35;
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON example = 36;
  optional bool nullable = 37 [(nullable) = false];
  optional bool xKubernetesPreserveUnknownFields = 38 [(json) = "x-kubernetes-preserve-unknown-fields"];
  optional bool xKubernetesEmbeddedResource = 39 [(nullable) = false, (json) = "x-kubernetes-embedded-resource"];
  optional bool xKubernetesIntOrString = 40 [(nullable) = false, (json) = "x-kubernetes-int-or-string"];
  repeated string xKubernetesListMapKeys = 41 [(json) = "x-kubernetes-list-map-keys"];
  optional string xKubernetesListType = 42 [(json) = "x-kubernetes-list-type"];
  optional string xKubernetesMapType = 43 [(json) = "x-kubernetes-map-type"];
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.ValidationRule xKubernetesValidations = 44 [(nullable) = false, (json) = "x-kubernetes-validations"];
}

message JSONSchemaPropsOrArray {
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps schema = 1;
  repeated .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps jSONSchemas = 2 [(nullable) = false];
}

message JSONSchemaPropsOrBool {
  optional bool allows = 1 [(nullable) = false];
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps schema = 2;
}

message JSONSchemaPropsOrStringArray {
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps schema = 1;
  repeated string property = 2;
}

message SelectableField {
  optional string jsonPath = 1 [(nullable) = false, (omitempty) = false];
}

message ServiceReference {
  optional string namespace = 1 [(nullable) = false, (omitempty) = false];
  optional string name = 2 [(nullable) = false, (omitempty) = false];
  optional string path = 3;
  optional int32 port = 4;
}

message ValidationRule {
  optional string rule = 1 [(nullable) = false, (omitempty) = false];
  optional string message = 2 [(nullable) = false];
  optional string messageExpression = 3 [(nullable) = false];
  optional string reason = 4;
  optional string fieldPath = 5 [(nullable) = false];
  optional bool optionalOldSelf = 6;
}

message WebhookClientConfig {
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.ServiceReference service = 1;
  optional bytes caBundle = 2 [(nullable) = false];
  optional string url = 3;
}

message WebhookConversion {
  optional .k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.WebhookClientConfig clientConfig = 2;
  repeated string conversionReviewVersions = 3;
}
`;
