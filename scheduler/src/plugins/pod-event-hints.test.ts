// The QueueingHints of the plugins that reject pods for what other pods are (InterPodAffinity,
// PodTopologySpread): given an assigned pod added, updated or deleted, is the parked pod worth
// another try? Each case is (parked pod, the change as Kubernetes' oldObj/newObj) → verdict:
// only a change that can move the plugin's verdict queues.
import { selectorFromSet, type Pod } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import {
  ActionType,
  type ClusterEvent,
  type EnqueueExtensions,
  type Plugin,
  type QueueingHint,
} from '../framework/index.js';
import { decodeInterPodAffinityArgs, InterPodAffinity } from './inter-pod-affinity.js';
import { PodTopologySpread } from './pod-topology-spread.js';
import { decodePodTopologySpreadArgs } from './pod-topology-spread-args.js';
import { snapshotOf } from './testing/plugin-harness.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** The hint a plugin registered for Pod events, applied to the change. */
function podHint(
  plugin: EnqueueExtensions & Plugin,
  parked: Pod,
  oldObj: Pod | undefined,
  newObj: Pod | undefined,
): QueueingHint {
  const registered = plugin
    .eventsToRegister()
    .find((e: ClusterEvent) => e.resource === 'Pod' && (e.action & ActionType.Add) !== 0);
  if (!registered?.queueingHint) throw new Error(`${plugin.name}: no hint for Pod events`);
  return registered.queueingHint(parked, oldObj, newObj);
}

/** An assigned pod (bound to node n1) in `namespace` with these labels. */
const bound = (labels: Record<string, string>, namespace = 'default') =>
  makePod().name('other').namespace(namespace).labels(labels).node('n1');
const unbound = (labels: Record<string, string>) =>
  makePod().name('pending').namespace('default').labels(labels).obj();

const term = (app: string, topologyKey = HOST) => ({
  topologyKey,
  labelSelector: { matchLabels: { app } },
});

describe('InterPodAffinity QueueingHint on an assigned pod added, updated or deleted', () => {
  const ipa = new InterPodAffinity(decodeInterPodAffinityArgs({}), snapshotOf([]));
  const wantsDb = makePod().name('p').namespace('default').podAffinity(term('db')).obj();
  const avoidsWeb = makePod().name('p').namespace('default').podAntiAffinity(term('web')).obj();
  const wantsDbAndCache = makePod()
    .name('p')
    .namespace('default')
    .podAffinity(term('db'))
    .podAffinity({ topologyKey: ZONE, labelSelector: { matchLabels: { tier: 'cache' } } })
    .obj();
  const labelledApi = makePod().name('p').namespace('default').labels({ app: 'api' }).obj();
  // An existing pod whose own required anti-affinity keeps `api` pods away.
  const keepsApiAway = bound({ app: 'solo' }).podAntiAffinity(term('api')).obj();

  it.each<[string, Pod, Pod | undefined, Pod | undefined, QueueingHint]>([
    [
      'added: matches the required affinity',
      wantsDb,
      undefined,
      bound({ app: 'db' }).obj(),
      'Queue',
    ],
    [
      'added: matches nothing the pod wants',
      wantsDb,
      undefined,
      bound({ app: 'web' }).obj(),
      'QueueSkip',
    ],
    [
      'added: in another namespace than the term covers',
      wantsDb,
      undefined,
      bound({ app: 'db' }, 'other').obj(),
      'QueueSkip',
    ],
    [
      'added: matches one of two terms only (one pod must satisfy all)',
      wantsDbAndCache,
      undefined,
      bound({ app: 'db' }).obj(),
      'QueueSkip',
    ],
    [
      'added: matches every term',
      wantsDbAndCache,
      undefined,
      bound({ app: 'db', tier: 'cache' }).obj(),
      'Queue',
    ],
    ['added: not assigned to a node', wantsDb, undefined, unbound({ app: 'db' }), 'QueueSkip'],
    [
      'added: a pod the anti-affinity avoids (can only make it worse)',
      avoidsWeb,
      undefined,
      bound({ app: 'web' }).obj(),
      'QueueSkip',
    ],
    [
      'deleted: a pod the anti-affinity avoided',
      avoidsWeb,
      bound({ app: 'web' }).obj(),
      undefined,
      'Queue',
    ],
    ['deleted: an unrelated pod', avoidsWeb, bound({ app: 'db' }).obj(), undefined, 'QueueSkip'],
    [
      'deleted: a pod the affinity wanted (can only make it worse)',
      wantsDb,
      bound({ app: 'db' }).obj(),
      undefined,
      'QueueSkip',
    ],
    [
      'deleted: an existing pod whose anti-affinity rejected it',
      labelledApi,
      keepsApiAway,
      undefined,
      'Queue',
    ],
    [
      'updated: labels now match the required affinity',
      wantsDb,
      bound({ app: 'web' }).obj(),
      bound({ app: 'db' }).obj(),
      'Queue',
    ],
    [
      'updated: matched the affinity before and still does',
      wantsDb,
      bound({ app: 'db' }).obj(),
      bound({ app: 'db', v: '2' }).obj(),
      'QueueSkip',
    ],
    [
      'updated: labels no longer match the anti-affinity',
      avoidsWeb,
      bound({ app: 'web' }).obj(),
      bound({ app: 'web2' }).obj(),
      'Queue',
    ],
    [
      'updated: labels now match the anti-affinity',
      avoidsWeb,
      bound({ app: 'db' }).obj(),
      bound({ app: 'web' }).obj(),
      'QueueSkip',
    ],
    ['an event without its objects', wantsDb, undefined, undefined, 'Queue'],
  ])('%s → %s', (_what, parked, oldObj, newObj, expected) => {
    expect(podHint(ipa, parked, oldObj, newObj)).toBe(expected);
  });
});

