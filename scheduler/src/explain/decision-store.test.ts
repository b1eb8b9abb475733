import { describe, expect, it } from 'vitest';
import { NO_SCORES, scoreTableOf, Status } from '../framework/index.js';
import { RecordedDecision, winnerMessage } from './decision.js';
import { DecisionStore } from './decision-store.js';

const decision = (pod: string, nodes = 0): RecordedDecision =>
  new RecordedDecision(
    { pod, attempt: 1, time: '2026-01-01T00:00:00.000Z', node: null, message: 'm' },
    [],
    new Map(
      Array.from({ length: nodes }, (_, i) => [
        `n${i}`,
        new Status('Unschedulable', ['Insufficient cpu'], 'NodeResourcesFit'),
      ]),
    ),
    NO_SCORES,
  );

describe('DecisionStore', () => {
  it('keeps the latest decision per pod and evicts the least recently recorded beyond the pod cap', () => {
    const store = new DecisionStore(2);
    store.record(decision('ns/a'));
    store.record(decision('ns/b'));
    store.record(decision('ns/a'));
    store.record(decision('ns/c'));
    expect(store.list().map((d) => d.pod)).toEqual(['ns/c', 'ns/a']);
    expect(store.get('ns/b')).toBeUndefined();
  });

  it('evicts to stay under its byte cap, but always keeps the newest', () => {
    const store = new DecisionStore(100, 15_000);
    store.record(decision('ns/a', 100));
    store.record(decision('ns/b', 100));
    expect(store.list().map((d) => d.pod)).toEqual(['ns/b']);
    expect(store.size().bytes).toBeLessThanOrEqual(15_000);
    store.record(decision('ns/huge', 1000));
    expect(store.list().map((d) => d.pod)).toEqual(['ns/huge']);
  });
});

describe('RecordedDecision', () => {
  it('lists passed nodes best first with each plugin score, then rejected nodes with plugin and reason', () => {
    const d = new RecordedDecision(
      { pod: 'ns/p', attempt: 2, time: 't', node: 'b', message: 'why' },
      ['a', 'b'],
      new Map([
        [
          'c',
          new Status(
            'UnschedulableAndUnresolvable',
            ['node(s) had untolerated taint {k: v}'],
            'TaintToleration',
          ),
        ],
      ]),
      scoreTableOf([
        {
          name: 'a',
          scores: [{ plugin: 'NodeResourcesFit', raw: 50, normalized: 50, weighted: 50 }],
          total: 50,
        },
        {
          name: 'b',
          scores: [{ plugin: 'NodeResourcesFit', raw: 75, normalized: 75, weighted: 75 }],
          total: 75,
        },
      ]),
    );
    expect(JSON.parse(JSON.stringify(d))).toEqual({
      pod: 'ns/p',
      attempt: 2,
      time: 't',
      node: 'b',
      message: 'why',
      nodes: [
        {
          name: 'b',
          filter: null,
          scores: { NodeResourcesFit: { raw: 75, normalized: 75, weighted: 75 } },
          total: 75,
        },
        {
          name: 'a',
          filter: null,
          scores: { NodeResourcesFit: { raw: 50, normalized: 50, weighted: 50 } },
          total: 50,
        },
        {
          name: 'c',
          filter: { plugin: 'TaintToleration', reason: 'node(s) had untolerated taint {k: v}' },
          scores: {},
          total: 0,
        },
      ],
    });
  });

  it.each<[string, [string, number][], string]>([
    [
      'a later, higher total becomes best and the earlier best the runner-up',
      [
        ['d', 90],
        ['a', 120],
        ['e', 120],
        ['b', 200],
        ['f', 150],
        ['c', 200],
      ],
      'b scored highest with 200 (tied with 1 other node(s), picked at random) of 6 feasible nodes among 6 evaluated; next best f with 150',
    ],
    [
      'the first of equal runners-up',
      [
        ['b', 200],
        ['a', 120],
        ['e', 120],
      ],
      'b scored highest with 200 of 3 feasible nodes among 3 evaluated; next best a with 120',
    ],
    [
      'all tied: no runner-up',
      [
        ['b', 50],
        ['a', 50],
      ],
      'b scored highest with 50 (tied with 1 other node(s), picked at random) of 2 feasible nodes among 2 evaluated',
    ],
  ])('names the runner-up: %s', (_name, totals, expected) => {
    const scores = scoreTableOf(totals.map(([name, total]) => ({ name, scores: [], total })));
    expect(winnerMessage('b', scores, scores.length, scores.length)).toBe(expected);
  });

  it('says why the winner won', () => {
    const scores = scoreTableOf([
      { name: 'a', scores: [], total: 120 },
      { name: 'b', scores: [], total: 200 },
      { name: 'c', scores: [], total: 200 },
    ]);
    expect(winnerMessage('b', scores, 3, 5)).toBe(
      'b scored highest with 200 (tied with 1 other node(s), picked at random) of 3 feasible nodes among 5 evaluated; next best a with 120',
    );
    expect(winnerMessage('a', NO_SCORES, 1, 4)).toBe(
      'a was the only node of 4 evaluated that passed every filter',
    );
  });
});
