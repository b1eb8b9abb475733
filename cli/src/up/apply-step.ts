// The last steps of `skiff up --apply <path>`: create the manifests' objects, wait until they
// run, and show the pods with their IPs, so a newcomer sees the demo answer right away.
import { resolve } from 'node:path';
import { errorMessage } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import { createManifests, readManifests, waitForManifests } from './apply-manifests.js';
import type { Progress } from './progress.js';

/** Where a Service of the manifests answers: the first one with a ClusterIP. */
export interface AppliedService {
  readonly name: string;
  readonly clusterIP: string;
  readonly port: number;
  readonly nodePort?: number;
}

export interface AppliedManifests {
  readonly ok: boolean;
  readonly podIP?: string;
  readonly service?: AppliedService;
}

export async function applyAndWait(
  path: string,
  kubeconfig: string,
  progress: Progress,
  signal: AbortSignal,
): Promise<AppliedManifests> {
  const client = await clientFromKubeconfig({ kubeconfig });
  try {
    const manifests = await readManifests(resolve(path));
    const lines = await progress.step(`applying ${path}`, 'the apiserver to accept it', () =>
      createManifests(client, manifests),
    );
    for (const line of lines) progress.line(`    ${line}`);
    await progress.step(
      'waiting for the manifests to run',
      'every Deployment available, every Pod Running',
      () =>
        waitForManifests(
          client,
          manifests,
          AbortSignal.any([signal, AbortSignal.timeout(300_000)]),
        ),
    );
    const namespaces = new Set(manifests.map((m) => m.object.metadata.namespace ?? 'default'));
    let podIP: string | undefined;
    let service: AppliedService | undefined;
    for (const ns of namespaces) {
      for (const svc of (await client.services(ns).list()).items) {
        const name = svc.metadata.name ?? '';
        const port = svc.spec.ports?.[0];
        const ip = svc.spec.clusterIP;
        const ours = manifests.some(
          (m) => m.object.kind === 'Service' && m.object.metadata.name === name,
        );
        if (!ours || port === undefined || ip === undefined || ip === 'None') continue;
        service ??= {
          name,
          clusterIP: ip,
          port: port.port,
          ...(port.nodePort !== undefined && { nodePort: port.nodePort }),
        };
      }
      for (const pod of (await client.pods(ns).list()).items) {
        const ip = pod.status?.podIP ?? '-';
        if (pod.status?.phase === 'Running') podIP ??= pod.status.podIP;
        progress.line(
          `    ${(pod.metadata.name ?? '').padEnd(28)} ${(pod.status?.phase ?? '').padEnd(10)} ${ip.padEnd(15)} ${pod.spec?.nodeName ?? ''}`,
        );
      }
    }
    return {
      ok: true,
      ...(podIP !== undefined && { podIP }),
      ...(service !== undefined && { service }),
    };
  } catch (err) {
    progress.line(`skiff up: --apply ${path}: ${errorMessage(err)} (the cluster keeps running)`);
    return { ok: false };
  } finally {
    client.close();
  }
}
