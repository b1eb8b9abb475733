// One fuzz case = one HTTP request, drawn from a few strategies: random bytes, garbled
// JSON/YAML, mutated valid objects, JSON patches with hostile operations, bad DeleteOptions,
// reads and watches with hostile queries, paths no resource has, and bodies over 3 MiB — at
// every verb, the subresources included.
import type { KindInfo } from '@skiff/api';
import { crdBody, gadget, gadgetCrd, gadgetKinds } from './custom-resource.js';
import { objectOf } from '../server/testing/objects.js';
import {
  garble,
  jsonText,
  oversized,
  randomBytes,
  trickyYaml,
  yamlText,
  type Body,
} from './bodies.js';
import { mutate } from './mutate.js';
import { protobufBody } from './protobuf-bodies.js';
import type { Prng } from './prng.js';
import {
  FUZZ_NAMES,
  FUZZ_NAMESPACE,
  fuzzKinds,
  fuzzName,
  fuzzNamespace,
  fuzzQuery,
  resourcePath,
  strangePath,
  validName,
} from './urls.js';
import { randomValue, weirdString, type Json } from './values.js';

export interface FuzzRequest {
  /** Which strategy made it: counted in the report, printed with a failure. */
  readonly strategy: string;
  readonly method: string;
  /** Path and query, sent exactly as written. */
  readonly path: string;
  readonly contentType?: string;
  readonly body?: Body;
  /** A watch: the answer is a stream the client reads briefly, then abandons. */
  readonly watch: boolean;
}

const jsonType = 'application/json';
const yamlType = 'application/yaml';
const patchTypes = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
];
const bogusTypes = [
  'application/apply-patch+yaml',
  'application/vnd.kubernetes.protobuf',
  'application/cbor',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  ';;;',
  '*/*',
  'application/merge-patch+json; charset=latin1',
];
const writeMethods = ['POST', 'PUT', 'PATCH'];
const allMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The object a kind's subresource takes as its body, valid before mutation. */
function subresourceBody(kind: KindInfo, subresource: string, name: string, ns: string): Json {
  if (subresource === 'binding') {
    return {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name },
      target: { kind: 'Node', name: 'node-1' },
    };
  }
  if (subresource === 'scale') {
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name, namespace: ns },
      spec: { replicas: 2 },
    };
  }
  return validObject(kind, name, ns);
}

export function validObject(kind: KindInfo, name: string, namespace: string): Json {
  if (kind.kind === 'Gadget') return gadget(kind, name, namespace);
  if (kind.kind === 'CustomResourceDefinition') return crdBody(name);
  const obj = objectOf(kind, name, namespace);
  // The shared fixture's event points at a pod in "default"; an event must be about its own namespace.
  if (kind.kind === 'Event') obj.involvedObject = { kind: 'Pod', name: 'web', namespace };
  return obj as unknown as Json;
}

function encoded(rng: Prng, value: Json, contentType: string): Body {
  const text = contentType.includes('yaml') ? yamlText(value) : jsonText(value);
  return { bytes: Buffer.from(text), chunked: rng.chance(0.1) };
}

interface Target {
  readonly kind: KindInfo;
  readonly namespace: string;
  readonly name: string;
}

function target(rng: Prng): Target {
  const kind = rng.pick(fuzzKinds);
  return { kind, namespace: fuzzNamespace(rng), name: fuzzName(rng, kind) };
}

/** A write (create, update, patch, or a subresource's write) of `body` at a real path. */
function writeAt(
  rng: Prng,
  t: Target,
  strategy: string,
  body: (sub: string | undefined, name: string) => Json | Body,
): FuzzRequest {
  const subresources = t.kind.subresources.filter((s) =>
    ['status', 'scale', 'binding'].includes(s),
  );
  const sub = subresources.length > 0 && rng.chance(0.3) ? rng.pick(subresources) : undefined;
  const method =
    sub === 'binding'
      ? 'POST'
      : sub !== undefined
        ? rng.pick(['PUT', 'PATCH'])
        : rng.pick(writeMethods);
  const named = method !== 'POST' || sub !== undefined;
  const contentType =
    method === 'PATCH'
      ? rng.weighted<string>([
          // An object is a merge or strategic patch; as a JSON patch it is just a 400.
          [
            9,
            () =>
              rng.pick(['application/merge-patch+json', 'application/strategic-merge-patch+json']),
          ],
          [1, () => 'application/json-patch+json'],
          [1, () => rng.pick(bogusTypes)],
        ])
      : rng.weighted<string>([
          [6, () => jsonType],
          [3, () => yamlType],
          [1, () => rng.pick(bogusTypes)],
        ]);
  // Creates mostly use fresh names so they get past AlreadyExists into admission and storage.
  const name = named || rng.chance(0.4) ? t.name : validName(t.kind, `fuzz-${rng.int(100_000)}`);
  const made = body(sub, name);
  const isBody = (v: Json | Body): v is Body =>
    typeof v === 'object' && v !== null && 'bytes' in v && Buffer.isBuffer(v.bytes);
  return {
    strategy,
    method,
    path:
      resourcePath(rng, t.kind, {
        namespace: t.namespace,
        name: named ? t.name : undefined,
        subresource: sub,
      }) + fuzzQuery(rng),
    contentType,
    body: isBody(made) ? made : encoded(rng, made, contentType),
    watch: false,
  };
}

