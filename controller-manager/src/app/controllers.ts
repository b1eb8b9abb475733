// What each controller name starts. Names without an entry are known to kube-controller-manager
// but not written in skiff yet; selecting one says so instead of pretending.
import type { Manager } from '@skiff/client';
import { addEndpointsController } from '../endpoint/index.js';
import { addEndpointSliceController } from '../endpointslice/index.js';
import { addReplicaSetController } from '../replicaset/index.js';
import type { ControllerManagerOptions, ControllerName } from './options.js';

type Initializer = (manager: Manager, options: ControllerManagerOptions) => void;

export const initializers: Partial<Record<ControllerName, Initializer>> = {
  replicaset: (manager, o) => {
    addReplicaSetController(manager, { workers: o.concurrentReplicaSetSyncs });
  },
  endpoint: (manager, o) => {
    addEndpointsController(manager, { workers: o.concurrentEndpointSyncs });
  },
  endpointslice: (manager, o) => {
    addEndpointSliceController(manager, {
      workers: o.concurrentServiceEndpointSyncs,
      maxEndpointsPerSlice: o.maxEndpointsPerSlice,
    });
  },
};
