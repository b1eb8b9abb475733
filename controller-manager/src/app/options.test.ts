import { describe, expect, it } from 'vitest';
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
