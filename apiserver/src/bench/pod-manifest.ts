// The pod a ReplicaSet controller would POST: labels, an owner, one container with resources,
// a probe, env and a mount — what a real create carries, before the server's defaults. The
// JSON is built once around a name placeholder, so the client spends no time encoding.

const NAME_PLACEHOLDER = '__POD_NAME__';

function manifest(namespace: string, nodeName: string | undefined): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: NAME_PLACEHOLDER,
      namespace,
      labels: { app: 'web', 'pod-template-hash': '7d4b9c6f5d', tier: 'frontend' },
      annotations: { 'kubernetes.io/config.source': 'api' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7d4b9c6f5d',
          uid: 'c3d1a2b4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      ...(nodeName === undefined ? {} : { nodeName }),
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/team/web:1.27.3',
          command: ['httpd', '-f', '-p', '8080'],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
          readinessProbe: {
            httpGet: { path: '/healthz', port: 8080 },
            periodSeconds: 10,
            failureThreshold: 3,
          },
          volumeMounts: [{ name: 'config', mountPath: '/etc/web', readOnly: true }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
      terminationGracePeriodSeconds: 30,
    },
  };
}

/** A function from pod name to the request body, sharing one encoded template. */
export function podBodyFactory(namespace: string, nodeName?: string): (name: string) => string {
  const [before, after] = JSON.stringify(manifest(namespace, nodeName)).split(NAME_PLACEHOLDER);
  if (before === undefined || after === undefined) throw new Error('pod template lost its name');
  return (name) => `${before}${name}${after}`;
}
