export { parseCidrSet, type CidrSet } from './cidr-set.js';
export { NodeIpamController, type NodeIpamControllerOptions } from './node-ipam-controller.js';
export { addNodeIpamController } from './register.js';
