// Fixture builders: a minimal valid object of every built-in kind, and the URL it lives at.
// Tests change one fact at a time from these.
import { builtinKinds, type KindInfo } from '@skiff/api';

export type Obj = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name?: string; namespace?: string };
};

/** `/api/v1/namespaces/default/pods` or `/apis/apps/v1/namespaces/default/deployments[/name]`. */
export function pathFor(kind: KindInfo, namespace: string | undefined, name?: string): string {
  const group = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const ns = kind.namespaced && namespace !== undefined ? `/namespaces/${namespace}` : '';
  return `${group}${ns}/${kind.resource}${name === undefined ? '' : `/${name}`}`;
}

export function kindNamed(kind: string): KindInfo {
  const found = builtinKinds.find((k) => k.kind === kind);
  if (!found) throw new Error(`no kind ${kind}`);
  return found;
}

const podSpec = (): Record<string, unknown> => ({
  containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }],
});

const template = (app: string): Record<string, unknown> => ({
  metadata: { labels: { app } },
  spec: podSpec(),
});

const bodies: Record<string, (name: string) => Record<string, unknown>> = {
  Pod: () => ({ spec: podSpec() }),
  Service: () => ({ spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
  Endpoints: () => ({ subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }),
  Node: () => ({ spec: {} }),
  Namespace: () => ({}),
  Event: (name) => ({
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Testing',
    message: `event ${name}`,
    type: 'Normal',
    source: { component: 'test' },
  }),
  ConfigMap: () => ({ data: { key: 'value' } }),
  Secret: () => ({ data: { key: Buffer.from('value').toString('base64') } }),
  ReplicaSet: (name) => ({
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: template(name) },
  }),
  Deployment: (name) => ({
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: template(name) },
  }),
  Lease: () => ({ spec: { holderIdentity: 'node-a', leaseDurationSeconds: 40 } }),
  EndpointSlice: () => ({
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  }),
  CustomResourceDefinition: (name) => {
    const [plural = 'widgets', ...group] = name.split('.');
    return {
      spec: {
        group: group.join('.'),
        names: {
          plural,
          singular: plural.replace(/s$/, ''),
          kind: 'Widget',
          listKind: 'WidgetList',
        },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } },
            },
          },
        ],
      },
    };
  },
};

/** A name valid for the kind (CRDs must be `<plural>.<group>`). */
export function nameFor(kind: KindInfo, base: string): string {
  return kind.kind === 'CustomResourceDefinition' ? `${base}s.example.com` : base;
}

export function objectOf(kind: KindInfo, name: string, namespace = 'default'): Obj {
  const body = bodies[kind.kind];
  if (!body) throw new Error(`no fixture for ${kind.kind}`);
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    metadata: { name, ...(kind.namespaced ? { namespace } : {}), labels: { test: 'yes' } },
    ...body(name),
  };
}

export function pod(name: string, fields: Record<string, unknown> = {}): Obj {
  return { ...objectOf(kindNamed('Pod'), name), ...fields };
}

/** A pod bound to node n1 with nginx containers (and init containers) of these names. */
export function boundPod(name: string, containers: string[], initContainers: string[] = []): Obj {
  return pod(name, {
    spec: {
      nodeName: 'n1',
      containers: containers.map((c) => ({ name: c, image: 'nginx' })),
      ...(initContainers.length > 0 && {
        initContainers: initContainers.map((c) => ({ name: c, image: 'nginx' })),
      }),
    },
  });
}

export function service(name: string, spec: Record<string, unknown>): Obj {
  return { ...objectOf(kindNamed('Service'), name), spec: { ports: [{ port: 80 }], ...spec } };
}
