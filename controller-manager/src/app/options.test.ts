import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { selectControllers } from './options.js';

describe('--controllers', () => {
  const all = [
    'replicaset',
    'deployment',
    'endpoint',
    'endpointslice',
    'nodelifecycle',
    'nodeipam',
    'garbagecollector',
    'namespace',
    'podgc',
  ];
  it.each([
    [['*'], all],
    [['*', '-endpoint'], all.filter((c) => c !== 'endpoint')],
    [['-nodeipam', '*'], all.filter((c) => c !== 'nodeipam')],
    [
      ['replicaset', 'endpoint'],
      ['replicaset', 'endpoint'],
    ],
    [['-replicaset', 'replicaset'], []],
    [[], []],
  ])('%j selects %j', (list, selected) => {
    expect(selectControllers(list)).toEqual(selected);
  });

  it('refuses a name kube-controller-manager does not know', () => {
    expect(() => selectControllers(['*', '-replicasets'])).toThrow(
      '"replicasets" is not in the list of known controllers',
    );
  });
});

describe('durations', () => {
  it.each([
    ['15s', 15_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['1.5s', 1_500],
    ['0', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '15', 's', '10x', '1s2'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow('invalid duration');
  });
});
