import { everything } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import type { Client } from '@skiff/client';
import { describe, expect, it } from 'vitest';
import { Snapshot } from '../cache/index.js';
import { ConfigError, nameLabelOnly, type Handle } from '../framework/index.js';
import { inTreeRegistry } from '../plugins/registry.js';
import { buildFramework } from './build.js';
import { API_VERSION, decodeSchedulerConfig, defaultSchedulerConfig, KIND } from './config.js';

const handle: Handle = {
  snapshot: () => new Snapshot(),
  client: {} as Pick<Client, 'pods'>,
  clock: new FakeClock(),
  namespaceLabels: nameLabelOnly,
  defaultSelector: () => everything(),
};
const build = (doc: Record<string, unknown>) => {
  const config = decodeSchedulerConfig({ apiVersion: API_VERSION, kind: KIND, ...doc });
  return config.profiles.map((p) =>
    buildFramework(p, {
      registry: inTreeRegistry,
      handle,
      percentageOfNodesToScore: config.percentageOfNodesToScore,
    }),
  );
};
const names = (list: readonly { name: string }[]): string[] => list.map((p) => p.name);

describe('KubeSchedulerConfiguration', () => {
  it('defaults to one default-scheduler profile with Kubernetes plugin order and weights', () => {
    const config = defaultSchedulerConfig();
    expect(config.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler']);
    expect(config).toMatchObject({ podInitialBackoffMs: 1000, podMaxBackoffMs: 10_000 });
    expect(config.leaderElection).toMatchObject({
      leaderElect: true,
      resourceNamespace: 'kube-system',
      resourceName: 'kube-scheduler',
    });
    const [fwk] = build({});
    if (!fwk) throw new Error('no framework');
    expect(names(fwk.plugins.filter)).toEqual([
      'NodeUnschedulable',
      'NodeName',
      'TaintToleration',
      'NodeAffinity',
      'NodePorts',
      'NodeResourcesFit',
      'PodTopologySpread',
      'InterPodAffinity',
    ]);
    expect(fwk.plugins.score.map((s) => [s.plugin.name, s.weight])).toEqual([
      ['TaintToleration', 3],
      ['NodeAffinity', 2],
      ['NodeResourcesFit', 1],
      ['PodTopologySpread', 2],
      ['InterPodAffinity', 2],
      ['NodeResourcesBalancedAllocation', 1],
      ['ImageLocality', 1],
    ]);
    expect(fwk.plugins.queueSort.name).toBe('PrioritySort');
    expect(names(fwk.plugins.bind)).toEqual(['DefaultBinder']);
  });

  it('applies per-point disables, weights and plugin args; profiles keep their own settings', () => {
    const [a, b] = build({
      percentageOfNodesToScore: 30,
      podInitialBackoffSeconds: 2,
      profiles: [
        {
          schedulerName: 'packer',
          percentageOfNodesToScore: 70,
          plugins: {
            score: {
              disabled: [{ name: 'NodeResourcesBalancedAllocation' }],
              enabled: [{ name: 'NodeResourcesFit', weight: 5 }],
            },
          },
          pluginConfig: [
            { name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } },
          ],
        },
        { schedulerName: 'no-scores', plugins: { score: { disabled: [{ name: '*' }] } } },
      ],
    });
    expect(a?.profileName).toBe('packer');
    expect(a?.percentageOfNodesToScore).toBe(70);
    expect(a?.plugins.score.map((s) => [s.plugin.name, s.weight])).toEqual([
      ['TaintToleration', 3],
      ['NodeAffinity', 2],
      ['NodeResourcesFit', 5],
      ['PodTopologySpread', 2],
      ['InterPodAffinity', 2],
      ['ImageLocality', 1],
    ]);
    expect(b?.percentageOfNodesToScore).toBe(30);
    expect(b?.plugins.score).toEqual([]);
    expect(names(b?.plugins.filter ?? [])).toContain('NodeResourcesFit');
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown top-level field',
      { percentageOfNodes: 5 },
      'percentageOfNodes: Invalid value: unknown field',
    ],
    [
      'an unknown plugin',
      { profiles: [{ plugins: { filter: { enabled: [{ name: 'Nope' }] } } }] },
      'profiles[0].plugins.filter.enabled[0].name: Invalid value: "Nope": no such plugin',
    ],
    [
      'a weight of 0',
      { profiles: [{ plugins: { score: { enabled: [{ name: 'NodeAffinity', weight: 0 }] } } }] },
      'profiles[0].plugins.score.enabled[0].weight: Invalid value: 0',
    ],
    [
      'a fractional weight',
      { profiles: [{ plugins: { score: { enabled: [{ name: 'NodeAffinity', weight: 1.5 }] } } }] },
      'profiles[0].plugins.score.enabled[0].weight: Invalid value: 1.5',
    ],
    [
      'a plugin at a point it does not implement',
      { profiles: [{ plugins: { score: { enabled: [{ name: 'NodeName' }] } } }] },
      'profiles[0].plugins.score.enabled[0].name: Invalid value: "NodeName": plugin does not extend Score',
    ],
    [
      'bad plugin args',
      {
        profiles: [
          {},
          {
            schedulerName: 'x',
            pluginConfig: [
              { name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'Nope' } } },
            ],
          },
        ],
      },
      'profiles[1].pluginConfig[0].args.scoringStrategy.type: Unsupported value: "Nope"',
    ],
    [
      'args of another kind than the plugin’s',
      {
        profiles: [
          { pluginConfig: [{ name: 'PodTopologySpread', args: { kind: 'NodeAffinityArgs' } }] },
        ],
      },
      'profiles[0].pluginConfig[0].args.kind: Unsupported value: "NodeAffinityArgs": supported values: "PodTopologySpreadArgs"',
    ],
    [
      'PodTopologySpread args with the System defaults and constraints of their own',
      {
        profiles: [
          {
            pluginConfig: [
              {
                name: 'PodTopologySpread',
                args: {
                  defaultConstraints: [
                    { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
                  ],
                },
              },
            ],
          },
        ],
      },
      'profiles[0].pluginConfig[0].args.defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
    ],
    [
      'args for an unknown plugin',
      { profiles: [{ pluginConfig: [{ name: 'Nope', args: {} }] }] },
      'profiles[0].pluginConfig[0].name',
    ],
    [
      'a duplicate scheduler name',
      { profiles: [{}, {}] },
      'profiles[1].schedulerName: Duplicate value: "default-scheduler"',
    ],
    [
      'an unknown profile field',
      { profiles: [{ plugin: {} }] },
      'profiles[0].plugin: Invalid value: unknown field',
    ],
    [
      'percentageOfNodesToScore over 100',
      { percentageOfNodesToScore: 101 },
      'percentageOfNodesToScore: Invalid value: 101',
    ],
    [
      'a max backoff under the initial',
      { podInitialBackoffSeconds: 5, podMaxBackoffSeconds: 2 },
      'podMaxBackoffSeconds',
    ],
    [
      'a bad lease duration',
      { leaderElection: { leaseDuration: 'soon' } },
      'leaderElection.leaseDuration: Invalid value: "soon"',
    ],
    [
      'no queue sort',
      { profiles: [{ plugins: { queueSort: { disabled: [{ name: '*' }] } } }] },
      'profiles[0].plugins.queueSort',
    ],
  ])('refuses %s with the field path', (_name, doc, message) => {
    expect(() => build(doc)).toThrow(ConfigError);
    expect(() => build(doc)).toThrow(message);
  });

  it('takes plugin args that name their apiVersion and kind, as Kubernetes documents do', () => {
    const [profile] = decodeSchedulerConfig({
      apiVersion: API_VERSION,
      kind: KIND,
      profiles: [
        {
          pluginConfig: [
            {
              name: 'PodTopologySpread',
              args: {
                apiVersion: API_VERSION,
                kind: 'PodTopologySpreadArgs',
                defaultingType: 'List',
              },
            },
          ],
        },
      ],
    }).profiles;
    expect(profile?.pluginArgs.get('PodTopologySpread')?.args).toEqual({ defaultingType: 'List' });
  });

  it('reads leader election timings as durations', () => {
    const config = decodeSchedulerConfig({
      apiVersion: API_VERSION,
      kind: KIND,
      leaderElection: {
        leaderElect: false,
        leaseDuration: '30s',
        renewDeadline: '20s',
        retryPeriod: '1500ms',
      },
    });
    expect(config.leaderElection).toMatchObject({
      leaderElect: false,
      leaseDurationMs: 30_000,
      renewDeadlineMs: 20_000,
      retryPeriodMs: 1500,
    });
  });

  it('refuses another apiVersion', () => {
    expect(() =>
      decodeSchedulerConfig({ apiVersion: 'kubescheduler.config.k8s.io/v1beta3', kind: KIND }),
    ).toThrow('apiVersion: Unsupported value');
  });
});
