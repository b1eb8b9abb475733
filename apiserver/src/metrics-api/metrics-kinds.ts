// metrics.k8s.io/v1beta1 as discovery lists it: NodeMetrics (`nodes`) and PodMetrics (`pods`),
// read-only. Not rows of the built-in kind table: nothing is stored, there is no watch, no
// schema and no OpenAPI for them — the objects are made on each request from the kubelets.
import type { KindInfo } from '@skiff/api';

const common = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  apiVersion: 'metrics.k8s.io/v1beta1',
  shortNames: [],
  categories: [],
  subresources: [],
  verbs: ['get', 'list'],
} as const;

export const nodeMetricsKind: KindInfo = {
  ...common,
  kind: 'NodeMetrics',
  listKind: 'NodeMetricsList',
  resource: 'nodes',
  singular: '',
  namespaced: false,
};

export const podMetricsKind: KindInfo = {
  ...common,
  kind: 'PodMetrics',
  listKind: 'PodMetricsList',
  resource: 'pods',
  singular: '',
  namespaced: true,
};

export const metricsKinds: readonly KindInfo[] = [nodeMetricsKind, podMetricsKind];
