export {
  BURST_REPLICAS,
  ReplicaSetController,
  type ReplicaSetControllerOptions,
} from './replica-set-controller.js';
export { addReplicaSetController } from './register.js';