describe('PodTopologySpread QueueingHint on an assigned pod added, updated or deleted', () => {
  /** A web pod spreading over zones among web pods, rejecting or only scoring. */
  const spreading = (whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway'): Pod =>
    makePod()
      .name('p')
      .namespace('default')
      .labels({ app: 'web' })
      .topologySpreadConstraint({
        maxSkew: 1,
        topologyKey: ZONE,
        whenUnsatisfiable,
        labelSelector: { matchLabels: { app: 'web' } },
      })
      .obj();
  const spreadWeb = spreading('DoNotSchedule');
  const onlyScheduleAnyway = spreading('ScheduleAnyway');
  const pts = new PodTopologySpread(decodePodTopologySpreadArgs({}), snapshotOf([]));
  // Cluster defaults (List) whose selector is the pod's workload: a ReplicaSet selecting app=api.
  const withDefaults = new PodTopologySpread(
    decodePodTopologySpreadArgs({
      defaultingType: 'List',
      defaultConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule' }],
    }),
    snapshotOf([], { defaultSelector: () => selectorFromSet({ app: 'api' }) }),
  );
  const api = makePod().name('p').namespace('default').labels({ app: 'api' }).obj();

  it.each<[string, PodTopologySpread, Pod, Pod | undefined, Pod | undefined, QueueingHint]>([
    [
      'added: the selector matches it',
      pts,
      spreadWeb,
      undefined,
      bound({ app: 'web' }).obj(),
      'Queue',
    ],
    [
      'added: the selector does not match it',
      pts,
      spreadWeb,
      undefined,
      bound({ app: 'db' }).obj(),
      'QueueSkip',
    ],
    [
      'added: in another namespace (not counted)',
      pts,
      spreadWeb,
      undefined,
      bound({ app: 'web' }, 'other').obj(),
      'QueueSkip',
    ],
    [
      'added: not assigned to a node',
      pts,
      spreadWeb,
      undefined,
      unbound({ app: 'web' }),
      'QueueSkip',
    ],
    [
      'deleted: the selector matched it',
      pts,
      spreadWeb,
      bound({ app: 'web' }).obj(),
      undefined,
      'Queue',
    ],
    [
      'deleted: an unrelated pod',
      pts,
      spreadWeb,
      bound({ app: 'db' }).obj(),
      undefined,
      'QueueSkip',
    ],
    [
      'updated: labels now match the selector',
      pts,
      spreadWeb,
      bound({ app: 'db' }).obj(),
      bound({ app: 'web' }).obj(),
      'Queue',
    ],
    [
      'updated: labels no longer match the selector',
      pts,
      spreadWeb,
      bound({ app: 'web' }).obj(),
      bound({ app: 'db' }).obj(),
      'Queue',
    ],
    [
      'updated: labels changed, matching unchanged',
      pts,
      spreadWeb,
      bound({ app: 'web' }).obj(),
      bound({ app: 'web', v: '2' }).obj(),
      'QueueSkip',
    ],
    [
      'added: only ScheduleAnyway constraints (they never reject)',
      pts,
      onlyScheduleAnyway,
      undefined,
      bound({ app: 'web' }).obj(),
      'QueueSkip',
    ],
    [
      'added: a pod of the workload the default constraints select',
      withDefaults,
      api,
      undefined,
      bound({ app: 'api' }).obj(),
      'Queue',
    ],
    [
      'added: a pod outside that workload',
      withDefaults,
      api,
      undefined,
      bound({ app: 'web' }).obj(),
      'QueueSkip',
    ],
    ['an event without its objects', pts, spreadWeb, undefined, undefined, 'Queue'],
  ])('%s → %s', (_what, plugin, parked, oldObj, newObj, expected) => {
    expect(podHint(plugin, parked, oldObj, newObj)).toBe(expected);
  });
});
