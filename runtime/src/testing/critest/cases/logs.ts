// Container logs: the CRI format at the path the kubelet asked for, and ReopenContainerLog after
// the log was rotated away.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { eventually } from '@skiff/api/testing';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, sharedPod, startIn, waitForState } from '../pods.js';

interface LogLine {
  readonly time: Date;
  readonly stream: string;
  readonly tag: string;
  readonly content: string;
}

// `<RFC3339Nano> <stdout|stderr> <F|P> <content>`
const CRI_LINE =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) (F|P) (.*)$/;

function parseLog(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const m = CRI_LINE.exec(line);
      if (m === null) throw new Error(`not a CRI log line: ${JSON.stringify(line)}`);
      return {
        time: new Date(m[1] ?? ''),
        stream: m[2] ?? '',
        tag: m[3] ?? '',
        content: m[4] ?? '',
      };
    });
}

async function readIfThere(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

export function logCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'logs');

  it('writes stdout and stderr in the CRI log format at the requested path', async () => {
    const started = Date.now();
    const id = await startIn(
      target(),
      shared,
      makeContainer(target(), 'talker', 'echo hello out; echo hello err >&2; echo bye'),
    );
    const status = await waitForState(target(), id, 'CONTAINER_EXITED');
    const { pod } = await shared();
    const path = join(pod.logDirectory, 'talker.log');
    expect(status.log_path).toBe(path);
    const lines = parseLog(await readFile(path, 'utf8'));
    const full = lines.filter((l) => l.tag === 'F');
    expect(full.filter((l) => l.stream === 'stdout').map((l) => l.content)).toEqual([
      'hello out',
      'bye',
    ]);
    expect(full.filter((l) => l.stream === 'stderr').map((l) => l.content)).toEqual(['hello err']);
    for (const line of lines) {
      expect(line.time.getTime()).toBeGreaterThanOrEqual(started - 2000);
      expect(line.time.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
    }
  });

  it('reopens the log file after it was rotated away (ReopenContainerLog)', async () => {
    const id = await startIn(
      target(),
      shared,
      makeContainer(
        target(),
        'rotated',
        'i=0; while :; do echo line$i; i=$((i+1)); sleep 0.1; done',
      ),
    );
    const { pod } = await shared();
    const path = join(pod.logDirectory, 'rotated.log');
    await eventually('the first lines', async () =>
      (await readIfThere(path)).includes('line2') ? true : undefined,
    );
    await rename(path, `${path}.1`);
    await runtimeCall(target(), 'ReopenContainerLog', { container_id: id });
    const fresh = await eventually('lines in the reopened file', async () => {
      const text = await readIfThere(path);
      return text.split('\n').length > 3 ? text : undefined;
    });
    const lines = parseLog(fresh);
    expect(lines.every((l) => l.stream === 'stdout' && /^line\d+$/.test(l.content))).toBe(true);
    // The rotated file stopped growing: nothing is written to the old inode any more.
    const rotated = await readFile(`${path}.1`, 'utf8');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await readFile(`${path}.1`, 'utf8')).toBe(rotated);
    await runtimeCall(target(), 'StopContainer', { container_id: id, timeout: 0 });
  });
}
