import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure, recordFailure } from './failure-log.js';

describe('describeFailure', () => {
  it('writes the step error and the component error that caused it, outermost first', () => {
    const inner = new TypeError('Registry is not a constructor');
    const outer = new Error('apiserver on 127.0.0.1:6443: Registry is not a constructor', {
      cause: inner,
    });
    const text = describeFailure(outer);
    expect(text.indexOf('Error: apiserver on 127.0.0.1:6443')).toBe(0);
    expect(text).toContain('\ncaused by: TypeError: Registry is not a constructor\n');
    expect(text).toContain('failure-log.test.ts');
  });

  it('writes a thrown value that is not an Error as its text', () => {
    expect(describeFailure('refused')).toBe('refused');
  });

  it('stops at a cause chain that loops back on itself', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(describeFailure(a).split('caused by:')).toHaveLength(2);
  });
});

describe('recordFailure', () => {
  let dir = '';
  afterEach(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('appends the time and the stack to the log file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-failure-log-'));
    const file = join(dir, 'up.log');
    const at = new Date('2026-12-06T19:00:00.000Z');
    expect(await recordFailure(file, new Error('first'), at)).toBe(true);
    expect(await recordFailure(file, new Error('second'), at)).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(
      text.startsWith('--- 2026-12-06T19:00:00.000Z skiff up failed to start\nError: first\n'),
    ).toBe(true);
    expect(text).toContain(
      '--- 2026-12-06T19:00:00.000Z skiff up failed to start\nError: second\n',
    );
  });

  it('reports a log it cannot write instead of throwing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-failure-log-'));
    expect(await recordFailure(join(dir, 'missing', 'up.log'), new Error('x'), new Date(0))).toBe(
      false,
    );
  });
});
