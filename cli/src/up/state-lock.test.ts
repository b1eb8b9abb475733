import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/skiff-process.js';
import { lockStateDir, StateDirLockedError } from './state-lock.js';

describe('lockStateDir', () => {
  it('refuses a second holder while the first holds it, and frees it on release', async () => {
    const dir = await tempDir('skiff-up-lock-');
    const path = join(dir, 'up.sock');
    const first = await lockStateDir(path, dir);
    await expect(lockStateDir(path, dir)).rejects.toThrow(StateDirLockedError);
    await expect(lockStateDir(path, dir)).rejects.toThrow(`state dir ${dir} is in use`);
    await first.release();
    const second = await lockStateDir(path, dir);
    await second.release();
  });

  it('takes over a lock file nobody listens on (left by a killed skiff up)', async () => {
    const dir = await tempDir('skiff-up-lock-');
    const path = join(dir, 'up.sock');
    await writeFile(path, '');
    const lock = await lockStateDir(path, dir);
    await lock.release();
  });
});
