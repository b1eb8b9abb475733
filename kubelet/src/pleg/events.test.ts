import { describe, expect, it } from 'vitest';
import {
  eventTypesFor,
  generateEvents,
  type PlegContainerState,
  type PodLifecycleEventType,
  type RelistRecord,
} from './events.js';

function record(pods: Record<string, Record<string, PlegContainerState>>): RelistRecord {
  return new Map(Object.entries(pods).map(([uid, cs]) => [uid, new Map(Object.entries(cs))]));
}

describe('eventTypesFor', () => {
  const table: [PlegContainerState, PlegContainerState, PodLifecycleEventType[]][] = [
    ['non-existent', 'running', ['ContainerStarted']],
    ['exited', 'running', ['ContainerStarted']],
    ['running', 'exited', ['ContainerDied']],
    ['non-existent', 'exited', ['ContainerDied']],
    ['running', 'unknown', ['ContainerChanged']],
    ['exited', 'non-existent', ['ContainerRemoved']],
    ['running', 'non-existent', ['ContainerDied', 'ContainerRemoved']],
    ['unknown', 'non-existent', ['ContainerDied', 'ContainerRemoved']],
    ['running', 'running', []],
    ['exited', 'exited', []],
  ];
  it.each(table)('%s → %s gives %j', (from, to, want) => {
    expect(eventTypesFor(from, to)).toEqual(want);
  });
});

describe('generateEvents', () => {
  it('reports nothing when nothing changed', () => {
    const r = record({ p1: { c1: 'running', s1: 'running' } });
    expect(generateEvents(r, r)).toEqual([]);
  });

  it('reports every container of a pod that appeared', () => {
    const events = generateEvents(record({}), record({ p1: { s1: 'running', c1: 'running' } }));
    expect(events).toEqual([
      { id: 'p1', type: 'ContainerStarted', data: 'c1' },
      { id: 'p1', type: 'ContainerStarted', data: 's1' },
    ]);
  });

  it('reports a restart as a death and a start of two containers', () => {
    const events = generateEvents(
      record({ p1: { c1: 'running' } }),
      record({ p1: { c1: 'exited', c2: 'running' } }),
    );
    expect(events).toEqual([
      { id: 'p1', type: 'ContainerDied', data: 'c1' },
      { id: 'p1', type: 'ContainerStarted', data: 'c2' },
    ]);
  });

  it('reports a pod removed at once, its running containers dying first', () => {
    const events = generateEvents(
      record({ p1: { c1: 'running', c2: 'exited' }, p2: { c3: 'running' } }),
      record({ p2: { c3: 'running' } }),
    );
    expect(events).toEqual([
      { id: 'p1', type: 'ContainerDied', data: 'c1' },
      { id: 'p1', type: 'ContainerRemoved', data: 'c1' },
      { id: 'p1', type: 'ContainerRemoved', data: 'c2' },
    ]);
  });
});
