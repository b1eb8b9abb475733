// Secrets: stringData is a write-only convenience. Its values are merged into data (base64,
// overriding data's keys) when written and never stored or returned, as in Kubernetes.
import type { Secret } from '@skiff/api';
import { type ApiObject, asKind } from '../api-object.js';
import { defaultStrategy, type Strategy } from '../strategy.js';

function mergeStringData(obj: ApiObject): void {
  const secret = asKind<Secret>(obj);
  if (!secret.stringData) return;
  secret.data ??= {};
  for (const [key, value] of Object.entries(secret.stringData)) {
    secret.data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  delete secret.stringData;
}

export function secretStrategy(): Strategy {
  const base = defaultStrategy(false);
  return {
    ...base,
    prepareForCreate(obj, env) {
      base.prepareForCreate(obj, env);
      mergeStringData(obj);
    },
    prepareForUpdate(next, prev) {
      base.prepareForUpdate(next, prev);
      mergeStringData(next);
    },
  };
}
