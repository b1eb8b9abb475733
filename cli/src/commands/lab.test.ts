// `skiff lab`'s command line as a process: usage errors, and exec/down on a state dir holding no
// lab. (A real lab, up to down, is cli/src/lab/lab.netns.test.ts.)
import { describe, expect, it } from 'vitest';
import { startSkiff, tempDir } from '../testing/skiff-process.js';

describe.skipIf(process.getuid?.() !== 0)('skiff lab (root)', () => {
  it.each([
    [[], 2, 'want up, exec or down'],
    [['up'], 2, '--state-dir is required'],
    [
      ['up', '--state-dir', '/tmp/x', '--routing', 'bgp'],
      2,
      '--routing "bgp": want host-gw or vxlan',
    ],
    [['exec', '--state-dir', '/tmp/x'], 2, 'want <vm> --state-dir <dir>'],
    [['down'], 2, '--state-dir is required'],
  ])('skiff lab %j exits %i: %s', async (args, code, message) => {
    const proc = startSkiff(['lab', ...args]);
    expect(await proc.exit).toBe(code);
    expect(proc.errors()).toContain(message);
  });

  it('exec and down on a state dir without a lab say so, and down changes nothing', async () => {
    const dir = await tempDir();
    const exec = startSkiff(['lab', 'exec', 'node-1', '--state-dir', dir, '--', 'true']);
    expect(await exec.exit).toBe(1);
    expect(exec.errors()).toContain(`no lab recorded in ${dir}`);
    const down = startSkiff(['lab', 'down', '--state-dir', dir]);
    expect(await down.exit).toBe(0);
    expect(down.output()).toContain('nothing to remove');
  });
});
