import { describe, expect, it } from 'vitest';
import { isMirrorPod, staticPodFromManifest } from './static-pod-manifest.js';

const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx
`;

describe('staticPodFromManifest', () => {
  it('names the pod <name>-<nodeName>, binds it to the node and annotates its source and hash', () => {
    const pod = staticPodFromManifest(manifest, '/etc/kubernetes/manifests/web.yaml', 'Node-1');
    const hash = pod.metadata.annotations?.['kubernetes.io/config.hash'] ?? '';
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(pod.metadata).toEqual({
      name: 'web-node-1',
      namespace: 'default',
      uid: hash,
      labels: { app: 'web' },
      annotations: { 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.source': 'file' },
    });
    expect(pod.spec.nodeName).toBe('Node-1');
    expect(isMirrorPod(pod)).toBe(false);
  });

  it('gives the same manifest the same UID, and another content or node another', () => {
    const uid = (text: string, node: string): string | undefined =>
      staticPodFromManifest(text, 'f', node).metadata.uid;
    expect(uid(manifest, 'node-1')).toBe(uid(JSON.stringify(parseLike()), 'node-1'));
    expect(uid(manifest.replace('image: nginx', 'image: nginx:2'), 'node-1')).not.toBe(
      uid(manifest, 'node-1'),
    );
    expect(uid(manifest, 'node-2')).not.toBe(uid(manifest, 'node-1'));
  });

  it('keeps a namespace the manifest names', () => {
    const pod = staticPodFromManifest(
      manifest.replace('  name: web', '  name: web\n  namespace: kube-system'),
      'f',
      'n',
    );
    expect(pod.metadata.namespace).toBe('kube-system');
  });

  it.each([
    ['not YAML', 'kind: [', 'web.yaml: not valid YAML or JSON'],
    [
      'another kind',
      manifest.replace('kind: Pod', 'kind: Deployment'),
      'want one object of apiVersion "v1", kind "Pod"',
    ],
    ['no name', manifest.replace('  name: web\n', ''), 'web.yaml: metadata.name: Required value'],
    [
      'no containers',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n',
      'spec.containers: Required value',
    ],
  ])('refuses %s naming the file', (_name, text, message) => {
    expect(() => staticPodFromManifest(text, 'web.yaml', 'node-1')).toThrow(message);
  });
});

function parseLike(): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
  };
}
