// Network namespace cookies against the real kernel (root): namespaces of the test's own.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  failIfUnavailable,
  kernelTestsUnavailable,
  skipOutsideCi,
} from '../network/kernel-test-kit.js';
import { netnsCookie } from './netns-cookie.js';

const unavailable = kernelTestsUnavailable();
const ip = (args: readonly string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

describe.skipIf(skipOutsideCi(unavailable, 'the network namespace cookie tests'))(
  'netnsCookie',
  () => {
    const made: string[] = [];
    const netns = (): string => {
      const name = `skiff-cookie-${randomBytes(3).toString('hex')}`;
      ip(['netns', 'add', name]);
      made.push(name);
      return `/run/netns/${name}`;
    };

    beforeAll(() => failIfUnavailable(unavailable));
    afterEach(() => {
      for (const name of made.splice(0)) ip(['netns', 'del', name]);
    });

    it("reads the same cookie for a namespace every time, and this process's own without a path", async () => {
      const path = netns();
      expect(await netnsCookie(path)).toBe(await netnsCookie(path));
      expect(await netnsCookie()).toBe(await netnsCookie('/proc/self/ns/net'));
    });

    it('gives two namespaces two cookies, and a namespace made after one is deleted a new one', async () => {
      const first = netns();
      const second = netns();
      const cookies = new Set([await netnsCookie(first), await netnsCookie(second)]);
      expect(cookies.size).toBe(2);
      ip(['netns', 'del', made.splice(0, 1)[0] ?? '']);
      // The kernel may hand the freed inode number to the next namespace; never its cookie.
      const third = await netnsCookie(netns());
      expect(cookies.has(third)).toBe(false);
      expect(third).not.toBe(await netnsCookie());
    });

    it('says which namespace it could not enter', async () => {
      await expect(netnsCookie('/run/netns/skiff-cookie-missing')).rejects.toThrow(
        /skiff-cookie-missing/,
      );
    });
  },
);
