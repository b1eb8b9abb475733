// One realistic object per kind skiff serves in protobuf, as Kubernetes' JSON: what the round
// trip tests encode and decode, and what the HTTP tests send. Every zero here is a pointer
// field's (meant) or a field JSON always shows; value fields left at zero are simply absent,
// as Go's JSON leaves them.
const meta = (name: string, namespace?: string): Record<string, unknown> => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: `0b3c8f2e-6d1a-4c55-9a7e-${name.padEnd(12, '0').slice(0, 12)}`,
  resourceVersion: '42',
  generation: 3,
  creationTimestamp: '2026-03-01T10:20:30Z',
  labels: { app: 'web', 'app.kubernetes.io/part-of': 'shop' },
  annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}\n' },
  managedFields: [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2026-03-01T10:20:30Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
    },
  ],
});

const podSpec = {
  volumes: [
    { name: 'cache', emptyDir: {} },
    { name: 'config', configMap: { name: 'web-config', defaultMode: 420, optional: false } },
    {
      name: 'token',
      projected: {
        sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }],
        defaultMode: 420,
      },
    },
  ],
  initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'true'] }],
  containers: [
    {
      name: 'web',
      image: 'nginx:1.27',
      args: ['-g', 'daemon off;'],
      ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
      env: [
        { name: 'MODE', value: 'prod' },
        {
          name: 'POD_IP',
          valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } },
        },
        {
          name: 'PASSWORD',
          valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: false } },
        },
      ],
      envFrom: [{ configMapRef: { name: 'web-env' } }],
      resources: {
        limits: { cpu: '500m', memory: '256Mi' },
        requests: { cpu: '100m', memory: '64Mi' },
      },
      volumeMounts: [{ name: 'cache', mountPath: '/cache', readOnly: true }],
      livenessProbe: {
        httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
        initialDelaySeconds: 5,
        periodSeconds: 10,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
      },
      readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      securityContext: { runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false },
    },
  ],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  serviceAccountName: 'default',
  automountServiceAccountToken: false,
  securityContext: { fsGroup: 2000 },
  affinity: {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
            topologyKey: 'kubernetes.io/hostname',
          },
        },
      ],
    },
  },
  schedulerName: 'default-scheduler',
  tolerations: [
    {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
  ],
  priority: 0,
  enableServiceLinks: true,
  preemptionPolicy: 'PreemptLowerPriority',
};

const template = {
  metadata: { labels: { app: 'web' }, annotations: { 'example.com/rev': '7' } },
  spec: podSpec,
};

