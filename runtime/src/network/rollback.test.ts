import { describe, expect, it } from 'vitest';
import { Rollback, SetupFailedError } from './rollback.js';

describe('Rollback', () => {
  it('undoes registered steps newest first and rethrows the original failure with context', async () => {
    const undone: string[] = [];
    const rollback = new Rollback();
    rollback.add('first', async () => undone.push('first'));
    rollback.add('second', async () => undone.push('second'));

    const error = await rollback
      .fail('setting up x', new Error('step three broke'))
      .catch((e: unknown) => e);

    expect(undone).toEqual(['second', 'first']);
    expect(error).toBeInstanceOf(SetupFailedError);
    expect((error as Error).message).toBe('setting up x: step three broke');
  });

  it('keeps undoing after an undo fails, and names what may be left', async () => {
    const undone: string[] = [];
    const rollback = new Rollback();
    rollback.add('delete a', async () => undone.push('a'));
    rollback.add('delete b', async () => {
      throw new Error('busy');
    });

    const error = (await rollback
      .fail('setting up x', new Error('boom'))
      .catch((e: unknown) => e)) as SetupFailedError;

    expect(undone).toEqual(['a']);
    expect(error.rollbackFailures).toEqual(['delete b: busy']);
    expect(error.message).toBe(
      'setting up x: boom; rolling back also failed, so these may be left: delete b: busy',
    );
  });
});
