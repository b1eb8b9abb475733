import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../types/index.js';
import { FieldPath } from '../validation/field-error.js';
import { labelSelectorAsSelector, validateLabelSelector } from './label-selector.js';
import { LabelSelectorError, newRequirement } from './requirement.js';
import { Selector, everything, nothing, selectorFromSet } from './selector.js';

describe('everything and nothing', () => {
  it('everything matches any labels, even none', () => {
    expect(everything().matches({})).toBe(true);
    expect(everything().matches(undefined)).toBe(true);
    expect(everything().toString()).toBe('');
  });

  it('nothing matches no labels and stays nothing when requirements are added', () => {
    expect(nothing().matches({})).toBe(false);
    expect(nothing().add(newRequirement('a', 'exists')).matches({ a: 'x' })).toBe(false);
    expect(nothing().isNothing()).toBe(true);
  });
});

describe('labelSelectorAsSelector', () => {
  it('selects nothing for a missing selector and everything for an empty one', () => {
    expect(labelSelectorAsSelector(undefined).isNothing()).toBe(true);
    expect(labelSelectorAsSelector(null).isNothing()).toBe(true);
    expect(labelSelectorAsSelector({}).isEverything()).toBe(true);
    expect(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).isEverything()).toBe(
      true,
    );
  });

  it.each<[LabelSelector, string]>([
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] },
      'env in (dev,prod)',
    ],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['x'] }] }, 'env notin (x)'],
    [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, 'gpu'],
    [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }, '!gpu'],
    [
      {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }],
      },
      'app=web,tier in (fe)',
    ],
  ])('converts %j to %j', (ls, expected) => {
    expect(labelSelectorAsSelector(ls).toString()).toBe(expected);
  });

  it('matches what the object form says', () => {
    const s = labelSelectorAsSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
    });
    expect(s.matches({ app: 'web' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'db' })).toBe(false);
    expect(s.matches({ tier: 'fe' })).toBe(false);
  });

  it.each<[LabelSelector, string]>([
    [
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values set must be empty for exists and does not exist',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Within' as 'In', values: ['x'] }] },
      '"Within" is not a valid label selector operator',
    ],
    [{ matchLabels: { 'a/b/c': 'x' } }, 'a qualified name must consist of'],
  ])('rejects %j', (ls, message) => {
    expect(() => labelSelectorAsSelector(ls)).toThrow(LabelSelectorError);
    expect(() => labelSelectorAsSelector(ls)).toThrow(message);
  });
});

describe('validateLabelSelector', () => {
  const path = FieldPath.root('spec').child('selector');

  it.each<[LabelSelector, string, string, string]>([
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      'spec.selector.matchExpressions[0].values',
      'FieldValueRequired',
      "must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] },
      'spec.selector.matchExpressions[0].values',
      'FieldValueForbidden',
      "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] },
      'spec.selector.matchExpressions[0].operator',
      'FieldValueInvalid',
      'not a valid selector operator',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['ok', 'not ok'] }] },
      'spec.selector.matchExpressions[0].values[1]',
      'FieldValueInvalid',
      'a valid label must be an empty string',
    ],
    [
      { matchLabels: { '-a': 'x' } },
      'spec.selector.matchLabels',
      'FieldValueInvalid',
      'name part must consist of',
    ],
  ])('reports %j at %s as %s', (ls, field, type, detail) => {
    const errs = validateLabelSelector(ls, path);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ field, type });
    expect(errs[0]?.detail?.startsWith(detail)).toBe(true);
  });

  it('accepts a well-formed selector', () => {
    expect(
      validateLabelSelector(
        { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'x', operator: 'Exists' }] },
        path,
      ),
    ).toEqual([]);
  });
});

describe('selectorFromSet', () => {
  it('builds equality requirements sorted by key', () => {
    const s = selectorFromSet({ tier: 'fe', app: 'web' });
    expect(s.toString()).toBe('app=web,tier=fe');
    expect(s.requiresExactMatch('app')).toBe('web');
    expect(s.matches({ app: 'web', tier: 'fe', extra: '1' })).toBe(true);
  });

  it('selects everything for an empty set', () => {
    expect(selectorFromSet({})).toBe(Selector.everything);
  });
});