export const fixtures: readonly Record<string, unknown>[] = [
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { ...meta('shop'), finalizers: ['example.com/keep'] },
    spec: { finalizers: ['kubernetes'] },
    status: {
      phase: 'Active',
      conditions: [
        {
          type: 'NamespaceDeletionDiscoveryFailure',
          status: 'False',
          lastTransitionTime: '2026-03-01T10:20:31Z',
          reason: 'ResourcesDiscovered',
          message: 'All resources successfully discovered',
        },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta('web-7d4b9c-x2x9k', 'shop'),
      generateName: 'web-7d4b9c-',
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7d4b9c',
          uid: '9f0c1a5e-2f3b-4b1e-8d3a-0c1d2e3f4a5b',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      deletionTimestamp: '2026-03-01T11:00:00Z',
      deletionGracePeriodSeconds: 0,
    },
    spec: { ...podSpec, nodeName: 'node-1' },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-03-01T10:20:40Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-03-01T10:20:31Z' },
      ],
      hostIP: '10.0.0.4',
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      startTime: '2026-03-01T10:20:31Z',
      containerStatuses: [
        {
          name: 'web',
          state: { running: { startedAt: '2026-03-01T10:20:35Z' } },
          lastState: {
            terminated: {
              exitCode: 0,
              reason: 'Completed',
              startedAt: '2026-03-01T10:10:00Z',
              finishedAt: '2026-03-01T10:20:00Z',
              containerID: 'skiff://abc',
            },
          },
          ready: false,
          restartCount: 0,
          image: 'docker.io/library/nginx:1.27',
          imageID: 'docker.io/library/nginx@sha256:0123',
          containerID: 'skiff://def',
          started: true,
        },
      ],
      qosClass: 'Burstable',
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web', 'shop'),
    spec: {
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 },
        { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9090 },
      ],
      selector: { app: 'web' },
      clusterIP: '10.96.0.12',
      clusterIPs: ['10.96.0.12'],
      type: 'NodePort',
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
    },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }] } },
  },
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta('web', 'shop'),
    subsets: [
      {
        addresses: [
          {
            ip: '10.244.1.7',
            nodeName: 'node-1',
            targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'u-1' },
          },
        ],
        notReadyAddresses: [{ ip: '10.244.2.9' }],
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      },
    ],
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta('node-1'),
    spec: {
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      unschedulable: true,
    },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '3800m', memory: '15Gi', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: '2026-03-01T10:21:00Z',
          lastTransitionTime: '2026-03-01T10:00:00Z',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.4' },
        { type: 'Hostname', address: 'node-1' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'm-1',
        systemUUID: 's-1',
        bootID: 'b-1',
        kernelVersion: '6.1.0',
        osImage: 'Debian GNU/Linux 12',
        containerRuntimeVersion: 'skiff://0.1.0',
        kubeletVersion: 'v1.33.0',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: [{ names: ['docker.io/library/nginx:1.27'], sizeBytes: 72_000_000 }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('web.17f0', 'shop'),
    involvedObject: {
      kind: 'Pod',
      namespace: 'shop',
      name: 'web-1',
      uid: 'u-1',
      apiVersion: 'v1',
      resourceVersion: '40',
      fieldPath: 'spec.containers{web}',
    },
    reason: 'Pulled',
    message: 'Container image "nginx:1.27" already present on machine',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-03-01T10:20:33Z',
    lastTimestamp: '2026-03-01T10:20:34Z',
    count: 2,
    type: 'Normal',
    eventTime: '2026-03-01T10:20:33.123456Z',
    reportingComponent: 'kubelet',
    reportingInstance: '',
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('web-config', 'shop'),
    data: { 'nginx.conf': 'server { listen 80; }\n', empty: '' },
    binaryData: { 'logo.png': 'iVBORw0KGgo=' },
    immutable: false,
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('db', 'shop'),
    data: { password: 'czNjcjN0', empty: '' },
    type: 'Opaque',
    immutable: true,
  },
  {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'web-1', namespace: 'shop' },
    target: { kind: 'Node', name: 'node-1' },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web', 'shop'),
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      revisionHistoryLimit: 0,
      progressDeadlineSeconds: 600,
      minReadySeconds: 5,
      paused: true,
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
      unavailableReplicas: 1,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastUpdateTime: '2026-03-01T10:21:00Z',
          lastTransitionTime: '2026-03-01T10:21:00Z',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
      ],
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('web-7d4b9c', 'shop'),
    spec: {
      replicas: 2,
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
      },
      template,
    },
    status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, observedGeneration: 3 },
  },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta('web-abc12', 'shop'),
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: ['10.244.1.7'],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: 'node-1',
        targetRef: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'u-1' },
      },
    ],
    ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
  },
  {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: meta('node-1', 'kube-node-lease'),
    spec: {
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      acquireTime: '2026-03-01T10:00:00.000000Z',
      renewTime: '2026-03-01T10:21:05.250000Z',
      leaseTransitions: 0,
    },
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: meta('widgets.example.com'),
    spec: {
      group: 'example.com',
      names: {
        plural: 'widgets',
        singular: 'widget',
        shortNames: ['wd'],
        kind: 'Widget',
        listKind: 'WidgetList',
        categories: ['all'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                spec: {
                  type: 'object',
                  description: 'what a widget should be',
                  properties: {
                    size: { type: 'integer', minimum: 0, maximum: 10.5, default: 1 },
                    color: { type: 'string', enum: ['red', 'blue', null], pattern: '^[a-z]+$' },
                    tags: {
                      type: 'array',
                      items: { type: 'string', maxLength: 63 },
                      maxItems: 16,
                      'x-kubernetes-list-type': 'set',
                    },
                    ports: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: { port: { 'x-kubernetes-int-or-string': true } },
                      },
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['port'],
                    },
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    closed: { type: 'object', additionalProperties: false },
                    template: { type: 'object', 'x-kubernetes-embedded-resource': true },
                  },
                  'x-kubernetes-validations': [
                    { rule: 'self.size <= 10', message: 'too big', reason: 'FieldValueInvalid' },
                  ],
                },
                status: { type: 'object', nullable: true },
              },
            },
          },
          subresources: {
            status: {},
            scale: {
              specReplicasPath: '.spec.size',
              statusReplicasPath: '.status.size',
              labelSelectorPath: '.status.selector',
            },
          },
          additionalPrinterColumns: [
            { name: 'Size', type: 'integer', jsonPath: '.spec.size', priority: 1 },
          ],
        },
        {
          name: 'v1beta1',
          served: false,
          storage: false,
          deprecated: true,
          deprecationWarning: 'use v1',
        },
      ],
      conversion: {
        strategy: 'Webhook',
        webhook: {
          clientConfig: {
            service: { namespace: 'system', name: 'conv', path: '/convert', port: 8443 },
            caBundle: 'LS0tLS1CRUdJTg==',
          },
          conversionReviewVersions: ['v1'],
        },
      },
    },
    status: {
      conditions: [
        {
          type: 'Established',
          status: 'True',
          lastTransitionTime: '2026-03-01T10:20:31Z',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
      ],
      acceptedNames: { plural: 'widgets', kind: 'Widget' },
      storedVersions: ['v1'],
    },
  },
  {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: meta('web', 'shop'),
    spec: { replicas: 3 },
    status: { replicas: 2, selector: 'app=web' },
  },
  {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message: 'Pod "web" is invalid: spec.containers[0].image: Required value',
    reason: 'Invalid',
    details: {
      name: 'web',
      kind: 'Pod',
      causes: [
        {
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: 'spec.containers[0].image',
        },
      ],
    },
    code: 422,
  },
  {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    gracePeriodSeconds: 0,
    preconditions: { uid: 'u-1', resourceVersion: '42' },
    propagationPolicy: 'Foreground',
    dryRun: ['All'],
  },
  {
    apiVersion: 'v1',
    kind: 'PodList',
    metadata: { resourceVersion: '99', continue: 'eyJ2IjoxfQ', remainingItemCount: 0 },
    items: [
      { metadata: meta('a', 'shop'), spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      { metadata: meta('b', 'shop'), spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    ],
  },
];
