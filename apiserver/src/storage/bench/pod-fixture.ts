// A realistic stored value: a defaulted single-container pod, about the size Kubernetes stores.
export function podFixtureBytes(): Uint8Array {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d4b9c6f5d-x2x9q',
      namespace: 'bench',
      uid: '8b0c1c55-3e0c-4f43-9a65-0f3c2d1b9a77',
      labels: { app: 'web', 'pod-template-hash': '7d4b9c6f5d' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7d4b9c6f5d',
          uid: 'c3d1',
          controller: true,
        },
      ],
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'skiff.local/busybox:latest',
          command: ['httpd', '-f', '-p', '8080'],
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
          readinessProbe: {
            httpGet: { path: '/', port: 8080, scheme: 'HTTP' },
            periodSeconds: 10,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
          imagePullPolicy: 'Always',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
  return new TextEncoder().encode(JSON.stringify(pod));
}
