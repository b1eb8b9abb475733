// Secrets: base64 data with config-key names, at most 1 MiB, plus the keys each well-known
// type requires (a TLS secret without tls.key would break every ingress using it).
import type { Secret } from '../types/index.js';
import {
  decodedSizes,
  maxConfigDataBytes,
  textSize,
  validateDataKeys,
  validateImmutableData,
} from './config-data.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { validateImmutableField } from './generic.js';
import {
  metadataPath,
  nameIsDNSSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './object-meta.js';

const dataPath = FieldPath.root('data');

function validateType(secret: Secret, keys: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  const require = (key: string): void => {
    if (!keys.has(key)) errs.push(fieldErrors.required(dataPath.key(key)));
  };
  switch (secret.type) {
    case 'kubernetes.io/service-account-token': {
      const annotation = 'kubernetes.io/service-account.name';
      if (!secret.metadata?.annotations?.[annotation]) {
        errs.push(fieldErrors.required(metadataPath.child('annotations').key(annotation)));
      }
      break;
    }
    case 'kubernetes.io/dockercfg':
      require('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      require('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!keys.has('username') && !keys.has('password')) {
        require('username');
        require('password');
      }
      break;
    case 'kubernetes.io/ssh-auth':
      require('ssh-privatekey');
      break;
    case 'kubernetes.io/tls':
      require('tls.crt');
      require('tls.key');
      break;
    default:
      break;
  }
  return errs;
}

export function validateSecret(secret: Secret): FieldError[] {
  const errs = [
    ...validateObjectMeta(secret.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validateDataKeys(secret.data, dataPath),
    ...validateDataKeys(secret.stringData, FieldPath.root('stringData')),
  ];
  const decoded = decodedSizes(secret.data, dataPath);
  errs.push(...decoded.errors);
  // stringData is merged into data when stored, so it counts toward the same limit.
  if (decoded.bytes + textSize(secret.stringData) > maxConfigDataBytes) {
    errs.push(fieldErrors.tooLong(dataPath, maxConfigDataBytes));
  }
  const keys = new Set([
    ...Object.keys(secret.data ?? {}),
    ...Object.keys(secret.stringData ?? {}),
  ]);
  errs.push(...validateType(secret, keys));
  return errs;
}

export function validateSecretUpdate(next: Secret, prev: Secret): FieldError[] {
  return [
    ...validateObjectMetaUpdate(next.metadata, prev.metadata),
    ...validateSecret(next),
    ...validateImmutableField(next.type ?? 'Opaque', prev.type ?? 'Opaque', FieldPath.root('type')),
    ...validateImmutableData(next, prev, FieldPath.root(''), ['data']),
  ];
}
