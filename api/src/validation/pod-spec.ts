// A pod spec, whether in a Pod or in a workload's template: containers, volumes, policies,
// scheduling fields. Unset fields that defaulting fills (restartPolicy, dnsPolicy) are only
// checked when present.
import { isQualifiedName, isValidLabelValue, validateLabels } from '../labels/label-validation.js';
import type { Container, PodSpec, Toleration } from '../types/index.js';
import { validateContainerCommon, validateContainerProbes } from './container.js';
import { isDNS1123Label, isDNS1123Subdomain } from './dns.js';
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';
import {
  invalidEach,
  isEmpty,
  validateDefaultedEnum,
  validateNonnegativeField,
  validateRange,
} from './generic.js';
import { validateVolumes } from './volumes.js';

export const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const maxInt32 = 2 ** 31 - 1;

function validateContainers(
  containers: readonly Container[] | undefined,
  volumes: ReadonlySet<string>,
  hostNetwork: boolean,
  path: FieldPath,
): FieldError[] {
  const list = containers ?? [];
  if (list.length === 0) return [fieldErrors.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((ctr, i) => {
    const idx = path.index(i);
    errs.push(...validateContainerCommon(ctr, volumes, idx));
    if (names.has(ctr.name)) errs.push(fieldErrors.duplicate(idx.child('name'), ctr.name));
    else names.add(ctr.name);
    errs.push(...validateContainerProbes(ctr, idx));
    if (hostNetwork) errs.push(...validateHostNetworkPorts(ctr, idx));
  });
  return errs;
}

/** With the host's network there is no port mapping: a hostPort must equal its containerPort. */
function validateHostNetworkPorts(ctr: Container, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (ctr.ports ?? []).forEach((port, i) => {
    if (
      port.hostPort !== undefined &&
      port.hostPort !== 0 &&
      port.hostPort !== port.containerPort
    ) {
      errs.push(
        fieldErrors.invalid(
          path.child('ports').index(i).child('hostPort'),
          port.hostPort,
          'must match `containerPort` when `hostNetwork` is true',
        ),
      );
    }
  });
  return errs;
}

/**
 * Init containers share the name space of regular containers (a clash is reported on the init
 * container). Plain init containers run to completion, so probes and lifecycle hooks make no
 * sense for them; sidecars (restartPolicy Always) may have them.
 */
function validateInitContainers(
  containers: readonly Container[] | undefined,
  regular: readonly Container[] | undefined,
  volumes: ReadonlySet<string>,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (containers ?? []).forEach((ctr, i) => {
    const idx = path.index(i);
    errs.push(...validateContainerCommon(ctr, volumes, idx));
    if (names.has(ctr.name)) errs.push(fieldErrors.duplicate(idx.child('name'), ctr.name));
    else if (!isEmpty(ctr.name)) names.add(ctr.name);
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== 'Always') {
      errs.push(
        fieldErrors.notSupported(idx.child('restartPolicy'), ctr.restartPolicy, ['Always']),
      );
    }
    if (ctr.restartPolicy === 'Always') {
      errs.push(...validateContainerProbes(ctr, idx));
      return;
    }
    const detail = 'may not be set for init containers without restartPolicy=Always';
    if (ctr.lifecycle) errs.push(fieldErrors.forbidden(idx.child('lifecycle'), detail));
    if (ctr.livenessProbe) errs.push(fieldErrors.forbidden(idx.child('livenessProbe'), detail));
    if (ctr.readinessProbe) errs.push(fieldErrors.forbidden(idx.child('readinessProbe'), detail));
    if (ctr.startupProbe) errs.push(fieldErrors.forbidden(idx.child('startupProbe'), detail));
  });
  return errs;
}

export function validateTolerations(
  tolerations: readonly Toleration[] | undefined,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const idx = path.index(i);
    if (!isEmpty(t.key)) errs.push(...invalidEach(idx.child('key'), t.key, isQualifiedName(t.key)));
    if (isEmpty(t.key) && t.operator !== 'Exists') {
      errs.push(
        fieldErrors.invalid(
          idx.child('operator'),
          t.operator ?? '',
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(
        fieldErrors.invalid(
          idx.child('effect'),
          t.effect ?? '',
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    switch (t.operator) {
      case undefined:
      case 'Equal':
        errs.push(
          ...invalidEach(idx.child('value'), t.value ?? '', isValidLabelValue(t.value ?? '')),
        );
        break;
      case 'Exists':
        if (!isEmpty(t.value)) {
          errs.push(
            fieldErrors.invalid(
              idx.child('value'),
              t.value,
              "value must be empty when `operator` is 'Exists'",
            ),
          );
        }
        break;
      default:
        errs.push(fieldErrors.notSupported(idx.child('operator'), t.operator, ['Equal', 'Exists']));
    }
    if (!isEmpty(t.effect) && !taintEffects.includes(t.effect)) {
      errs.push(fieldErrors.notSupported(idx.child('effect'), t.effect, taintEffects));
    }
  });
  return errs;
}

export function validatePodSpec(spec: PodSpec | undefined, path: FieldPath): FieldError[] {
  if (!spec) return [fieldErrors.required(path)];
  const errs: FieldError[] = [];
  const { names: volumes, errors: volumeErrors } = validateVolumes(
    spec.volumes,
    path.child('volumes'),
  );
  errs.push(...volumeErrors);
  errs.push(
    ...validateContainers(
      spec.containers,
      volumes,
      spec.hostNetwork ?? false,
      path.child('containers'),
    ),
  );
  errs.push(
    ...validateInitContainers(
      spec.initContainers,
      spec.containers,
      volumes,
      path.child('initContainers'),
    ),
  );
  errs.push(
    ...validateDefaultedEnum(spec.restartPolicy, restartPolicies, path.child('restartPolicy')),
  );
  errs.push(...validateDefaultedEnum(spec.dnsPolicy, dnsPolicies, path.child('dnsPolicy')));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) {
    errs.push(
      fieldErrors.required(
        path.child('dnsConfig'),
        'must provide `dnsConfig` when `dnsPolicy` is None',
      ),
    );
  }
  errs.push(
    ...validateNonnegativeField(
      spec.terminationGracePeriodSeconds,
      path.child('terminationGracePeriodSeconds'),
    ),
  );
  errs.push(
    ...validateRange(spec.activeDeadlineSeconds, 1, maxInt32, path.child('activeDeadlineSeconds')),
  );
  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  if (!isEmpty(spec.serviceAccountName)) {
    errs.push(
      ...invalidEach(
        path.child('serviceAccountName'),
        spec.serviceAccountName,
        isDNS1123Subdomain(spec.serviceAccountName),
      ),
    );
  }
  if (!isEmpty(spec.nodeName)) {
    errs.push(
      ...invalidEach(path.child('nodeName'), spec.nodeName, isDNS1123Subdomain(spec.nodeName)),
    );
  }
  if (!isEmpty(spec.hostname)) {
    errs.push(...invalidEach(path.child('hostname'), spec.hostname, isDNS1123Label(spec.hostname)));
  }
  if (!isEmpty(spec.subdomain)) {
    errs.push(
      ...invalidEach(path.child('subdomain'), spec.subdomain, isDNS1123Label(spec.subdomain)),
    );
  }
  errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  return errs;
}
