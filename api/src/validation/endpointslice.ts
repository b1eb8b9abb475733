// discovery.k8s.io/v1 EndpointSlice: every address must be of the slice's addressType (which
// never changes), at most 1000 endpoints of 1 to 100 addresses each, unique port names.
import { isIP } from 'node:net';
import type { Endpoint, EndpointSlice, EndpointSlicePort } from '../types/index.js';
import { validateProtocol } from './container.js';
import { isDNS1123Label, isDNS1123Subdomain } from './dns.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { invalidEach, isEmpty, validateImmutableField, validateRange } from './generic.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const maxEndpoints = 1000;
const maxAddresses = 100;
const maxPorts = 20000;
const supportedAddressTypes = ['IPv4', 'IPv6', 'FQDN'] as const;

function addressErrors(addressType: string, address: string): string[] {
  switch (addressType) {
    case 'IPv4':
      return isIP(address) === 4 ? [] : ['must be a valid IPv4 address'];
    case 'IPv6':
      return isIP(address) === 6 ? [] : ['must be a valid IPv6 address'];
    case 'FQDN':
      return address.includes('.')
        ? isDNS1123Subdomain(address)
        : ['should be a domain with at least two segments separated by dots'];
    default:
      return [];
  }
}

function validateEndpoint(ep: Endpoint, addressType: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const addressesPath = path.child('addresses');
  const addresses = ep.addresses ?? [];
  if (addresses.length === 0) {
    errs.push(fieldErrors.required(addressesPath, 'must contain at least 1 address'));
  } else if (addresses.length > maxAddresses) {
    errs.push(fieldErrors.tooMany(addressesPath, addresses.length, maxAddresses));
  }
  addresses.forEach((address, i) =>
    errs.push(...invalidEach(addressesPath.index(i), address, addressErrors(addressType, address))),
  );
  if (!isEmpty(ep.hostname)) {
    errs.push(...invalidEach(path.child('hostname'), ep.hostname, isDNS1123Label(ep.hostname)));
  }
  if (!isEmpty(ep.nodeName)) {
    errs.push(...invalidEach(path.child('nodeName'), ep.nodeName, isDNS1123Subdomain(ep.nodeName)));
  }
  return errs;
}

function validatePorts(ports: readonly EndpointSlicePort[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (ports.length > maxPorts) errs.push(fieldErrors.tooMany(path, ports.length, maxPorts));
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const p = path.index(i);
    const name = port.name ?? '';
    if (name !== '') errs.push(...invalidEach(p.child('name'), name, isDNS1123Label(name)));
    if (seen.has(name)) errs.push(fieldErrors.duplicate(p.child('name'), name));
    seen.add(name);
    if (port.protocol === undefined) errs.push(fieldErrors.required(p.child('protocol')));
    else errs.push(...validateProtocol(port.protocol, p.child('protocol')));
    errs.push(...validateRange(port.port, 0, 65535, p.child('port')));
  });
  return errs;
}

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, {
    namespaced: true,
    nameFn: nameIsDNSSubdomain,
  });
  const typePath = FieldPath.root('addressType');
  if (isEmpty(slice.addressType)) errs.push(fieldErrors.required(typePath));
  else if (!(supportedAddressTypes as readonly string[]).includes(slice.addressType)) {
    errs.push(fieldErrors.notSupported(typePath, slice.addressType, supportedAddressTypes));
  }
  const endpointsPath = FieldPath.root('endpoints');
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > maxEndpoints) {
    errs.push(fieldErrors.tooMany(endpointsPath, endpoints.length, maxEndpoints));
  }
  endpoints.forEach((ep, i) =>
    errs.push(...validateEndpoint(ep, slice.addressType, endpointsPath.index(i))),
  );
  errs.push(...validatePorts(slice.ports ?? [], FieldPath.root('ports')));
  return errs;
}

export function validateEndpointSliceUpdate(
  next: EndpointSlice,
  prev: EndpointSlice,
): FieldError[] {
  return [
    ...validateObjectMetaUpdate(next.metadata, prev.metadata),
    ...validateEndpointSlice(next),
    ...validateImmutableField(next.addressType, prev.addressType, FieldPath.root('addressType')),
  ];
}
