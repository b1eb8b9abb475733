// A static pod manifest (`--pod-manifest-path`/staticPodPath) → the pod the kubelet runs, as
// Kubernetes' file source makes it: named `<name>-<nodeName>`, namespace "default" unless set,
// bound to this node, its UID the hash of the manifest and node (so a changed file is a new pod,
// and the same file the same pod across restarts), and annotated with where it came from.
import { createHash } from 'node:crypto';
import type { Pod } from '@skiff/api';
import { parse as parseYaml } from 'yaml';

export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';
export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
export const FILE_SOURCE = 'file';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses one manifest (YAML or JSON); throws naming the file on anything that is not a Pod. */
export function staticPodFromManifest(text: string, path: string, nodeName: string): Pod {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(
      `${path}: not valid YAML or JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!isObject(doc) || doc['kind'] !== 'Pod' || doc['apiVersion'] !== 'v1') {
    throw new Error(`${path}: want one object of apiVersion "v1", kind "Pod"`);
  }
  const metadata = doc['metadata'];
  const spec = doc['spec'];
  if (!isObject(metadata) || typeof metadata['name'] !== 'string' || metadata['name'] === '') {
    throw new Error(`${path}: metadata.name: Required value`);
  }
  if (!isObject(spec) || !Array.isArray(spec['containers']) || spec['containers'].length === 0) {
    throw new Error(`${path}: spec.containers: Required value`);
  }
  const pod = structuredClone(doc) as unknown as Pod;
  const name = `${metadata['name']}-${nodeName}`.toLowerCase();
  const namespace = pod.metadata.namespace ?? 'default';
  // The hash covers the manifest as bound to this node, before the kubelet's own annotations.
  const hashed: Pod = {
    ...pod,
    metadata: { ...pod.metadata, name, namespace },
    spec: { ...pod.spec, nodeName },
  };
  delete hashed.status;
  const hash = createHash('md5').update(JSON.stringify(hashed)).update(nodeName).digest('hex');
  return {
    ...hashed,
    metadata: {
      ...hashed.metadata,
      uid: pod.metadata.uid ?? hash,
      annotations: {
        ...hashed.metadata.annotations,
        [CONFIG_HASH_ANNOTATION]: hash,
        [CONFIG_SOURCE_ANNOTATION]: FILE_SOURCE,
      },
    },
  };
}

/** Whether an API pod is the mirror of a static pod (and so never run from the API). */
export function isMirrorPod(pod: Readonly<Pod>): boolean {
  return pod.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}
