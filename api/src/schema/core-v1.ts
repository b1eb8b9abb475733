// core/v1 kinds other than Pod: Service, Endpoints, Node, Namespace, Event, ConfigMap, Secret,
// and the Binding a scheduler posts to pods/{name}/binding.
import {
  arrayOf,
  bool,
  bytes,
  int32,
  int64,
  intOrString,
  mapOf,
  obj,
  resourceList,
  str,
  stringMap,
  strings,
  time,
} from './json-schema.js';
import { conditions, conditionsWith, objectReference, topLevel } from './meta.js';

const servicePort = obj(
  {
    name: str,
    protocol: str,
    appProtocol: str,
    port: int32,
    targetPort: intOrString,
    nodePort: int32,
  },
  ['port'],
);

export const service = topLevel({
  spec: obj({
    ports: arrayOf(servicePort),
    selector: stringMap,
    clusterIP: str,
    clusterIPs: strings,
    type: str,
    externalIPs: strings,
    sessionAffinity: str,
    sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int32 }) }),
    loadBalancerIP: str,
    loadBalancerSourceRanges: strings,
    loadBalancerClass: str,
    externalName: str,
    externalTrafficPolicy: str,
    internalTrafficPolicy: str,
    healthCheckNodePort: int32,
    publishNotReadyAddresses: bool,
    ipFamilies: strings,
    ipFamilyPolicy: str,
    allocateLoadBalancerNodePorts: bool,
  }),
  status: obj({
    loadBalancer: obj({
      ingress: arrayOf(
        obj({
          ip: str,
          hostname: str,
          ipMode: str,
          ports: arrayOf(obj({ port: int32, protocol: str, error: str }, ['port', 'protocol'])),
        }),
      ),
    }),
    conditions,
  }),
});

const endpointAddress = obj({ ip: str, hostname: str, nodeName: str, targetRef: objectReference }, [
  'ip',
]);

export const endpoints = topLevel({
  subsets: arrayOf(
    obj({
      addresses: arrayOf(endpointAddress),
      notReadyAddresses: arrayOf(endpointAddress),
      ports: arrayOf(obj({ name: str, port: int32, protocol: str, appProtocol: str }, ['port'])),
    }),
  ),
});

const taint = obj({ key: str, value: str, effect: str, timeAdded: time }, ['key', 'effect']);

export const node = topLevel({
  spec: obj({
    podCIDR: str,
    podCIDRs: strings,
    providerID: str,
    unschedulable: bool,
    taints: arrayOf(taint),
  }),
  status: obj({
    capacity: resourceList,
    allocatable: resourceList,
    phase: str,
    conditions: conditionsWith(['lastHeartbeatTime', 'lastTransitionTime']),
    addresses: arrayOf(obj({ type: str, address: str }, ['type', 'address'])),
    daemonEndpoints: obj({ kubeletEndpoint: obj({ Port: int32 }, ['Port']) }),
    nodeInfo: obj({
      machineID: str,
      systemUUID: str,
      bootID: str,
      kernelVersion: str,
      osImage: str,
      containerRuntimeVersion: str,
      kubeletVersion: str,
      kubeProxyVersion: str,
      operatingSystem: str,
      architecture: str,
    }),
    images: arrayOf(obj({ names: strings, sizeBytes: int64 })),
  }),
});

export const namespace = topLevel({
  spec: obj({ finalizers: strings }),
  status: obj({ phase: str, conditions }),
});

export const event = topLevel(
  {
    involvedObject: objectReference,
    reason: str,
    message: str,
    source: obj({ component: str, host: str }),
    firstTimestamp: time,
    lastTimestamp: time,
    count: int32,
    type: str,
    eventTime: time,
    series: obj({ count: int32, lastObservedTime: time }),
    action: str,
    related: objectReference,
    reportingComponent: str,
    reportingInstance: str,
  },
  ['involvedObject'],
);

export const configMap = topLevel({
  data: stringMap,
  binaryData: mapOf(bytes),
  immutable: bool,
});

export const secret = topLevel({
  data: mapOf(bytes),
  stringData: stringMap,
  type: str,
  immutable: bool,
});

export const binding = topLevel({ target: objectReference }, ['target']);
