import type { Pod } from '@skiff/api';
import { makePod } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { deletionCost, podsToDelete, POD_DELETION_COST_ANNOTATION } from './victims.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const ago = (ms: number): string => new Date(now - ms).toISOString();
const running = (name: string) =>
  makePod()
    .name(name)
    .namespace('ns')
    .node('n1')
    .phase('Running')
    .creationTimestamp(ago(3_600_000));
const readySince = (msAgo: number) => ({ lastTransitionTime: ago(msAgo) });

/** Which of two pods goes first. */
function first(a: Pod, b: Pod): string | undefined {
  const fromAB = podsToDelete([a, b], [a, b], 1, now)[0]?.metadata.name;
  const fromBA = podsToDelete([b, a], [b, a], 1, now)[0]?.metadata.name;
  expect(fromAB).toBe(fromBA);
  return fromAB;
}

describe('scale-down victim order', () => {
  it.each([
    {
      rule: 'unassigned before assigned',
      doomed: makePod().name('doomed').phase('Running').obj(),
      kept: running('kept').obj(),
    },
    {
      rule: 'pending before running',
      doomed: running('doomed').phase('Pending').obj(),
      kept: running('kept').obj(),
    },
    {
      rule: 'unknown before running',
      doomed: running('doomed').phase('Unknown').obj(),
      kept: running('kept').obj(),
    },
    {
      rule: 'pending before unknown',
      doomed: running('doomed').phase('Pending').obj(),
      kept: running('kept').phase('Unknown').obj(),
    },
    {
      rule: 'not ready before ready',
      doomed: running('doomed').ready(false).obj(),
      kept: running('kept').ready().obj(),
    },
    {
      rule: 'lower deletion cost first, even when ready',
      doomed: running('doomed')
        .ready()
        .annotations({ [POD_DELETION_COST_ANNOTATION]: '-5' })
        .obj(),
      kept: running('kept').ready().obj(),
    },
    {
      rule: 'ready for a shorter time first',
      doomed: running('doomed').condition('Ready', 'True', readySince(1_000)).obj(),
      kept: running('kept').condition('Ready', 'True', readySince(600_000)).obj(),
    },
    {
      rule: 'more restarts first',
      doomed: running('doomed')
        .status({ containerStatuses: [containerStatus(7)] })
        .obj(),
      kept: running('kept')
        .status({ containerStatuses: [containerStatus(1)] })
        .obj(),
    },
    {
      rule: 'newer first',
      doomed: running('doomed').creationTimestamp(ago(1_000)).obj(),
      kept: running('kept').creationTimestamp(ago(7_200_000)).obj(),
    },
  ])('$rule', ({ doomed, kept }) => {
    expect(first(doomed, kept)).toBe('doomed');
  });

  it('deletes a pod doubled up on a node before one alone on its node', () => {
    const a = running('a').node('busy').obj();
    const b = running('b').node('busy').obj();
    const alone = running('alone').node('quiet').obj();
    const victims = podsToDelete([alone, a, b], [alone, a, b], 1, now).map((p) => p.metadata.name);
    expect(victims).not.toContain('alone');
  });

  it('treats ages in the same power of two as equal and breaks the tie by uid', () => {
    // 1000 s and 1001 s ago share a log2 bucket: the lower uid goes, not the newer pod.
    const newer = running('newer').uid('b').creationTimestamp(ago(1_000_000)).obj();
    const older = running('older').uid('a').creationTimestamp(ago(1_001_000)).obj();
    expect(first(newer, older)).toBe('older');
  });

  it('answers every pod when asked for at least as many, none for zero', () => {
    const pods = [running('a').obj(), running('b').obj()];
    expect(podsToDelete(pods, pods, 5, now)).toHaveLength(2);
    expect(podsToDelete(pods, pods, 0, now)).toEqual([]);
  });

  it.each([
    ['100', 100],
    ['-3', -3],
    ['1.5', 0],
    ['abc', 0],
    ['99999999999', 0],
  ])('reads the deletion cost %s as %d', (text, cost) => {
    expect(
      deletionCost(
        running('p')
          .annotations({ [POD_DELETION_COST_ANNOTATION]: text })
          .obj(),
      ),
    ).toBe(cost);
  });
});

function containerStatus(restartCount: number) {
  return { name: 'app', ready: true, restartCount, image: 'nginx', imageID: '' };
}
