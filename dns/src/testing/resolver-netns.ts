// A network namespace with a resolv.conf of its own, to watch the system resolver (glibc, through
// `getent`) use skiff dns as a pod's would. `ip netns exec` bind-mounts /etc/netns/<name>/* over
// /etc, so the namespace reads the resolv.conf written there; a veth pair joins it to the host,
// where the DNS server listens on the veth's host-side address, port 53.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

export interface ResolverNetns {
  readonly name: string;
  /** The host side's address: where the DNS server must listen (port 53). */
  readonly hostIP: string;
  /** Writes the namespace's /etc/resolv.conf. */
  writeResolvConf(text: string): void;
  /**
   * `getent <database> <keys…>` inside the namespace: its output, or its exit code on failure.
   * Asynchronous: the DNS server it asks usually runs in this very process.
   */
  getent(database: string, ...keys: string[]): Promise<{ status: number; stdout: string }>;
  destroy(): void;
}

/** Why this machine cannot run the test, or undefined when it can. */
export function resolverNetnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    execFileSync('getent', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    return `iproute2 and getent are needed (${String(err)})`;
  }
  return undefined;
}

const ip = (...args: string[]): string =>
  execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A 10.x.y.0/30 no route of this host covers, so the test never shadows a real network. */
function unusedSubnet(): [number, number] {
  const routes = JSON.parse(ip('-j', '-4', 'route', 'show', 'table', 'all')) as { dst?: string }[];
  const taken = new Set(
    routes.flatMap(
      (r) =>
        /^10\.(\d+)\.(\d+)\./
          .exec(r.dst ?? '')
          ?.slice(1, 3)
          .join('.') ?? [],
    ),
  );
  for (;;) {
    const candidate: [number, number] = [
      200 + ((randomBytes(1)[0] ?? 0) % 55),
      randomBytes(1)[0] ?? 0,
    ];
    if (!taken.has(candidate.join('.'))) return candidate;
  }
}

export function createResolverNetns(): ResolverNetns {
  const tag = randomBytes(3).toString('hex');
  const name = `skdns${tag}`;
  const hostLink = `skd${tag}h`;
  const nsLink = `skd${tag}n`;
  const [b, c] = unusedSubnet();
  const hostIP = `10.${b}.${c}.1`;
  const nsIP = `10.${b}.${c}.2`;
  const etc = `/etc/netns/${name}`;
  const destroy = (): void => {
    // Deleting the namespace deletes its end of the veth, and with it the host's end.
    for (const args of [
      ['netns', 'del', name],
      ['link', 'del', hostLink],
    ]) {
      try {
        ip(...args);
      } catch (err) {
        if (!/Cannot find|No such|not find/i.test(String(err))) throw err;
      }
    }
    rmSync(etc, { recursive: true, force: true });
  };
  try {
    ip('netns', 'add', name);
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink);
    ip('link', 'set', nsLink, 'netns', name);
    ip('addr', 'add', `${hostIP}/30`, 'dev', hostLink);
    ip('link', 'set', hostLink, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${nsIP}/30`, 'dev', nsLink);
    ip('netns', 'exec', name, 'ip', 'link', 'set', nsLink, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    mkdirSync(etc, { recursive: true });
  } catch (err) {
    destroy();
    throw err;
  }
  return {
    name,
    hostIP,
    writeResolvConf: (text) => writeFileSync(`${etc}/resolv.conf`, text),
    getent: (database, ...keys) =>
      new Promise((resolve) => {
        execFile(
          'ip',
          ['netns', 'exec', name, 'getent', database, ...keys],
          { encoding: 'utf8', timeout: 30_000 },
          (err, stdout) => {
            // getent's exit code is the answer when it fails (2: key not found).
            const code = err && typeof err.code === 'number' ? err.code : err ? -1 : 0;
            resolve({ status: code, stdout });
          },
        );
      }),
    destroy,
  };
}
