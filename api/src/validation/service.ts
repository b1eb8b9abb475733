// Services: ports, type, selector, clusterIP. Service names are RFC 1035 labels (not 1123)
// because they become DNS names and environment variable prefixes in every pod.
import { validateLabels } from '../labels/label-validation.js';
import type { Service, ServicePort } from '../types/index.js';
import { validateProtocol } from './container.js';
import { isDNS1123Label, isDNS1123Subdomain } from './dns.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { isValidIP, isValidPortNum } from './formats.js';
import { invalidEach, isEmpty, validateDefaultedEnum } from './generic.js';
import { nameIsDNS1035Label, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePortNumOrName } from './probe.js';

const specPath = FieldPath.root('spec');
const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const sessionAffinities = ['ClientIP', 'None'];

const isHeadless = (svc: Service): boolean => svc.spec?.clusterIP === 'None';

function validateServicePort(
  port: ServicePort,
  requireName: boolean,
  names: Set<string>,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && isEmpty(port.name)) errs.push(fieldErrors.required(path.child('name')));
  else if (!isEmpty(port.name)) {
    errs.push(...invalidEach(path.child('name'), port.name, isDNS1123Label(port.name)));
    if (names.has(port.name)) errs.push(fieldErrors.duplicate(path.child('name'), port.name));
    else names.add(port.name);
  }
  errs.push(...invalidEach(path.child('port'), port.port, isValidPortNum(port.port)));
  errs.push(...validateProtocol(port.protocol, path.child('protocol')));
  // An absent targetPort defaults to the port.
  if (port.targetPort !== undefined)
    errs.push(...validatePortNumOrName(port.targetPort, path.child('targetPort')));
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  const errs = validateObjectMeta(svc.metadata, { namespaced: true, nameFn: nameIsDNS1035Label });
  const spec = svc.spec ?? {};
  const type = spec.type;
  const ports = spec.ports ?? [];

  if (type === 'ExternalName') {
    if (!isEmpty(spec.clusterIP) && spec.clusterIP !== 'None') {
      errs.push(
        fieldErrors.forbidden(
          specPath.child('clusterIP'),
          'may not be set for ExternalName services',
        ),
      );
    }
    const externalName = (spec.externalName ?? '').replace(/\.$/, '');
    if (isEmpty(spec.externalName)) errs.push(fieldErrors.required(specPath.child('externalName')));
    else
      errs.push(
        ...invalidEach(
          specPath.child('externalName'),
          spec.externalName,
          isDNS1123Subdomain(externalName),
        ),
      );
  }
  if (ports.length === 0 && !isHeadless(svc) && type !== 'ExternalName') {
    errs.push(fieldErrors.required(specPath.child('ports')));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    errs.push(
      ...validateServicePort(port, ports.length > 1, names, specPath.child('ports').index(i)),
    );
  });

  errs.push(...validateLabels(spec.selector, specPath.child('selector')));
  errs.push(...validateDefaultedEnum(type, serviceTypes, specPath.child('type')));
  errs.push(
    ...validateDefaultedEnum(
      spec.sessionAffinity,
      sessionAffinities,
      specPath.child('sessionAffinity'),
    ),
  );

  if (!isEmpty(spec.clusterIP) && spec.clusterIP !== 'None') {
    errs.push(
      ...invalidEach(specPath.child('clusterIP'), spec.clusterIP, isValidIP(spec.clusterIP)),
    );
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    errs.push(...invalidEach(specPath.child('externalIPs').index(i), ip, isValidIP(ip)));
  });

  const nodePortsAllowed = type === 'NodePort' || type === 'LoadBalancer';
  const seenNodePorts = new Set<string>();
  ports.forEach((port, i) => {
    if (!port.nodePort) return;
    const p = specPath.child('ports').index(i).child('nodePort');
    if (!nodePortsAllowed) {
      errs.push(
        fieldErrors.forbidden(p, `may not be used when \`type\` is '${type ?? 'ClusterIP'}'`),
      );
      return;
    }
    errs.push(...invalidEach(p, port.nodePort, isValidPortNum(port.nodePort)));
    const key = `${port.nodePort}/${port.protocol ?? 'TCP'}`;
    if (seenNodePorts.has(key)) errs.push(fieldErrors.duplicate(p, port.nodePort));
    seenNodePorts.add(key);
  });
  return errs;
}

/**
 * clusterIP cannot change once allocated, except when the service moves to or from
 * ExternalName (which has none). The apiserver copies an allocated IP onto an update that
 * omits it, as Kubernetes does, before validating.
 */
export function validateServiceUpdate(next: Service, prev: Service): FieldError[] {
  const errs = [
    ...validateObjectMetaUpdate(next.metadata, prev.metadata),
    ...validateService(next),
  ];
  const involvesExternalName =
    next.spec?.type === 'ExternalName' || prev.spec?.type === 'ExternalName';
  const oldIP = prev.spec?.clusterIP ?? '';
  const newIP = next.spec?.clusterIP ?? '';
  if (!involvesExternalName && oldIP !== '' && newIP !== oldIP) {
    errs.push(fieldErrors.immutable(specPath.child('clusterIP'), newIP));
  }
  return errs;
}