/** A JSON patch whose operations, paths and values are each plausible or hostile. */
function jsonPatch(rng: Prng, base: Json): Json {
  const paths = [
    '/metadata/name',
    '/metadata/labels/a',
    '/metadata/labels',
    '/metadata/resourceVersion',
    '/metadata/finalizers/-',
    '/metadata/uid',
    '/spec',
    '/spec/containers/0',
    '/spec/containers/-',
    '/spec/containers/99999999999',
    '/spec/containers/-1',
    '/spec/replicas',
    '/status',
    '/data/key',
    '/~2',
    '/a~1b',
    '',
    '/',
    'no-slash',
    '/spec/containers/0/ports/0/containerPort',
    '/kind',
    '/apiVersion',
  ];
  const ops = Array.from({ length: rng.between(0, 4) }, () => {
    const op: Record<string, Json> = {
      op: rng.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus', '']),
      path: rng.chance(0.8) ? rng.pick(paths) : weirdString(rng),
    };
    if (rng.chance(0.5)) op.from = rng.pick(paths);
    if (rng.chance(0.8)) op.value = rng.chance(0.3) ? base : randomValue(rng);
    return rng.chance(0.15) ? mutate(rng, op, 1) : op;
  });
  return rng.chance(0.1) ? randomValue(rng) : ops;
}

function deleteOptions(rng: Prng): Json {
  const valid: Json = {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    gracePeriodSeconds: 0,
    propagationPolicy: 'Background',
    preconditions: { uid: 'x', resourceVersion: '1' },
    dryRun: ['All'],
  };
  return rng.chance(0.2) ? randomValue(rng) : mutate(rng, valid, rng.between(1, 3));
}

