// Request targets: mostly real resource paths (so requests reach the handlers, not just the
// router) with hostile segments and query parameters mixed in, plus paths no resource has.
import { builtinKinds, type KindInfo } from '@skiff/api';
import { gadgetKinds } from './custom-resource.js';
import type { Prng } from './prng.js';
import { weirdString } from './values.js';

/** Where the fuzzer's own objects live; created before the run and re-created during it. */
export const FUZZ_NAMESPACE = 'fuzz';
/** Object names the fuzzer creates, so updates, patches and deletes often find a target. */
export const FUZZ_NAMES = ['fuzz-a', 'fuzz-b'] as const;

/** Every kind the fuzz addresses: the built-in ones and the versions of its custom resource. */
export const fuzzKinds: readonly KindInfo[] = [...builtinKinds, ...gadgetKinds];

/** A name valid for the kind: CRD names must be `<plural>.<group>`. */
export function validName(kind: KindInfo, base: string): string {
  return kind.kind === 'CustomResourceDefinition' ? `${base.replace(/-/g, '')}s.example.com` : base;
}

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD; encodeURIComponent throws). */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function segment(rng: Prng, value: string): string {
  // Mostly well encoded; sometimes raw ASCII specials or broken percent-escapes reach the server.
  return rng.weighted<string>([
    [12, () => percentEncode(value)],
    [1, () => value.replace(/[^\x21-\x7e]/g, (c) => percentEncode(c))],
    [1, () => rng.pick(['..', '.', '%2e%2e', '%2F', 'a%2Fb', '%00', '%ZZ', '%', '%E0%A4%A', '~'])],
  ]);
}

export function fuzzName(rng: Prng, kind: KindInfo): string {
  return rng.weighted<string>([
    [8, () => validName(kind, rng.pick(FUZZ_NAMES))],
    [1, () => validName(kind, `fuzz-${rng.int(1000)}`)],
    [2, () => weirdString(rng)],
  ]);
}

export function fuzzNamespace(rng: Prng): string {
  return rng.weighted<string>([
    [8, () => FUZZ_NAMESPACE],
    [1, () => 'default'],
    [1, () => 'missing-ns'],
    [1, () => weirdString(rng)],
  ]);
}

/** The path of a kind's collection or object, with its own weirdness in the segments. */
export function resourcePath(
  rng: Prng,
  kind: KindInfo,
  target: { name?: string; namespace?: string; subresource?: string },
): string {
  const base = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const ns =
    kind.namespaced && target.namespace !== undefined
      ? `/namespaces/${segment(rng, target.namespace)}`
      : '';
  const name = target.name === undefined ? '' : `/${segment(rng, target.name)}`;
  const sub = target.subresource === undefined ? '' : `/${target.subresource}`;
  return `${base}${ns}/${kind.resource}${name}${sub}`;
}

