export {
  type FieldError,
  type FieldErrorType,
  FieldPath,
  fieldErrors,
  formatFieldError,
  formatFieldErrorBody,
} from './field-error.js';
export { aggregateMessage } from './aggregate.js';
export {
  type ApiObject,
  type ValidateOptions,
  hasValidationFor,
  validateCreate,
  validateUpdate,
} from './registry.js';
export { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './dns.js';
export {
  isConfigMapKey,
  isEnvVarName,
  isValidIP,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
} from './formats.js';
export { semanticEqual, validateImmutableField, validateNonnegativeField } from './generic.js';
export {
  type NameValidator,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validateAnnotations,
  validateFinalizers,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateOwnerReferences,
} from './object-meta.js';
export { validatePodSpec, validateTolerations } from './pod-spec.js';
export { validateContainerPorts, validateEnv } from './container.js';
export { validateResourceRequirements } from './resources.js';
export { validateProbe } from './probe.js';
export { validatePod, validatePodUpdate, podUpdateForbiddenMessage } from './pod.js';
export { validateService, validateServiceUpdate } from './service.js';
export { validateReplicaSet, validateReplicaSetUpdate } from './replicaset.js';
export { validateDeployment, validateDeploymentUpdate } from './deployment.js';
export { validatePodTemplateForWorkload, validateWorkloadSelector } from './pod-template.js';
export { validateNamespace, validateNamespaceUpdate } from './namespace.js';
export { validateNode, validateNodeUpdate } from './node.js';
export { validateConfigMap, validateConfigMapUpdate } from './configmap.js';
export { validateSecret, validateSecretUpdate } from './secret.js';
export { validateEndpoints, validateEndpointsUpdate } from './endpoints.js';
export { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointslice.js';
export { validateEvent, validateEventUpdate } from './event.js';
export { validateLease, validateLeaseUpdate } from './lease.js';
export { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from './crd.js';