const strategies: readonly (readonly [number, string, (rng: Prng) => FuzzRequest])[] = [
  [
    3,
    'random-bytes',
    (rng) => {
      const t = target(rng);
      return writeAt(rng, t, 'random-bytes', () => ({
        bytes: randomBytes(rng),
        chunked: rng.chance(0.2),
      }));
    },
  ],
  [
    3,
    'garbled-text',
    (rng) => {
      const t = target(rng);
      return writeAt(rng, t, 'garbled-text', (sub, name) => {
        const value = subresourceBody(t.kind, sub ?? '', name, t.namespace);
        const text = rng.chance(0.7) ? jsonText(value) : yamlText(value);
        return { bytes: Buffer.from(garble(rng, text)), chunked: false };
      });
    },
  ],
  [
    1,
    'tricky-yaml',
    (rng) => ({
      ...writeAt(rng, target(rng), 'tricky-yaml', () => ({
        bytes: Buffer.from(trickyYaml(rng)),
        chunked: false,
      })),
      contentType: yamlType,
    }),
  ],
  [
    10,
    'mutated-object',
    (rng) => {
      const t = target(rng);
      return writeAt(rng, t, 'mutated-object', (sub, name) =>
        mutate(rng, subresourceBody(t.kind, sub ?? '', name, t.namespace), rng.between(1, 3)),
      );
    },
  ],
  [
    2,
    'valid-object',
    (rng) => {
      const t = target(rng);
      return writeAt(rng, t, 'valid-object', (sub, name) =>
        subresourceBody(t.kind, sub ?? '', name, t.namespace),
      );
    },
  ],
  [
    3,
    'protobuf',
    (rng) => {
      const t = target(rng);
      const request = writeAt(rng, t, 'protobuf', (sub, name) => {
        const valid = subresourceBody(t.kind, sub ?? '', name, t.namespace);
        const other = validObject(rng.pick(fuzzKinds), name, t.namespace);
        return protobufBody(rng, valid, mutate(rng, valid, rng.between(0, 2)), other);
      });
      return { ...request, contentType: 'application/vnd.kubernetes.protobuf' };
    },
  ],
  [
    3,
    'json-patch',
    (rng) => {
      const t = target(rng);
      const sub = t.kind.subresources.includes('status') && rng.chance(0.2) ? 'status' : undefined;
      const base = validObject(t.kind, t.name, t.namespace);
      return {
        strategy: 'json-patch',
        method: 'PATCH',
        path:
          resourcePath(rng, t.kind, { namespace: t.namespace, name: t.name, subresource: sub }) +
          fuzzQuery(rng),
        contentType: 'application/json-patch+json',
        body: { bytes: Buffer.from(jsonText(jsonPatch(rng, base))), chunked: false },
        watch: false,
      };
    },
  ],
  [
    3,
    'delete',
    (rng) => {
      const t = target(rng);
      const named = rng.chance(0.7);
      const body = rng.weighted<Body | undefined>([
        [2, () => undefined],
        [5, () => ({ bytes: Buffer.from(jsonText(deleteOptions(rng))), chunked: false })],
        [1, () => ({ bytes: randomBytes(rng), chunked: false })],
      ]);
      return {
        strategy: 'delete',
        method: 'DELETE',
        path:
          resourcePath(rng, t.kind, { namespace: t.namespace, name: named ? t.name : undefined }) +
          fuzzQuery(rng),
        contentType: body && rng.chance(0.9) ? jsonType : rng.pick(bogusTypes),
        body,
        watch: false,
      };
    },
  ],
  [
    5,
    'read',
    (rng) => {
      const t = target(rng);
      const named = rng.chance(0.4);
      const sub =
        named && t.kind.subresources.length > 0 && rng.chance(0.3)
          ? rng.pick(t.kind.subresources)
          : undefined;
      const across = !named && t.kind.namespaced && rng.chance(0.3);
      return {
        strategy: 'read',
        method: 'GET',
        path:
          resourcePath(rng, t.kind, {
            namespace: across ? undefined : t.namespace,
            name: named ? t.name : undefined,
            subresource: sub,
          }) + fuzzQuery(rng),
        watch: false,
      };
    },
  ],
  [
    3,
    'watch',
    (rng) => {
      const t = target(rng);
      const named = rng.chance(0.2);
      const query = fuzzQuery(rng);
      const timeout = rng.chance(0.5)
        ? `&timeoutSeconds=${rng.pick(['1', '-1', 'x', '0', '5'])}`
        : '';
      return {
        strategy: 'watch',
        method: 'GET',
        path: `${resourcePath(rng, t.kind, { namespace: t.namespace, name: named ? t.name : undefined })}${query === '' ? '?' : `${query}&`}watch=${rng.pick(['1', 'true'])}${timeout}`,
        watch: true,
      };
    },
  ],
  [
    3,
    'strange-url',
    (rng) => {
      const method = rng.pick(allMethods);
      const withBody = ['POST', 'PUT', 'PATCH'].includes(method);
      const contentType = withBody ? rng.pick([jsonType, yamlType, ...patchTypes]) : undefined;
      const path = strangePath(rng) + fuzzQuery(rng);
      return {
        strategy: 'strange-url',
        method,
        path,
        contentType,
        body: withBody
          ? {
              bytes: Buffer.from(
                jsonText(mutate(rng, validObject(rng.pick(fuzzKinds), 'fuzz-a', 'fuzz'), 1)),
              ),
              chunked: false,
            }
          : undefined,
        watch: false,
      };
    },
  ],
  [
    1,
    'oversized',
    (rng) => {
      const t = target(rng);
      const request = writeAt(rng, t, 'oversized', () => ({
        bytes: Buffer.alloc(0),
        chunked: false,
      }));
      return {
        ...request,
        body: {
          bytes: oversized(rng, validObject(t.kind, t.name, t.namespace)),
          chunked: rng.chance(0.5),
        },
      };
    },
  ],
];

export const strategyNames = strategies.map(([, name]) => name);

export function fuzzRequest(rng: Prng): FuzzRequest {
  const made = rng.weighted(
    strategies.map(([weight, , make]) => [weight, () => make(rng)] as const),
  );
  // Any GET whose query says watch=1 opens a stream, whatever strategy wrote the query.
  const watch = made.method === 'GET' && /[?&]watch=(1|true)(&|$)/.test(made.path);
  return { ...made, watch };
}

export interface Fixture {
  readonly path: string;
  readonly body: Json;
  /** A path that answers 200 once the fixture has taken effect (a CRD's resource is served). */
  readonly readyPath?: string;
}

function collectionPath(kind: KindInfo, namespace: string): string {
  const group = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  return `${group}${kind.namespaced ? `/namespaces/${namespace}` : ''}/${kind.resource}`;
}

/**
 * What the fuzzer's writes aim at: the gadgets CRD (and its resource being served), the fuzz
 * namespace, then two objects of every kind.
 */
export function fixtureObjects(): Fixture[] {
  const out: Fixture[] = [];
  const [gadgets] = gadgetKinds;
  out.push({
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    body: gadgetCrd,
    readyPath: gadgets && collectionPath(gadgets, 'default'),
  });
  out.push({
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: FUZZ_NAMESPACE } },
  });
  for (const kind of fuzzKinds) {
    for (const base of FUZZ_NAMES) {
      out.push({
        path: collectionPath(kind, FUZZ_NAMESPACE),
        body: validObject(kind, validName(kind, base), FUZZ_NAMESPACE),
      });
    }
  }
  return out;
}
