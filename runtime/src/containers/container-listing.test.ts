import { describe, expect, it } from 'vitest';
import type { ContainerRecord } from './container-record.js';
import { refreshedMatching } from './container-listing.js';
import { RuntimeError } from './errors.js';
import type { RecordFilter } from './filters.js';
import { runningRecord } from './testing/container-record-fixture.js';

function record(id: string, sandboxId: string, labels: Record<string, string>): ContainerRecord {
  return runningRecord({ id, sandboxId, name: id, labels });
}

/** A node of three pods with two containers each. */
function node(): Map<string, ContainerRecord> {
  const records = new Map<string, ContainerRecord>();
  for (const pod of ['pod-a', 'pod-b', 'pod-c']) {
    for (const name of ['app', 'sidecar']) {
      const id = `${pod}-${name}`;
      records.set(id, record(id, pod, { pod, container: name }));
    }
  }
  return records;
}

describe('refreshedMatching', () => {
  it.each<[string, RecordFilter, string[]]>([
    [
      'no filter',
      {},
      ['pod-a-app', 'pod-a-sidecar', 'pod-b-app', 'pod-b-sidecar', 'pod-c-app', 'pod-c-sidecar'],
    ],
    ['an id prefix', { id: 'pod-b-s' }, ['pod-b-sidecar']],
    ['a sandbox', { sandboxId: 'pod-c' }, ['pod-c-app', 'pod-c-sidecar']],
    ['a pod label', { labels: { pod: 'pod-a' } }, ['pod-a-app', 'pod-a-sidecar']],
    ['labels that match nothing', { labels: { pod: 'pod-z' } }, []],
  ])('with %s refreshes only the containers it lists', async (_what, filter, expected) => {
    const refreshedIds: string[] = [];
    const records = node();
    const listed = await refreshedMatching(records, filter, (id) => {
      refreshedIds.push(id);
      const found = records.get(id);
      if (found === undefined) throw new RuntimeError('NotFound', id);
      return Promise.resolve(found);
    });
    expect(listed.map((r) => r.id)).toEqual(expected);
    expect(refreshedIds).toEqual(expected);
  });

  it('leaves out a container removed while the list was being made', async () => {
    const records = node();
    const listed = await refreshedMatching(records, { sandboxId: 'pod-a' }, (id) => {
      const found = records.get(id);
      if (found === undefined || id === 'pod-a-app')
        return Promise.reject(new RuntimeError('NotFound', `container ${id} not found`));
      return Promise.resolve(found);
    });
    expect(listed.map((r) => r.id)).toEqual(['pod-a-sidecar']);
  });

  it('passes on any other failure of a refresh', async () => {
    const records = node();
    await expect(
      refreshedMatching(records, {}, () => Promise.reject(new Error('reading state: EIO'))),
    ).rejects.toThrow('EIO');
  });
});
