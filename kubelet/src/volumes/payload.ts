// The files a configMap, secret, downwardAPI or projected volume holds (Kubernetes' volume
// plugins' payload step): relative path → content and mode. Pure apart from reading the objects,
// so what a volume shows is decided in one place and the atomic writer only writes it.
import type {
  Container,
  DownwardAPIVolumeFile,
  KeyToPath,
  Pod,
  ResourceList,
  Volume,
} from '@skiff/api';
import { podFieldValue, resourceFieldValue, type EnvSources } from '../kuberuntime/env.js';

export interface FileProjection {
  readonly data: Buffer;
  readonly mode: number;
}

export type Payload = Map<string, FileProjection>;

export class VolumeError extends Error {
  override readonly name = 'VolumeError';
}

export interface PayloadContext {
  readonly pod: Readonly<Pod>;
  readonly sources: EnvSources;
  readonly podIPs: readonly string[];
  readonly hostIPs: readonly string[];
  readonly nodeAllocatable: Readonly<ResourceList>;
}

/** 0644, Kubernetes' default file mode for these volumes. */
export const DEFAULT_MODE = 0o644;

function keysToPaths(
  data: Readonly<Record<string, Buffer>>,
  items: readonly KeyToPath[] | undefined,
  mode: number,
  what: string,
  optional: boolean,
  payload: Payload,
): void {
  if (items === undefined || items.length === 0) {
    for (const [key, value] of Object.entries(data)) payload.set(key, { data: value, mode });
    return;
  }
  for (const item of items) {
    const value = data[item.key];
    if (value === undefined) {
      if (optional) continue;
      throw new VolumeError(`configuration error: key "${item.key}" not found in ${what}`);
    }
    payload.set(item.path, { data: value, mode: item.mode ?? mode });
  }
}

async function configMapData(
  context: PayloadContext,
  name: string,
  optional: boolean,
): Promise<Record<string, Buffer> | undefined> {
  const namespace = context.pod.metadata.namespace ?? 'default';
  const cm = await context.sources.configMap(namespace, name);
  if (!cm) {
    if (optional) return undefined;
    throw new VolumeError(`configmap "${name}" not found`);
  }
  return {
    ...Object.fromEntries(Object.entries(cm.data ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
    ...Object.fromEntries(
      Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
  };
}

async function secretData(
  context: PayloadContext,
  name: string,
  optional: boolean,
): Promise<Record<string, Buffer> | undefined> {
  const namespace = context.pod.metadata.namespace ?? 'default';
  const secret = await context.sources.secret(namespace, name);
  if (!secret) {
    if (optional) return undefined;
    throw new VolumeError(`secret "${name}" not found`);
  }
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  );
}

/** `metadata.labels` as the downward API writes it: `key="value"` lines, sorted. */
function mapFile(values: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(values ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join('\n');
}

function downwardAPIFiles(
  items: readonly DownwardAPIVolumeFile[],
  mode: number,
  context: PayloadContext,
  payload: Payload,
): void {
  const { pod } = context;
  for (const item of items) {
    let text: string;
    if (item.fieldRef) {
      const path = item.fieldRef.fieldPath;
      if (path === 'metadata.labels') text = mapFile(pod.metadata.labels);
      else if (path === 'metadata.annotations') text = mapFile(pod.metadata.annotations);
      else text = podFieldValue(path, context);
    } else if (item.resourceFieldRef) {
      const ref = item.resourceFieldRef;
      const container: Container | undefined = pod.spec.containers.find(
        (c) => c.name === ref.containerName,
      );
      if (!container) throw new VolumeError(`container "${ref.containerName ?? ''}" not found`);
      text = resourceFieldValue(ref.resource, ref.divisor, container, context.nodeAllocatable);
    } else continue;
    payload.set(item.path, { data: Buffer.from(text), mode: item.mode ?? mode });
  }
}

/** The payload of a volume whose files the kubelet writes; undefined for other kinds. */
export async function volumePayload(
  volume: Readonly<Volume>,
  context: PayloadContext,
): Promise<Payload | undefined> {
  const payload: Payload = new Map();
  if (volume.configMap) {
    const { name = '', items, defaultMode = DEFAULT_MODE, optional = false } = volume.configMap;
    const data = await configMapData(context, name, optional);
    if (data) keysToPaths(data, items, defaultMode, `ConfigMap ${name}`, optional, payload);
    return payload;
  }
  if (volume.secret) {
    const { secretName = '', items, defaultMode = DEFAULT_MODE, optional = false } = volume.secret;
    const data = await secretData(context, secretName, optional);
    if (data) keysToPaths(data, items, defaultMode, `Secret ${secretName}`, optional, payload);
    return payload;
  }
  if (volume.downwardAPI) {
    const { items = [], defaultMode = DEFAULT_MODE } = volume.downwardAPI;
    downwardAPIFiles(items, defaultMode, context, payload);
    return payload;
  }
  if (volume.projected) {
    const mode = volume.projected.defaultMode ?? DEFAULT_MODE;
    for (const source of volume.projected.sources ?? []) {
      if (source.configMap) {
        const { name = '', items, optional = false } = source.configMap;
        const data = await configMapData(context, name, optional);
        if (data) keysToPaths(data, items, mode, `ConfigMap ${name}`, optional, payload);
      } else if (source.secret) {
        const { name = '', items, optional = false } = source.secret;
        const data = await secretData(context, name, optional);
        if (data) keysToPaths(data, items, mode, `Secret ${name}`, optional, payload);
      } else if (source.downwardAPI) {
        downwardAPIFiles(source.downwardAPI.items ?? [], mode, context, payload);
      } else if (source.serviceAccountToken) {
        throw new VolumeError('serviceAccountToken projections are not supported yet');
      }
    }
    return payload;
  }
  return undefined;
}
