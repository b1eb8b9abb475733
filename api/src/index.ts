// Public entry of @skiff/api: the Kubernetes object model — types, schemas, defaulting,
// validation, selectors, quantities — Kubernetes API errors, and the injected Clock every
// component uses.
export * from './clock/index.js';
export * from './wait/index.js';
export * from './duration/index.js';
export * from './cri-log/index.js';
export * from './taints/index.js';
export * from './platform/index.js';
export * from './errors/index.js';
export { deepFreeze } from './deep-freeze.js';
export type * from './types/index.js';
export {
  allVerbs,
  apiVersionOf,
  builtinKinds,
  findKindByName,
  kindFor,
  kindForResource,
  parseApiVersion,
  subresourceBodyKinds,
  subresourceKind,
} from './kinds.js';
export type { GroupVersionKind, KindInfo, Subresource, Verb } from './kinds.js';
export { schemaFor, validateStructure, type JsonSchema } from './schema/index.js';
export { applyDefaults } from './defaults/index.js';
export * from './labels/index.js';
export * from './fields/index.js';
// Exported as ResourceQuantity: the name Quantity is the wire type (a string) in ./types.
export {
  Quantity as ResourceQuantity,
  QuantityParseError,
  type QuantityFormat,
  parseQuantity,
} from './quantity/index.js';
export * from './validation/index.js';
export {
  BackendDialError,
  forwardedHeaders,
  joinConnections,
  proxyUpgrade,
  readAtMost,
  type UpgradeOutcome,
  type UpgradeProxyOptions,
} from './net/upgrade-proxy.js';
export {
  CONNTRACK_PACKAGE,
  Conntrack,
  ConntrackError,
  ConntrackNotInstalledError,
  conntrackRunner,
  findConntrack,
  type ConntrackFilter,
  type ConntrackRunner,
} from './net/conntrack/conntrack.js';
export type { ConntrackFlow, FlowTuple } from './net/conntrack/flows.js';
export {
  formatIpv4,
  formatIpv4Cidr,
  ipv4CidrContains,
  ipv4CidrsOverlap,
  parseIpv4,
  parseIpv4Cidr,
  requireIpv4,
  type Ipv4Cidr,
} from './net/ipv4.js';
