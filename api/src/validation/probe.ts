// Probes and lifecycle hooks: exactly one handler, sane timing. Liveness and startup probes
// must succeed once to count (successThreshold 1); only readiness may require a streak.
import type { HTTPGetAction, IntOrString, LifecycleHandler, Probe } from '../types/index.js';
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';
import { isValidPortName, isValidPortNum } from './formats.js';
import { invalidEach, validateNonnegativeField } from './generic.js';

/** A port given as a number (1–65535) or as the name of a container port. */
export function validatePortNumOrName(
  port: IntOrString | undefined,
  path: FieldPath,
): FieldError[] {
  if (typeof port === 'number') return invalidEach(path, port, isValidPortNum(port));
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  return [fieldErrors.required(path)];
}

const handlerKinds = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

function validateHTTPGet(action: HTTPGetAction, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!action.path) errs.push(fieldErrors.required(path.child('path')));
  errs.push(...validatePortNumOrName(action.port, path.child('port')));
  if (action.scheme !== undefined && action.scheme !== 'HTTP' && action.scheme !== 'HTTPS') {
    errs.push(fieldErrors.notSupported(path.child('scheme'), action.scheme, ['HTTP', 'HTTPS']));
  }
  return errs;
}

/** Exactly one of exec, httpGet, tcpSocket, grpc (and sleep, for lifecycle hooks). */
export function validateHandler(handler: LifecycleHandler & Probe, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const present = handlerKinds.filter((k) => handler[k as keyof typeof handler] !== undefined);
  if (present.length === 0) return [fieldErrors.required(path, 'must specify a handler type')];
  for (const extra of present.slice(1)) {
    errs.push(fieldErrors.forbidden(path.child(extra), 'may not specify more than 1 handler type'));
  }
  if (handler.exec && (handler.exec.command ?? []).length === 0) {
    errs.push(fieldErrors.required(path.child('exec').child('command')));
  }
  if (handler.httpGet) errs.push(...validateHTTPGet(handler.httpGet, path.child('httpGet')));
  if (handler.tcpSocket) {
    errs.push(
      ...validatePortNumOrName(handler.tcpSocket.port, path.child('tcpSocket').child('port')),
    );
  }
  if (handler.grpc) {
    errs.push(
      ...invalidEach(
        path.child('grpc').child('port'),
        handler.grpc.port,
        isValidPortNum(handler.grpc.port),
      ),
    );
  }
  if (handler.sleep && handler.sleep.seconds < 0) {
    errs.push(
      fieldErrors.invalid(
        path.child('sleep').child('seconds'),
        handler.sleep.seconds,
        'must be greater than or equal to 0',
      ),
    );
  }
  return errs;
}

/**
 * Kubernetes only checks these are non-negative because defaulting replaces 0 with the real
 * default; a 0 that reaches us would make the prober spin, so it is refused explicitly.
 */
function validateAtLeastOne(value: number | undefined, path: FieldPath): FieldError[] {
  if (value === undefined || value < 0) return validateNonnegativeField(value, path);
  return value === 0
    ? [fieldErrors.invalid(path, value, 'must be greater than or equal to 1')]
    : [];
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbe(
  probe: Probe | undefined,
  kind: ProbeKind,
  path: FieldPath,
): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(probe, path);
  errs.push(
    ...validateNonnegativeField(probe.initialDelaySeconds, path.child('initialDelaySeconds')),
  );
  errs.push(...validateAtLeastOne(probe.timeoutSeconds, path.child('timeoutSeconds')));
  errs.push(...validateAtLeastOne(probe.periodSeconds, path.child('periodSeconds')));
  errs.push(...validateAtLeastOne(probe.successThreshold, path.child('successThreshold')));
  errs.push(...validateAtLeastOne(probe.failureThreshold, path.child('failureThreshold')));
  if (
    probe.terminationGracePeriodSeconds !== undefined &&
    probe.terminationGracePeriodSeconds <= 0
  ) {
    errs.push(
      fieldErrors.invalid(
        path.child('terminationGracePeriodSeconds'),
        probe.terminationGracePeriodSeconds,
        'must be greater than 0',
      ),
    );
  }
  if (
    kind !== 'readinessProbe' &&
    probe.successThreshold !== undefined &&
    probe.successThreshold !== 1
  ) {
    errs.push(
      fieldErrors.invalid(path.child('successThreshold'), probe.successThreshold, 'must be 1'),
    );
  }
  return errs;
}
