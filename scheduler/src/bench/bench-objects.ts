// The nodes and pods both scheduler benchmarks use, SchedulingBasic's shape: nodes with 32 cpu,
// 256 GiB and 110 pods in three zones; pods requesting 100m / 500Mi. With spreadAffinity every
// pod also carries a zone spread constraint (maxSkew 1, DoNotSchedule), required anti-affinity
// by hostname and preferred affinity by zone with the other pods of its group of 100 —
// PodTopologySpread and InterPodAffinity, Kubernetes' slowest plugins, on every pod.
import type { Node, Pod } from '@skiff/api';
import { makeNode, makePod } from '@skiff/api/testing';

export const ZONE = 'topology.kubernetes.io/zone';
export const HOSTNAME = 'kubernetes.io/hostname';

export function benchNode(i: number): Node {
  return makeNode()
    .name(`node-${i}`)
    .labels({ [ZONE]: `zone-${i % 3}`, [HOSTNAME]: `node-${i}` })
    .capacity({ cpu: '32', memory: '256Gi', pods: '110' })
    .obj();
}

export function benchPod(i: number, spreadAffinity: boolean): Pod {
  const pod = makePod()
    .name(`p-${i}`)
    .namespace('bench')
    .requests({ cpu: '100m', memory: '500Mi' });
  if (!spreadAffinity) return pod.obj();
  const group = { matchLabels: { group: `g-${Math.floor(i / 100)}` } };
  return pod
    .labels(group.matchLabels)
    .topologySpreadConstraint({
      maxSkew: 1,
      topologyKey: ZONE,
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: group,
    })
    .podAntiAffinity({ topologyKey: HOSTNAME, labelSelector: group })
    .preferredPodAffinity(1, { topologyKey: ZONE, labelSelector: group })
    .obj();
}
