import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandError, findExecutable, run, tryRun } from './exec.js';

// Real processes: node itself stands in for a command that prints, fails or reads stdin.

describe('run', () => {
  it('returns stdout of a command that exits 0, feeding it the input', async () => {
    const echo = 'process.stdin.pipe(process.stdout)';
    expect(await run(process.execPath, ['-e', echo], { input: 'table ip x {}' })).toBe(
      'table ip x {}',
    );
  });

  it('names the command, its exit code and its stderr when it fails', async () => {
    const fail = "console.error('RTNETLINK answers: File exists'); process.exit(2)";
    const error = await run(process.execPath, ['-e', fail]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toMatchObject({ exitCode: 2, stderr: 'RTNETLINK answers: File exists\n' });
    expect((error as Error).message).toBe(
      `\`${process.execPath} -e ${fail}\` exited with 2: RTNETLINK answers: File exists`,
    );
  });

  it('says so when the command cannot start at all', async () => {
    await expect(run('/nonexistent/ip', ['link'])).rejects.toThrow(
      /^`\/nonexistent\/ip link` could not start \(spawn \/nonexistent\/ip ENOENT\)$/,
    );
  });

  it('kills a command that outlives its timeout', async () => {
    await expect(
      run(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 200 }),
    ).rejects.toThrow('was killed after 200 ms');
  });

  it('lets tryRun report a non-zero exit without throwing', async () => {
    expect(await tryRun(process.execPath, ['-e', 'process.exit(1)'])).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 1,
    });
  });
});

describe('findExecutable', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-exec-test-'));
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'tool'), 0o755);
    writeFileSync(join(dir, 'notes'), 'not executable');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: 'tool', found: true },
    { name: 'notes', found: false },
    { name: 'missing', found: false },
  ])('finds $name on the search path: $found', ({ name, found }) => {
    const searchPath = ['/nonexistent', '', dir].join(delimiter);
    expect(findExecutable(name, searchPath)).toBe(found ? join(dir, name) : undefined);
  });
});