/** Paths that are almost a resource: unknown groups, versions, resources, subresources, extras. */
export function strangePath(rng: Prng): string {
  const kind = rng.pick(fuzzKinds);
  const real = resourcePath(rng, kind, {
    namespace: fuzzNamespace(rng),
    name: rng.chance(0.7) ? fuzzName(rng, kind) : undefined,
  });
  return rng.weighted<string>([
    [
      2,
      () =>
        `${real}/${rng.pick(['teleport', 'status/extra', 'scale', 'binding', 'log', 'finalize', '', '..'])}`,
    ],
    [
      2,
      () =>
        real.replace(`/${kind.version}/`, `/${rng.pick(['v2', 'v1beta1', 'V1', '', '%76%31'])}/`),
    ],
    [
      2,
      () =>
        `/apis/${rng.pick(['example.com', 'apps', '', 'apps.', '..', 'autoscaling'])}/${rng.pick(['v1', 'v9'])}/${rng.pick(['things', 'deployments', 'scales', 'namespaces'])}`,
    ],
    [
      1,
      () =>
        `/api/v1/${rng.pick(['pods', 'namespaces', 'nodes'])}/${segment(rng, weirdString(rng))}/${rng.pick(['status', 'finalize', 'pods', 'binding'])}`,
    ],
    [
      1,
      () =>
        `/api/v1/namespaces/${segment(rng, weirdString(rng))}/${rng.pick(['pods', 'services', 'status', 'finalize', 'namespaces'])}`,
    ],
    [1, () => real.replace(/\//g, rng.pick(['//', '/./', '/%2F']))],
    [1, () => `${real}${rng.pick(['/', '//', '/.', '#frag', '%'])}`],
    [
      1,
      () =>
        rng.pick([
          '/api',
          '/apis',
          '/api/',
          '/apis/apps',
          '/api/v1/',
          '/apis/apps/v1/',
          '/api/%ZZ',
          '/apis/%ZZ/v1',
          '/apis/apps/%ZZ',
          '/openapi/v3/api/%ZZ',
          '/openapi/v3/apis/x/y',
          '/nonsense',
          '/',
          '/version/..',
          '/metrics/x',
        ]),
    ],
    [1, () => `/apis/${segment(rng, weirdString(rng))}/${segment(rng, weirdString(rng))}`],
  ]);
}

/** Query parameters, valid and not, for whatever verb the request is. */
export function fuzzQuery(rng: Prng): string {
  const params: [string, string][] = [];
  const count = rng.weighted<number>([
    [4, () => 0],
    [4, () => 1],
    [2, () => rng.between(2, 4)],
  ]);
  for (let i = 0; i < count; i++) params.push(queryParam(rng));
  if (params.length === 0) return '';
  return `?${params.map(([k, v]) => `${percentEncode(k)}=${rng.chance(0.9) ? percentEncode(v) : v.replace(/[^\x21-\x7e]/g, '')}`).join('&')}`;
}

function queryParam(rng: Prng): [string, string] {
  return rng.weighted<[string, string]>([
    [2, () => ['limit', rng.pick(['-1', '0', '1', '2', 'abc', '1e3', '99999999999999999999', ''])]],
    [
      2,
      () => [
        'continue',
        rng.pick([
          'garbage',
          '%%%',
          'eyJ9',
          Buffer.from('{"rv":-1}').toString('base64'),
          Buffer.from('{"rv":1,"start":"../../x"}').toString('base64url'),
          weirdString(rng),
        ]),
      ],
    ],
    [
      3,
      () => [
        'resourceVersion',
        rng.pick([
          'abc',
          '-5',
          '0',
          '',
          '1',
          '99999999999999999999',
          '9007199254740993',
          String(2 ** 40),
          '1.5',
          ' 1',
        ]),
      ],
    ],
    [1, () => ['resourceVersionMatch', rng.pick(['Exact', 'NotOlderThan', 'Sideways', ''])]],
    [
      2,
      () => ['timeoutSeconds', rng.pick(['-1', '0', '1', 'x', '1e9', '99999999999999999999', ''])],
    ],
    [
      2,
      () => [
        'labelSelector',
        rng.pick([
          'a=b',
          'a in (b,c)',
          'a notin ()',
          '!a',
          'a=',
          '=b',
          'a==b==c',
          '(((',
          'a in b',
          'x'.repeat(100) + '=y',
          weirdString(rng),
        ]),
      ],
    ],
    [
      2,
      () => [
        'fieldSelector',
        rng.pick([
          'metadata.name=x',
          'spec.nodeName=',
          'status.phase!=Running',
          'metadata.namespace==a',
          'no.such.field=1',
          'metadata.name',
          '=',
          ',,',
          weirdString(rng),
        ]),
      ],
    ],
    [1, () => ['watch', rng.pick(['1', 'true', 'false', 'yes', ''])]],
    [1, () => ['allowWatchBookmarks', rng.pick(['true', 'x'])]],
    [1, () => ['sendInitialEvents', rng.pick(['true', 'false', 'x'])]],
    [1, () => ['dryRun', rng.pick(['All', 'None', '', 'all'])]],
    [1, () => ['fieldValidation', rng.pick(['Strict', 'Warn', 'Ignore', 'Loud', ''])]],
    [1, () => ['fieldManager', weirdString(rng)]],
    [
      1,
      () => [
        'gracePeriodSeconds',
        rng.pick(['-1', '0', '30', 'x', '1e999', '99999999999999999999']),
      ],
    ],
    [
      1,
      () => ['propagationPolicy', rng.pick(['Orphan', 'Background', 'Foreground', 'Sideways', ''])],
    ],
    [1, () => ['orphanDependents', rng.pick(['true', 'false', 'x'])]],
    [1, () => ['includeObject', rng.pick(['Object', 'None', 'x'])]],
    [1, () => ['command', rng.pick(['ls', '', weirdString(rng)])]],
    [1, () => [weirdString(rng), weirdString(rng)]],
  ]);
}
