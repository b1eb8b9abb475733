// Pod volumes (unique DNS-label names, exactly one source each) and the mounts that refer to
// them.
import type { Volume, VolumeMount } from '../types/index.js';
import { type FieldError, type FieldPath, fieldErrors } from './field-error.js';
import { isDNS1123Label } from './dns.js';
import { invalidEach, isEmpty } from './generic.js';
import { validateQuantity } from './resources.js';

/**
 * Every volume source field Kubernetes knows, in the order it checks them (the second one set
 * is the one reported); a volume must set exactly one.
 */
const volumeSources = [
  'emptyDir',
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;

const hostPathTypes = [
  '',
  'DirectoryOrCreate',
  'Directory',
  'FileOrCreate',
  'File',
  'Socket',
  'CharDevice',
  'BlockDevice',
];

function validateFileMode(mode: number | undefined, path: FieldPath): FieldError[] {
  if (mode === undefined || (Number.isInteger(mode) && mode >= 0 && mode <= 0o777)) return [];
  return [
    fieldErrors.invalid(path, mode, 'must be a number between 0 and 0777 (octal), both inclusive'),
  ];
}

function validateVolumeSource(vol: Volume, path: FieldPath): FieldError[] {
  const source = vol as unknown as Record<string, unknown>;
  const present = volumeSources.filter((k) => source[k] !== undefined && source[k] !== null);
  if (present.length === 0) return [fieldErrors.required(path, 'must specify a volume type')];
  const errs = present
    .slice(1)
    .map((k) => fieldErrors.forbidden(path.child(k), 'may not specify more than 1 volume type'));
  if (vol.hostPath) {
    const p = path.child('hostPath');
    if (isEmpty(vol.hostPath.path)) errs.push(fieldErrors.required(p.child('path')));
    if (vol.hostPath.type !== undefined && !hostPathTypes.includes(vol.hostPath.type)) {
      errs.push(fieldErrors.notSupported(p.child('type'), vol.hostPath.type, hostPathTypes));
    }
  }
  if (vol.emptyDir?.sizeLimit !== undefined) {
    const p = path.child('emptyDir').child('sizeLimit');
    const { quantity, errors } = validateQuantity(vol.emptyDir.sizeLimit, p);
    errs.push(...errors);
    if (quantity && quantity.sign() < 0) {
      errs.push(fieldErrors.forbidden(p, 'SizeLimit field must be a valid resource quantity'));
    }
  }
  if (vol.configMap) {
    const p = path.child('configMap');
    if (isEmpty(vol.configMap.name)) errs.push(fieldErrors.required(p.child('name')));
    errs.push(...validateFileMode(vol.configMap.defaultMode, p.child('defaultMode')));
  }
  if (vol.secret) {
    const p = path.child('secret');
    if (isEmpty(vol.secret.secretName)) errs.push(fieldErrors.required(p.child('secretName')));
    errs.push(...validateFileMode(vol.secret.defaultMode, p.child('defaultMode')));
  }
  if (vol.persistentVolumeClaim && isEmpty(vol.persistentVolumeClaim.claimName)) {
    errs.push(fieldErrors.required(path.child('persistentVolumeClaim').child('claimName')));
  }
  return errs;
}

/** The names of the volumes that validated, for checking mounts, and the errors. */
export function validateVolumes(
  volumes: readonly Volume[] | undefined,
  path: FieldPath,
): { names: Set<string>; errors: FieldError[] } {
  const names = new Set<string>();
  const errors: FieldError[] = [];
  (volumes ?? []).forEach((vol, i) => {
    const idx = path.index(i);
    const namePath = idx.child('name');
    const errs = validateVolumeSource(vol, idx);
    if (isEmpty(vol.name)) errs.push(fieldErrors.required(namePath));
    else errs.push(...invalidEach(namePath, vol.name, isDNS1123Label(vol.name)));
    if (names.has(vol.name)) errs.push(fieldErrors.duplicate(namePath, vol.name));
    // As in Kubernetes, a volume with errors is left out so mounts of it are reported too.
    if (errs.length === 0) names.add(vol.name);
    else errors.push(...errs);
  });
  return { names, errors };
}

function validateLocalDescendingPath(p: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(fieldErrors.invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(fieldErrors.invalid(path, p, "must not contain '..'"));
  return errs;
}

export function validateVolumeMounts(
  mounts: readonly VolumeMount[] | undefined,
  volumes: ReadonlySet<string>,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const idx = path.index(i);
    if (isEmpty(m.name)) errs.push(fieldErrors.required(idx.child('name')));
    if (!volumes.has(m.name)) errs.push(fieldErrors.notFound(idx.child('name'), m.name));
    if (isEmpty(m.mountPath)) errs.push(fieldErrors.required(idx.child('mountPath')));
    if (mountPoints.has(m.mountPath)) {
      errs.push(fieldErrors.invalid(idx.child('mountPath'), m.mountPath, 'must be unique'));
    }
    mountPoints.add(m.mountPath);
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, path.child('subPath')));
    const propagation = m.mountPropagation;
    if (
      propagation !== undefined &&
      !['None', 'HostToContainer', 'Bidirectional'].includes(propagation)
    ) {
      errs.push(
        fieldErrors.notSupported(idx.child('mountPropagation'), propagation, [
          'Bidirectional',
          'HostToContainer',
          'None',
        ]),
      );
    }
  });
  return errs;
}
