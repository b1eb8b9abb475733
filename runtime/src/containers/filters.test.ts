import { describe, expect, it } from 'vitest';
import { matchesContainerState, matchesRecordFilter, type RecordFilter } from './filters.js';

const record = { id: 'abc123', sandboxId: 'pod789', labels: { app: 'web', tier: 'front' } };

describe('matchesRecordFilter', () => {
  it.each<[string, RecordFilter, boolean]>([
    ['an empty filter', {}, true],
    ['an id prefix', { id: 'abc' }, true],
    ['another id', { id: 'abd' }, false],
    ['a sandbox id prefix', { sandboxId: 'pod7' }, true],
    ['another sandbox', { sandboxId: 'pod8' }, false],
    ['a subset of the labels', { labels: { app: 'web' } }, true],
    ['a label with another value', { labels: { app: 'db' } }, false],
    ['every field at once', { id: 'a', sandboxId: 'p', labels: { tier: 'front' } }, true],
    ['every field but one wrong', { id: 'a', sandboxId: 'q', labels: { tier: 'front' } }, false],
  ])('with %s, matching is %s', (_what, filter, expected) => {
    expect(matchesRecordFilter(record, filter)).toBe(expected);
  });

  it('treats a sandbox id filter as unmatched by a record without a sandbox', () => {
    expect(matchesRecordFilter({ id: 'x', labels: {} }, { sandboxId: 'p' })).toBe(false);
  });
});

describe('matchesContainerState', () => {
  it.each<[string | number | null | undefined, boolean]>([
    [undefined, true],
    [null, true],
    ['CONTAINER_RUNNING', true],
    ['CONTAINER_EXITED', false],
    [1, true],
    [2, false],
    [9, false],
  ])('for a running container and a wanted state of %s is %s', (wanted, expected) => {
    expect(matchesContainerState('CONTAINER_RUNNING', wanted)).toBe(expected);
  });
});
