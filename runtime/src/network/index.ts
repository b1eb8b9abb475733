// Public surface of the pod network; everything else in this folder is internal.
export {
  PodNetwork,
  type HostNetworkAttachment,
  type NetworkStatus,
  type PodNetworkAttachment,
  type PodNetworkOptions,
  type PodNetworkSetup,
  type SetUpOptions,
} from './pod-network.js';
export type { NatMode } from './nat.js';
export type { HostPortMapping, HostPortMode, HostPortProtocol } from './host-ports.js';
export { IpamExhaustedError } from './ipam.js';
export { CommandError } from './exec.js';
export { SetupFailedError } from './rollback.js';
