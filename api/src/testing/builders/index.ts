export { ObjectBuilder, rfc3339, type OwnerObject, type TimeInput } from './object-builder.js';
export { PodBuilder, makePod } from './pod.js';
export { NodeBuilder, makeNode, type NodeImage } from './node.js';
export {
  DeploymentBuilder,
  ReplicaSetBuilder,
  makeDeployment,
  makeReplicaSet,
} from './workloads.js';
export { ServiceBuilder, makeService } from './service.js';
export { EndpointSliceBuilder, makeEndpointSlice } from './endpoint-slice.js';
export { NamespaceBuilder, makeNamespace } from './namespace.js';
export { ConfigMapBuilder, makeConfigMap } from './config-map.js';
