// Endpoints: the addresses behind a Service. Addresses must be real pod or node IPs; special
// ranges (loopback, link-local, unspecified) would send traffic somewhere surprising.
import { isIP } from 'node:net';
import type { EndpointAddress, Endpoints } from '../types/index.js';
import { validateProtocol } from './container.js';
import { isDNS1123Label, isDNS1123Subdomain } from './dns.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { isValidIP, isValidPortNum } from './formats.js';
import { invalidEach, isEmpty } from './generic.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

function specialRange(ip: string): string | undefined {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0, c = 0] = ip.split('.').map(Number);
    if (ip === '0.0.0.0') return 'may not be unspecified (0.0.0.0)';
    if (a === 127) return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
    if (a === 169 && b === 254)
      return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
    if (a === 224 && b === 0 && c === 0) {
      return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
    }
    return undefined;
  }
  const lower = ip.toLowerCase();
  if (lower === '::') return 'may not be unspecified (::)';
  if (lower === '::1') return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
  if (/^fe[89ab]/.test(lower))
    return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
  if (lower.startsWith('ff02:'))
    return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
  return undefined;
}

function validateAddress(addr: EndpointAddress, path: FieldPath): FieldError[] {
  const ipPath = path.child('ip');
  const errs = invalidEach(ipPath, addr.ip, isValidIP(addr.ip ?? ''));
  if (errs.length === 0) {
    const special = specialRange(addr.ip);
    if (special) errs.push(fieldErrors.invalid(ipPath, addr.ip, special));
  }
  if (!isEmpty(addr.hostname))
    errs.push(...invalidEach(path.child('hostname'), addr.hostname, isDNS1123Label(addr.hostname)));
  if (!isEmpty(addr.nodeName))
    errs.push(
      ...invalidEach(path.child('nodeName'), addr.nodeName, isDNS1123Subdomain(addr.nodeName)),
    );
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  (ep.subsets ?? []).forEach((ss, i) => {
    const idx = FieldPath.root('subsets').index(i);
    if ((ss.addresses ?? []).length === 0 && (ss.notReadyAddresses ?? []).length === 0) {
      errs.push(fieldErrors.required(idx, 'must specify `addresses` or `notReadyAddresses`'));
    }
    (ss.addresses ?? []).forEach((a, j) =>
      errs.push(...validateAddress(a, idx.child('addresses').index(j))),
    );
    (ss.notReadyAddresses ?? []).forEach((a, j) =>
      errs.push(...validateAddress(a, idx.child('notReadyAddresses').index(j))),
    );
    const ports = ss.ports ?? [];
    ports.forEach((port, j) => {
      const p = idx.child('ports').index(j);
      if (ports.length > 1 && isEmpty(port.name)) errs.push(fieldErrors.required(p.child('name')));
      else if (!isEmpty(port.name))
        errs.push(...invalidEach(p.child('name'), port.name, isDNS1123Label(port.name)));
      errs.push(...invalidEach(p.child('port'), port.port, isValidPortNum(port.port)));
      errs.push(...validateProtocol(port.protocol, p.child('protocol')));
    });
  });
  return errs;
}

export function validateEndpointsUpdate(next: Endpoints, prev: Endpoints): FieldError[] {
  return [...validateObjectMetaUpdate(next.metadata, prev.metadata), ...validateEndpoints(next)];
}
