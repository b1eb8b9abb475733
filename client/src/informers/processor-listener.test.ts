import { describe, expect, it } from 'vitest';
import type { Notification } from './event-handler.js';
import { ProcessorListener } from './processor-listener.js';

type Obj = { name: string };
const add = (name: string): Notification<Obj> => ({
  type: 'add',
  obj: { name },
  isInInitialList: false,
});

/** Resolves once every queued microtask and promise continuation so far has run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ProcessorListener', () => {
  it('awaits an async handler before its next notification, so its order holds', async () => {
    const seen: string[] = [];
    const gates: (() => void)[] = [];
    const listener = new ProcessorListener<Obj>(
      {
        onAdd: (obj) => {
          seen.push(`start ${obj.name}`);
          return new Promise<void>((resolve) =>
            gates.push(() => {
              seen.push(`end ${obj.name}`);
              resolve();
            }),
          );
        },
      },
      () => undefined,
      () => undefined,
    );
    listener.push(add('a'));
    listener.push(add('b'));
    await settle();
    expect(seen).toEqual(['start a']);
    gates.shift()?.();
    await settle();
    expect(seen).toEqual(['start a', 'end a', 'start b']);
    gates.shift()?.();
    await settle();
    expect(seen).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('reports a rejected handler promise and goes on with the next notification', async () => {
    const logged: string[] = [];
    const seen: string[] = [];
    const listener = new ProcessorListener<Obj>(
      {
        onAdd: async (obj) => {
          seen.push(obj.name);
          if (obj.name === 'bad') throw new Error('handler broke');
        },
      },
      () => undefined,
      (message) => logged.push(message),
    );
    listener.push(add('bad'));
    listener.push(add('good'));
    await settle();
    expect(seen).toEqual(['bad', 'good']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('an event handler failed on add');
    expect(logged[0]).toContain('handler broke');
  });

  it('reports a handler that throws synchronously and delivers the rest in the same pass', async () => {
    const logged: string[] = [];
    const seen: string[] = [];
    const listener = new ProcessorListener<Obj>(
      {
        onAdd: (obj) => {
          seen.push(obj.name);
          if (obj.name === 'bad') throw new Error('sync failure');
        },
      },
      () => undefined,
      (message) => logged.push(message),
    );
    listener.push(add('bad'));
    listener.push(add('good'));
    await settle();
    expect(seen).toEqual(['bad', 'good']);
    expect(logged.join('\n')).toContain('sync failure');
  });

  it('is synced only after every notification before the marker was handled', async () => {
    let release: () => void = () => undefined;
    const listener = new ProcessorListener<Obj>(
      { onAdd: () => new Promise<void>((resolve) => (release = resolve)) },
      () => undefined,
      () => undefined,
    );
    listener.push(add('a'));
    listener.push({ type: 'synced' });
    await settle();
    expect(listener.hasSynced()).toBe(false);
    release();
    await settle();
    expect(listener.hasSynced()).toBe(true);
  });
});
