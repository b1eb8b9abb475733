// A container's environment, as Kubernetes' makeEnvironmentVariables builds it: envFrom first
// (every key of a ConfigMap or Secret, with a prefix), then env in order, each value `$(VAR)`-
// expanded against the variables defined before it; valueFrom reads the pod's own fields
// (downward API), the container's resources, or a key of a ConfigMap or Secret. A reference that
// cannot be resolved is a ContainerConfigError: the container waits with
// CreateContainerConfigError and the message below, as in Kubernetes.
import {
  ResourceQuantity,
  type ConfigMap,
  type Container,
  type Pod,
  type ResourceList,
  type Secret,
  type Service,
} from '@skiff/api';
import { expand } from './expansion.js';
import { serviceEnvVars } from './service-env.js';

export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

/** Where ConfigMaps and Secrets come from; undefined means "not found". */
export interface EnvSources {
  configMap(namespace: string, name: string): Promise<Readonly<ConfigMap> | undefined>;
  secret(namespace: string, name: string): Promise<Readonly<Secret> | undefined>;
  /** The services whose link variables the pod gets (see service-env.ts); none if omitted. */
  services?(pod: Readonly<Pod>): Promise<readonly Readonly<Service>[]>;
}

export interface EnvContext {
  readonly pod: Readonly<Pod>;
  readonly podIPs: readonly string[];
  readonly hostIPs: readonly string[];
  /** The node's allocatable resources: a resourceFieldRef limit defaults to them. */
  readonly nodeAllocatable: Readonly<ResourceList>;
  readonly sources: EnvSources;
}

export interface EnvVarValue {
  readonly name: string;
  readonly value: string;
}

/** An environment variable name as Kubernetes accepts one (C identifiers, plus `-` and `.`). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export async function makeEnvironmentVariables(
  container: Readonly<Container>,
  context: EnvContext,
): Promise<EnvVarValue[]> {
  const { pod, sources } = context;
  const namespace = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  // Service variables come under everything the pod sets itself, and $(VAR) can name them.
  const serviceEnv = serviceEnvVars((await sources.services?.(pod)) ?? []);
  const lookup = (name: string): string | undefined => env.get(name) ?? serviceEnv.get(name);

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const imported = from.configMapRef
      ? await requireSource('configmap', from.configMapRef, async (name) => {
          const cm = await sources.configMap(namespace, name);
          return cm && (cm.data ?? {});
        })
      : from.secretRef
        ? await requireSource('secret', from.secretRef, async (name) => {
            const secret = await sources.secret(namespace, name);
            return secret && decodeAll(secret.data ?? {});
          })
        : {};
    for (const [key, value] of Object.entries(imported)) {
      // Keys that are no valid variable name are skipped, as Kubernetes does (with an event).
      if (ENV_NAME.test(prefix + key)) env.set(prefix + key, value);
    }
  }

  for (const variable of container.env ?? []) {
    if (variable.valueFrom === undefined) {
      env.set(variable.name, expand(variable.value ?? '', lookup));
      continue;
    }
    const value = await valueFrom(variable.valueFrom, container, context, namespace);
    if (value !== undefined) env.set(variable.name, value);
  }
  const services = [...serviceEnv].filter(([name]) => !env.has(name));
  return [...services, ...env].map(([name, value]) => ({ name, value }));
}

async function valueFrom(
  source: NonNullable<NonNullable<Container['env']>[number]['valueFrom']>,
  container: Readonly<Container>,
  context: EnvContext,
  namespace: string,
): Promise<string | undefined> {
  if (source.fieldRef) return podFieldValue(source.fieldRef.fieldPath, context);
  if (source.resourceFieldRef) {
    const ref = source.resourceFieldRef;
    const target =
      ref.containerName !== undefined && ref.containerName !== ''
        ? [...context.pod.spec.containers, ...(context.pod.spec.initContainers ?? [])].find(
            (c) => c.name === ref.containerName,
          )
        : container;
    if (!target) throw new ContainerConfigError(`container "${ref.containerName ?? ''}" not found`);
    return resourceFieldValue(ref.resource, ref.divisor, target, context.nodeAllocatable);
  }
  if (source.configMapKeyRef) {
    const { name = '', key, optional } = source.configMapKeyRef;
    const cm = await context.sources.configMap(namespace, name);
    if (!cm) {
      if (optional === true) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    const value = cm.data?.[key] ?? binaryValue(cm.binaryData?.[key]);
    if (value === undefined && optional !== true) {
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`);
    }
    return value;
  }
  if (source.secretKeyRef) {
    const { name = '', key, optional } = source.secretKeyRef;
    const secret = await context.sources.secret(namespace, name);
    if (!secret) {
      if (optional === true) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    const data = secret.data?.[key];
    if (data === undefined) {
      if (optional === true) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${namespace}/${name}`);
    }
    return decodeBase64(data);
  }
  return '';
}

/**
 * The values of a ConfigMap or Secret an envFrom names; {} for a missing optional one, a
 * ContainerConfigError for a missing required one.
 */
async function requireSource(
  kind: 'configmap' | 'secret',
  ref: { name?: string; optional?: boolean },
  read: (name: string) => Promise<Record<string, string> | undefined>,
): Promise<Record<string, string>> {
  const name = ref.name ?? '';
  const values = await read(name);
  if (values !== undefined) return values;
  if (ref.optional === true) return {};
  throw new ContainerConfigError(`${kind} "${name}" not found`);
}

function decodeAll(data: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, decodeBase64(v)]));
}

function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

function binaryValue(value: string | undefined): string | undefined {
  return value === undefined ? undefined : decodeBase64(value);
}

/** `metadata.labels['app']` → ['labels', 'app']. */
const MAP_FIELD = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** The downward API's fields for env (Kubernetes' podFieldSelectorRuntimeValue). */
export function podFieldValue(fieldPath: string, context: EnvContext): string {
  const { pod, podIPs, hostIPs } = context;
  const map = MAP_FIELD.exec(fieldPath);
  if (map) {
    const values = map[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return values?.[map[2] ?? ''] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}

/**
 * `limits.cpu`, `requests.memory`, … of a container, divided by `divisor` and rounded up (cpu's
 * default divisor is one core). A limit that is not set is the node's allocatable amount.
 */
export function resourceFieldValue(
  resource: string,
  divisor: string | undefined,
  container: Readonly<Container>,
  nodeAllocatable: Readonly<ResourceList>,
): string {
  const [kind, name] = resource.split('.', 2);
  if ((kind !== 'limits' && kind !== 'requests') || name === undefined) {
    throw new ContainerConfigError(`unsupported container resource: ${resource}`);
  }
  const resources = container.resources ?? {};
  const limit = resources.limits?.[name] ?? nodeAllocatable[name];
  const text =
    kind === 'limits' ? limit : (resources.requests?.[name] ?? resources.limits?.[name] ?? '0');
  const amount = ResourceQuantity.parse(text ?? '0');
  const by = ResourceQuantity.parse(divisor ?? '1');
  if (by.isZero()) throw new ContainerConfigError(`divisor of ${resource} is zero`);
  if (name === 'cpu') return String(Math.ceil(amount.milliValue() / by.milliValue()));
  return String(Math.ceil(amount.asApproximateFloat() / by.asApproximateFloat()));
}
