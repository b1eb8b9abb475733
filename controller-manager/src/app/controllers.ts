// What each controller name starts. Names without an entry are known to kube-controller-manager
// but not written in skiff yet; selecting one says so instead of pretending.
import type { Client, Manager, RequestSender } from '@skiff/client';
import { addDeploymentController } from '../deployment/index.js';
import { addEndpointsController } from '../endpoint/index.js';
import { addEndpointSliceController } from '../endpointslice/index.js';
import { addGarbageCollector, restResourceDiscovery } from '../garbagecollector/index.js';
import { addNodeIpamController } from '../nodeipam/index.js';
import { addNodeLifecycleController } from '../nodelifecycle/index.js';
import { addNamespaceController, restDiscovery } from '../namespace/index.js';
import { addPodGCController } from '../podgc/index.js';
import { addReplicaSetController } from '../replicaset/index.js';
import type { ControllerManagerOptions, ControllerName } from './options.js';

/**
 * Starts one controller: informers from the manager, writes through `client`. Answers false
 * when its options say it has nothing to do (nodeipam without --allocate-node-cidrs), or when it
 * needs discovery (`rest`, raw requests to the apiserver) and was started without it.
 */
type Initializer = (
  manager: Manager,
  options: ControllerManagerOptions,
  client: Client,
  rest: RequestSender | undefined,
) => unknown;

export const initializers: Partial<Record<ControllerName, Initializer>> = {
  replicaset: (manager, o, client) => {
    addReplicaSetController(manager, client, { workers: o.concurrentReplicaSetSyncs });
  },
  // kube-controller-manager's --concurrent-deployment-syncs default.
  deployment: (manager, o, client) =>
    addDeploymentController(manager, client, { workers: o.concurrentDeploymentSyncs }),
  endpoint: (manager, o, client) => {
    addEndpointsController(manager, client, { workers: o.concurrentEndpointSyncs });
  },
  endpointslice: (manager, o, client) => {
    addEndpointSliceController(manager, client, {
      workers: o.concurrentServiceEndpointSyncs,
      maxEndpointsPerSlice: o.maxEndpointsPerSlice,
    });
  },
  nodelifecycle: (manager, o, client) =>
    addNodeLifecycleController(manager, client, {
      nodeMonitorPeriodMs: o.nodeMonitorPeriodMs,
      nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: o.nodeStartupGracePeriodMs,
      nodeEvictionRate: o.nodeEvictionRate,
      secondaryNodeEvictionRate: o.secondaryNodeEvictionRate,
      unhealthyZoneThreshold: o.unhealthyZoneThreshold,
      largeClusterSizeThreshold: o.largeClusterSizeThreshold,
      // Kubernetes' taint eviction runs 8 workers (UpdateWorkerSize).
      evictionWorkers: 8,
    }),
  nodeipam: (manager, o, client) => {
    if (!o.allocateNodeCidrs) return false;
    addNodeIpamController(manager, client, {
      clusterCidr: o.clusterCidr,
      nodeCidrMaskSize: o.nodeCidrMaskSize,
    });
    return true;
  },
  garbagecollector: (manager, o, client, rest) => {
    if (!rest) return false;
    addGarbageCollector(manager, client, {
      workers: o.concurrentGcSyncs,
      discovery: restResourceDiscovery(rest),
    });
    return true;
  },
  namespace: (manager, o, client, rest) => {
    if (!rest) return false;
    addNamespaceController(manager, client, {
      workers: o.concurrentNamespaceSyncs,
      discovery: restDiscovery(rest),
    });
    return true;
  },
  podgc: (manager, o, client) => {
    addPodGCController(manager, client, { terminatedPodThreshold: o.terminatedPodGCThreshold });
  },
};
