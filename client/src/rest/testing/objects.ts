// Fixture builders for client tests: the smallest valid objects, changed one fact at a time.
import type { ConfigMap, Deployment, Namespace } from '@skiff/api';

export function makeConfigMap(
  name: string,
  data: Record<string, string> = { key: 'value' },
  labels?: Record<string, string>,
): ConfigMap {
  return { metadata: { name, ...(labels && { labels }) }, data };
}

export function makeDeployment(name: string, replicas = 1): Deployment {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1.27', env: [{ name: 'MODE', value: 'demo' }] },
            { name: 'sidecar', image: 'busybox:1.36' },
          ],
        },
      },
    },
  };
}

export function makeNamespace(name: string): Namespace {
  return { metadata: { name } };
}
