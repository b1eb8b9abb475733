// What a container recorded before skiff kept its stdio is taken to have: read from its process.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { eventually } from '@skiff/api/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { stdioOfOlderRecord } from './container-record.js';

describe('the stdio of a container recorded before skiff kept it', () => {
  const children: ChildProcess[] = [];
  /** Grandchildren (the pipeline's sleep), which killing their shell would leave behind. */
  const orphans: number[] = [];
  const sleeper = async (): Promise<number> => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(child);
    await once(child, 'spawn');
    return child.pid ?? -1;
  };
  /** A process reading an anonymous pipe, as conmon gives a container (Node's 'pipe' is a socket). */
  const pipeReader = async (): Promise<number> => {
    const shell = spawn('sh', ['-c', 'echo | sleep 30'], { stdio: 'ignore' });
    children.push(shell);
    await once(shell, 'spawn');
    const sh = shell.pid ?? -1;
    return eventually('the sleep reading the pipe', async () => {
      const kids = (await readFile(`/proc/${sh}/task/${sh}/children`, 'utf8')).trim().split(' ');
      for (const kid of kids.filter((k) => k !== '')) {
        const comm = await readFile(`/proc/${kid}/comm`, 'utf8').catch(() => '');
        if (comm.trim() !== 'sleep') continue;
        orphans.push(Number(kid));
        return Number(kid);
      }
      return undefined;
    });
  };
  afterEach(() => {
    children.splice(0).forEach((c) => c.kill('SIGKILL'));
    orphans.splice(0).forEach((pid) => process.kill(pid, 'SIGKILL'));
  });

  it('is a stdin that closes when the attach leaves, for a process reading a pipe', async () => {
    expect(await stdioOfOlderRecord(await pipeReader())).toEqual({
      stdin: true,
      stdinOnce: true,
      tty: false,
    });
  });

  it('is no stdin for a process reading /dev/null, or one that is gone', async () => {
    const none = { stdin: false, stdinOnce: false, tty: false };
    expect(await stdioOfOlderRecord(await sleeper())).toEqual(none);
    expect(await stdioOfOlderRecord(2 ** 22 + 1)).toEqual(none);
  });
});
