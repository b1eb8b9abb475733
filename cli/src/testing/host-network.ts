// What a `skiff up` cluster takes from and leaves on this machine, for the tests and the benchmark
// that start one (no test framework here): pod addresses no route uses, and the removal of what
// a runtime leaves by design — its bridge and NAT rules — and of a state dir with nothing mounted.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A 10.x.y.0/24 no route of this machine uses, so the test's pods never shadow a network. With
 * `nodes` above 1, the blocks the other nodes take after it (`skiff up --nodes`) are free too.
 */
export async function unusedPodCidr(nodes = 1): Promise<string> {
  const { stdout } = await run('ip', ['-4', 'route', 'show', 'table', 'all']);
  for (let i = 0; ; i++) {
    const second = 200 + Math.floor(Math.random() * 55);
    const third = Math.floor(Math.random() * (257 - nodes));
    const blocks = Array.from({ length: nodes }, (_, n) => `10.${second}.${third + n}.`);
    if (blocks.every((block) => !stdout.includes(block))) return `${blocks[0] ?? ''}0/24`;
    if (i > 100) throw new Error('no unused pod CIDR');
  }
}

/** What a runtime leaves on the host by design once its pods are gone: its bridge and NAT. */
export async function removeBridgeAndRules(bridge: string): Promise<void> {
  await run('ip', ['link', 'delete', 'dev', bridge]).catch((err: unknown) => {
    if (!String((err as { stderr?: unknown }).stderr).includes('Cannot find device')) throw err;
  });
  for (const table of ['nat', 'filter']) {
    const { stdout } = await run('iptables', ['-w', '-t', table, '-S']);
    for (const rule of stdout.split('\n').filter((r) => r.includes(`skiff ${bridge} `))) {
      const args = [...rule.replace(/^-A /, '-D ').matchAll(/"([^"]*)"|(\S+)/g)].map(
        (m) => m[1] ?? m[2] ?? '',
      );
      await run('iptables', ['-w', '-t', table, ...args]);
    }
  }
}

export async function removeIfUnmounted(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((path) => path.startsWith(`${dir}/`));
  // Never rm -rf through a mount: that would delete inside a container's filesystem.
  if (mounts.length > 0) throw new Error(`still mounted, ${dir} kept: ${mounts.join(', ')}`);
  await rm(dir, { recursive: true, force: true });
}
