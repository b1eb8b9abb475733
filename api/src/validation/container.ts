// One container's fields: name, image, ports, environment, resources, mounts, probes, pull
// and termination-message policies. Pod-level rules (unique names across containers, init
// container restrictions) are in pod-spec.ts.
import type { Container, ContainerPort, EnvVar } from '../types/index.js';
import { isDNS1123Label } from './dns.js';
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';
import { isConfigMapKey, isEnvVarName, isValidPortName, isValidPortNum } from './formats.js';
import { invalidEach, isEmpty, validateDefaultedEnum } from './generic.js';
import { validateHandler, validateProbe } from './probe.js';
import { validateResourceRequirements } from './resources.js';
import { validateVolumeMounts } from './volumes.js';

export const supportedProtocols = ['SCTP', 'TCP', 'UDP'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];

/** Field paths a container's env may read through fieldRef. */
const envFieldPaths = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

export function validateContainerPorts(
  ports: readonly ContainerPort[] | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const idx = path.index(i);
    if (!isEmpty(port.name)) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) errs.push(...invalidEach(idx.child('name'), port.name, msgs));
      else if (names.has(port.name)) errs.push(fieldErrors.duplicate(idx.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(fieldErrors.required(idx.child('containerPort')));
    else {
      errs.push(
        ...invalidEach(
          idx.child('containerPort'),
          port.containerPort,
          isValidPortNum(port.containerPort),
        ),
      );
    }
    if (port.hostPort) {
      errs.push(
        ...invalidEach(idx.child('hostPort'), port.hostPort, isValidPortNum(port.hostPort)),
      );
    }
    errs.push(...validateProtocol(port.protocol, idx.child('protocol')));
  });
  return errs;
}

/** An unset protocol is left to defaulting (TCP); an explicit one must be supported. */
export function validateProtocol(protocol: string | undefined, path: FieldPath): FieldError[] {
  return validateDefaultedEnum(protocol, supportedProtocols, path);
}

function validateKeySelector(ref: { name?: string; key: string }, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (isEmpty(ref.name)) errs.push(fieldErrors.required(path.child('name')));
  if (isEmpty(ref.key)) errs.push(fieldErrors.required(path.child('key')));
  else errs.push(...invalidEach(path.child('key'), ref.key, isConfigMapKey(ref.key)));
  return errs;
}

function validateEnvValueFrom(ev: EnvVar, path: FieldPath): FieldError[] {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    const p = path.child('fieldRef');
    const fieldPath = from.fieldRef.fieldPath;
    const base = fieldPath?.replace(/\[.*$/, '') ?? '';
    if (isEmpty(fieldPath)) errs.push(fieldErrors.required(p.child('fieldPath')));
    else if (!envFieldPaths.includes(base)) {
      errs.push(fieldErrors.notSupported(p.child('fieldPath'), fieldPath, envFieldPaths));
    }
  }
  if (from.resourceFieldRef) {
    sources++;
    if (isEmpty(from.resourceFieldRef.resource)) {
      errs.push(fieldErrors.required(path.child('resourceFieldRef').child('resource')));
    }
  }
  if (from.configMapKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, path.child('configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, path.child('secretKeyRef')));
  }
  if (sources === 0) {
    errs.push(
      fieldErrors.invalid(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  } else if (!isEmpty(ev.value)) {
    errs.push(fieldErrors.invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(
      fieldErrors.invalid(path, '', 'may not have more than one field specified at a time'),
    );
  }
  return errs;
}

export function validateEnv(env: readonly EnvVar[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((ev, i) => {
    const idx = path.index(i);
    if (isEmpty(ev.name)) errs.push(fieldErrors.required(idx.child('name')));
    else errs.push(...invalidEach(idx.child('name'), ev.name, isEnvVarName(ev.name)));
    errs.push(...validateEnvValueFrom(ev, idx.child('valueFrom')));
  });
  return errs;
}

/** Checks shared by regular and init containers. */
export function validateContainerCommon(
  ctr: Container,
  volumes: ReadonlySet<string>,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (isEmpty(ctr.name)) errs.push(fieldErrors.required(path.child('name')));
  else errs.push(...invalidEach(path.child('name'), ctr.name, isDNS1123Label(ctr.name)));
  if (isEmpty(ctr.image)) errs.push(fieldErrors.required(path.child('image')));
  else if (ctr.image !== ctr.image.trim()) {
    errs.push(
      fieldErrors.invalid(
        path.child('image'),
        ctr.image,
        'must not have leading or trailing whitespace',
      ),
    );
  }
  if (ctr.lifecycle?.postStart) {
    errs.push(
      ...validateHandler(ctr.lifecycle.postStart, path.child('lifecycle').child('postStart')),
    );
  }
  if (ctr.lifecycle?.preStop) {
    errs.push(...validateHandler(ctr.lifecycle.preStop, path.child('lifecycle').child('preStop')));
  }
  errs.push(...validateContainerPorts(ctr.ports, path.child('ports')));
  errs.push(...validateEnv(ctr.env, path.child('env')));
  errs.push(...validateVolumeMounts(ctr.volumeMounts, volumes, path.child('volumeMounts')));
  errs.push(...validateResourceRequirements(ctr.resources, path.child('resources')));
  errs.push(
    ...validateDefaultedEnum(ctr.imagePullPolicy, pullPolicies, path.child('imagePullPolicy')),
  );
  errs.push(
    ...validateDefaultedEnum(
      ctr.terminationMessagePolicy,
      terminationMessagePolicies,
      path.child('terminationMessagePolicy'),
    ),
  );
  return errs;
}

export function validateContainerProbes(ctr: Container, path: FieldPath): FieldError[] {
  return [
    ...validateProbe(ctr.livenessProbe, 'livenessProbe', path.child('livenessProbe')),
    ...validateProbe(ctr.readinessProbe, 'readinessProbe', path.child('readinessProbe')),
    ...validateProbe(ctr.startupProbe, 'startupProbe', path.child('startupProbe')),
  ];
}
