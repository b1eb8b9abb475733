import { describe, expect, it } from 'vitest';
import { findExecutable } from './exec.js';
import { Iproute } from './iproute.js';

const ipPath = findExecutable('ip', process.env.PATH ?? '');

describe('Iproute.batch', () => {
  it.each([
    ['a space', 'skiff sandbox'],
    ['a quote', 'it"s'],
    ['a comment sign', '#1'],
    ['nothing at all', ''],
  ])('refuses an argument with %s, which a batch line would split or drop', async (_what, arg) => {
    // Refused before anything runs, so the path need not even exist.
    const ip = new Iproute('/nonexistent/ip');
    await expect(ip.batch([['link', 'set', 'dev', 'eth0', 'alias', arg]])).rejects.toThrow(
      `cannot pass ${JSON.stringify(arg)} to ip in a batch`,
    );
  });

  it.skipIf(ipPath === undefined)(
    "quotes the whole batch and ip's reason when a line fails",
    async () => {
      const ip = new Iproute(ipPath ?? 'ip');
      await expect(
        ip.batch([
          ['link', 'show', 'dev', 'lo'],
          ['link', 'show', 'dev', 'skiffnosuchdev'],
        ]),
      ).rejects.toThrow(
        /-batch - << link show dev lo; link show dev skiffnosuchdev` exited with 1: .*skiffnosuchdev/s,
      );
    },
  );
});
