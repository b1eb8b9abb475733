// ConfigMaps: data (text) and binaryData (base64) share one key space and one size limit.
import type { ConfigMap } from '../types/index.js';
import {
  decodedSizes,
  maxConfigDataBytes,
  textSize,
  validateDataKeys,
  validateImmutableData,
} from './config-data.js';
import { type FieldError, FieldPath, fieldErrors } from './field-error.js';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const dataPath = FieldPath.root('data');
const binaryPath = FieldPath.root('binaryData');

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = [
    ...validateObjectMeta(cm.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validateDataKeys(cm.data, dataPath),
    ...validateDataKeys(cm.binaryData, binaryPath),
  ];
  for (const key of Object.keys(cm.data ?? {})) {
    if (cm.binaryData && Object.hasOwn(cm.binaryData, key)) {
      errs.push(
        fieldErrors.invalid(dataPath.key(key), key, 'duplicate of key present in binaryData'),
      );
      errs.push(fieldErrors.invalid(binaryPath.key(key), key, 'duplicate of key present in data'));
    }
  }
  const binary = decodedSizes(cm.binaryData, binaryPath);
  errs.push(...binary.errors);
  if (textSize(cm.data) + binary.bytes > maxConfigDataBytes) {
    // Kubernetes reports the whole object, whose field path prints as "[]".
    errs.push(fieldErrors.tooLong(FieldPath.root('').key(''), maxConfigDataBytes));
  }
  return errs;
}

export function validateConfigMapUpdate(next: ConfigMap, prev: ConfigMap): FieldError[] {
  return [
    ...validateObjectMetaUpdate(next.metadata, prev.metadata),
    ...validateConfigMap(next),
    ...validateImmutableData(next, prev, FieldPath.root(''), ['data', 'binaryData']),
  ];
}
