// discovery.k8s.io/v1 EndpointSlice.
import { arrayOf, bool, int32, obj, str, stringMap, strings } from './json-schema.js';
import { objectReference, topLevel } from './meta.js';

const names = arrayOf(obj({ name: str }, ['name']));

const endpoint = obj(
  {
    addresses: strings,
    conditions: obj({ ready: bool, serving: bool, terminating: bool }),
    hostname: str,
    targetRef: objectReference,
    deprecatedTopology: stringMap,
    nodeName: str,
    zone: str,
    hints: obj({ forZones: names, forNodes: names }),
  },
  ['addresses'],
);

export const endpointSlice = topLevel(
  {
    addressType: str,
    endpoints: arrayOf(endpoint),
    ports: arrayOf(obj({ name: str, protocol: str, port: int32, appProtocol: str })),
  },
  ['addressType', 'endpoints'],
);
