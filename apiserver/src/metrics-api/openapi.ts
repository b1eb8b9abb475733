// The OpenAPI v3 document of metrics.k8s.io/v1beta1, so `kubectl explain nodes.metrics.k8s.io`
// and `skiff explain` work as they do against metrics-server. Its own schemas are written here;
// the metav1 ones they refer to (ObjectMeta, ListMeta, Time, Quantity) are taken, with what
// they refer to in turn, from the core v1 document the apiserver already builds.
import { createHash } from 'node:crypto';
import { LIST_META, OBJECT_META } from '../openapi/definition-names.js';

type Schemas = Record<string, unknown>;

const PKG = 'io.k8s.metrics.pkg.apis.metrics.v1beta1';
const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const gvk = (kind: string) => [{ group: 'metrics.k8s.io', kind, version: 'v1beta1' }];

const typeMeta = {
  apiVersion: {
    type: 'string',
    description: 'APIVersion defines the versioned schema of this representation of an object.',
  },
  kind: { type: 'string', description: 'Kind is a string value representing the REST resource.' },
};

const usage = {
  type: 'object',
  description: 'The memory and CPU usage, as measured by the kubelet.',
  additionalProperties: ref(QUANTITY),
};

const measured = {
  timestamp: { ...ref(TIME), description: 'When the usage was measured (the window ends then).' },
  window: { type: 'string', description: 'The interval the usage was measured over.' },
};

const own: Schemas = {
  [`${PKG}.NodeMetrics`]: {
    type: 'object',
    description: 'NodeMetrics sets resource usage metrics of a node.',
    required: ['timestamp', 'window', 'usage'],
    properties: {
      ...typeMeta,
      metadata: { allOf: [ref(OBJECT_META)], default: {}, description: "The node's metadata." },
      ...measured,
      usage,
    },
    'x-kubernetes-group-version-kind': gvk('NodeMetrics'),
  },
  [`${PKG}.NodeMetricsList`]: {
    type: 'object',
    description: 'NodeMetricsList is a list of NodeMetrics.',
    required: ['items'],
    properties: {
      ...typeMeta,
      metadata: { allOf: [ref(LIST_META)], default: {} },
      items: { type: 'array', items: ref(`${PKG}.NodeMetrics`), description: 'The node metrics.' },
    },
    'x-kubernetes-group-version-kind': gvk('NodeMetricsList'),
  },
  [`${PKG}.ContainerMetrics`]: {
    type: 'object',
    description: 'ContainerMetrics sets resource usage metrics of a container.',
    required: ['name', 'usage'],
    properties: { name: { type: 'string', description: 'Container name.' }, usage },
  },
  [`${PKG}.PodMetrics`]: {
    type: 'object',
    description: 'PodMetrics sets resource usage metrics of a pod.',
    required: ['timestamp', 'window', 'containers'],
    properties: {
      ...typeMeta,
      metadata: { allOf: [ref(OBJECT_META)], default: {}, description: "The pod's metadata." },
      ...measured,
      containers: {
        type: 'array',
        items: ref(`${PKG}.ContainerMetrics`),
        description: 'Metrics for all containers are collected within the same time window.',
      },
    },
    'x-kubernetes-group-version-kind': gvk('PodMetrics'),
  },
  [`${PKG}.PodMetricsList`]: {
    type: 'object',
    description: 'PodMetricsList is a list of PodMetrics.',
    required: ['items'],
    properties: {
      ...typeMeta,
      metadata: { allOf: [ref(LIST_META)], default: {} },
      items: { type: 'array', items: ref(`${PKG}.PodMetrics`), description: 'The pod metrics.' },
    },
    'x-kubernetes-group-version-kind': gvk('PodMetricsList'),
  },
};

/** GET operations: kubectl explain finds a resource's kind by its path's operation. */
function paths(): Record<string, object> {
  const op = (action: string, kind: string) => ({
    get: {
      operationId: `${action}MetricsV1beta1${kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk(kind)[0],
      responses: { '200': { description: 'OK' } },
    },
  });
  const base = '/apis/metrics.k8s.io/v1beta1';
  return {
    [`${base}/nodes`]: op('list', 'NodeMetrics'),
    [`${base}/nodes/{name}`]: op('get', 'NodeMetrics'),
    [`${base}/pods`]: op('list', 'PodMetrics'),
    [`${base}/namespaces/{namespace}/pods`]: op('list', 'PodMetrics'),
    [`${base}/namespaces/{namespace}/pods/{name}`]: op('get', 'PodMetrics'),
  };
}

/** Every schema name `value` refers to, transitively, from `from`. */
function closure(roots: readonly string[], from: Schemas): Schemas {
  const out: Schemas = {};
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') {
        const name = v.replace('#/components/schemas/', '');
        if (!(name in out) && name in from) {
          out[name] = from[name];
          visit(from[name]);
        }
      } else visit(v);
    }
  };
  roots.forEach((name) => visit({ $ref: `#/components/schemas/${name}` }));
  return out;
}

/** The group/version's document; `core` is the core v1 document (for the metav1 schemas). */
export function metricsOpenApiV3(core: object | undefined, serverVersion: string): object {
  const coreSchemas =
    (core as { components?: { schemas?: Schemas } } | undefined)?.components?.schemas ?? {};
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: serverVersion },
    paths: paths(),
    components: {
      schemas: { ...closure([OBJECT_META, LIST_META, TIME, QUANTITY], coreSchemas), ...own },
    },
  };
}

export const METRICS_OPENAPI_PATH = 'apis/metrics.k8s.io/v1beta1';

/** The /openapi/v3 index with the metrics document's entry added (hashed as the others are). */
export function withMetricsEntry(root: object, document: object): object {
  const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
  const paths = (root as { paths?: Record<string, unknown> }).paths ?? {};
  return {
    ...root,
    paths: {
      ...paths,
      [METRICS_OPENAPI_PATH]: {
        serverRelativeURL: `/openapi/v3/${METRICS_OPENAPI_PATH}?hash=${hash}`,
      },
    },
  };
}
