// Shared by the tests that build real kernel objects (netns, bridges, veths, NAT rules). Each test
// file gets its own bridge name, pod CIDR and sandbox-id prefix, so files running in parallel —
// and a real skiff0 on the same machine — never see each other's objects, and cleanup can find
// everything a file made by name even when the code under test misbehaved.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, run, tryRun } from './exec.js';

const ci = process.env.CI === 'true' || process.env.CI === '1';

/** Why this machine cannot run the kernel tests, or undefined if it can. */
export function kernelTestsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0)
    return 'pod network tests create namespaces and links: run them as root';
  if (findExecutable('ip', process.env.PATH ?? '') === undefined) {
    return '`ip` is missing (Debian: apt-get install -y iproute2)';
  }
  if (findExecutable('node', process.env.PATH ?? '') === undefined) {
    return '`node` is not on PATH, and the tests run TCP servers inside namespaces with it';
  }
  return undefined;
}

/**
 * Whether a test file should skip: only outside CI, and loudly. Under CI=true the file runs and its
 * first hook fails with `why`, so a machine that lacks something can never pass by skipping.
 */
export function skipOutsideCi(why: string | undefined, what: string): boolean {
  if (why === undefined) return false;
  if (ci) return false;
  console.warn(`skipping ${what}: ${why}`);
  return true;
}

export function failIfUnavailable(why: string | undefined): void {
  if (why !== undefined) throw new Error(`${why}; CI must provide it`);
}

export interface TestNetwork {
  readonly bridgeName: string;
  readonly podCidr: string;
  /** The pod CIDR is 10.<octets>.0/24. */
  readonly octets: readonly [number, number];
  /** Another unused /24, 10.<outsideOctets>.0/24, for a network standing in for the world. */
  readonly outsideOctets: readonly [number, number];
  readonly stateDir: string;
  readonly idPrefix: string;
  sandboxId(name: string): string;
}

export async function makeTestNetwork(): Promise<TestNetwork> {
  const tag = randomBytes(4).toString('hex');
  const octets = await unusedTenNetOctets();
  let outsideOctets = await unusedTenNetOctets();
  while (outsideOctets.join('.') === octets.join('.')) outsideOctets = await unusedTenNetOctets();
  const idPrefix = `t${tag}`;
  return {
    bridgeName: `skt${tag}`,
    podCidr: `10.${octets[0]}.${octets[1]}.0/24`,
    octets,
    outsideOctets,
    stateDir: mkdtempSync(join(tmpdir(), 'skiff-network-test-')),
    idPrefix,
    sandboxId: (name) => `${idPrefix}-${name}`,
  };
}

// 10.200-254.x.0/24, avoiding every subnet the host already routes, so a test can never shadow
// a real network of this machine.
async function unusedTenNetOctets(): Promise<[number, number]> {
  const routes = await run('ip', ['-j', '-4', 'route', 'show', 'table', 'all']);
  const taken = new Set<string>();
  for (const route of JSON.parse(routes) as { dst?: string }[]) {
    const match = /^10\.(\d+)\.(\d+)\./.exec(route.dst ?? '');
    if (match) taken.add(`${match[1]}.${match[2]}`);
  }
  for (;;) {
    const a = 200 + Math.floor(Math.random() * 55);
    const b = Math.floor(Math.random() * 256);
    if (!taken.has(`${a}.${b}`) && !taken.has(`${a}.0`)) return [a, b];
  }
}

/**
 * Deletes whatever a test file may have left, found by name rather than through the code under
 * test: namespaces and veths of its sandboxes, its bridge, its NAT rules and its state dir.
 * Collects failures and throws them together at the end, after trying everything.
 */
export async function removeTestLeftovers(
  net: TestNetwork,
  extraNetns: string[] = [],
): Promise<void> {
  const failures: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      failures.push(`${what}: ${(err as Error).message}`);
    }
  };
  for (const link of await leftoverVeths(net)) {
    await attempt(`veth ${link}`, () => tryRun('ip', ['link', 'delete', 'dev', link]));
  }
  for (const ns of [...(await leftoverNetns(net)), ...extraNetns]) {
    await attempt(`netns ${ns}`, () => tryRun('ip', ['netns', 'delete', ns]));
  }
  await attempt('bridge', () => tryRun('ip', ['link', 'delete', 'dev', net.bridgeName]));
  await attempt('NAT rules', () => removeNatRulesOf(net));
  rmSync(net.stateDir, { recursive: true, force: true });
  const left = [...(await leftoverVeths(net)), ...(await leftoverNetns(net))];
  if ((await tryRun('ip', ['link', 'show', 'dev', net.bridgeName])).exitCode === 0)
    left.push(net.bridgeName);
  if (left.length > 0) failures.push(`still present after deleting: ${left.join(', ')}`);
  if (failures.length > 0) throw new Error(`cleanup left things behind: ${failures.join('; ')}`);
}

/** Host veths whose alias names one of this file's sandboxes. */
export async function leftoverVeths(net: TestNetwork, idPrefix = net.idPrefix): Promise<string[]> {
  const links = JSON.parse(await run('ip', ['-j', 'link', 'show', 'type', 'veth'])) as {
    ifname: string;
    ifalias?: string;
  }[];
  return links
    .filter((l) => l.ifalias?.startsWith(`skiff-sandbox:${idPrefix}`))
    .map((l) => l.ifname);
}

export async function leftoverNetns(net: TestNetwork, idPrefix = net.idPrefix): Promise<string[]> {
  const out = await run('ip', ['-j', 'netns', 'list']);
  const list = out.trim() === '' ? [] : (JSON.parse(out) as { name: string }[]);
  return list
    .map((n) => n.name)
    .filter((n) => n.startsWith(`skiff-${idPrefix}`) || n.startsWith(idPrefix));
}

async function removeNatRulesOf(net: TestNetwork): Promise<void> {
  if (findExecutable('iptables', process.env.PATH ?? '') !== undefined) {
    for (const table of ['nat', 'filter']) {
      const rules = (await run('iptables', ['-w', '-t', table, '-S'])).split('\n');
      const ours = (r: string): boolean =>
        r.includes(`skiff ${net.bridgeName} `) || r.includes(`"skiff hostports ${net.bridgeName}"`);
      for (const rule of rules.filter((r) => r.startsWith('-A ') && ours(r))) {
        // `-S` prints rules in the syntax `-D` takes once -A becomes -D; quotes need no shell here
        // because the comment is the only quoted part and it has no quotes inside.
        const args = splitRule(rule.replace(/^-A /, '-D '));
        await run('iptables', ['-w', '-t', table, ...args]);
      }
    }
    for (const chain of [`SKIFF-HP-${net.bridgeName}`, `SKIFF-HPM-${net.bridgeName}`]) {
      if ((await tryRun('iptables', ['-w', '-t', 'nat', '-F', chain])).exitCode === 0) {
        await run('iptables', ['-w', '-t', 'nat', '-X', chain]);
      }
    }
  }
  if (findExecutable('nft', process.env.PATH ?? '') !== undefined) {
    await tryRun('nft', ['delete', 'table', 'ip', `skiff_${net.bridgeName}`]);
    await tryRun('nft', ['delete', 'table', 'ip', `skiff_hostports_${net.bridgeName}`]);
  }
}

function splitRule(rule: string): string[] {
  return [...rule.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/**
 * A namespace standing in for another machine: on a veth of its own to the host (10.<outside>.1
 * on the host end, .2 inside), routed to the host and nothing else. Removed by
 * removeTestLeftovers(net, [outside.netns]) (the veth goes with the namespace).
 */
export interface OutsideNetwork {
  readonly netns: string;
  /** The host's address on the link: what the outside connects to, and sees NATed traffic from. */
  readonly hostIp: string;
  readonly ip: string;
}

export async function makeOutsideNetwork(net: TestNetwork): Promise<OutsideNetwork> {
  const netns = `${net.idPrefix}-outside`;
  const [a, b] = net.outsideOctets;
  const hostIp = `10.${a}.${b}.1`;
  const ip = `10.${a}.${b}.2`;
  const hostEnd = `${net.bridgeName}o`;
  await run('ip', ['netns', 'add', netns]);
  await run('ip', ['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  await run('ip', ['addr', 'add', `${hostIp}/24`, 'dev', hostEnd]);
  await run('ip', ['link', 'set', 'dev', hostEnd, 'up']);
  await run('ip', ['-n', netns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
  await run('ip', ['-n', netns, 'link', 'set', 'dev', 'eth0', 'up']);
  return { netns, hostIp, ip };
}

/** A TCP server inside a namespace that answers each connection with the peer's address. */
export interface EchoServer {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startEchoServer(netns: string, port = 8080): Promise<EchoServer> {
  const script = [
    "const s = require('node:net').createServer((c) => c.end(c.remoteAddress + '\\n'));",
    `s.listen(${port}, '0.0.0.0', () => console.log('listening'));`,
  ].join(' ');
  const child = spawn('ip', ['netns', 'exec', netns, 'node', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, 'listening', `echo server in ${netns}`);
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

function waitForLine(child: ChildProcess, line: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start in 10 s: ${err}`)),
      10_000,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${err}`));
    });
  });
}

/** Connects from the host's namespace; resolves with the server's reply (our address as it saw it). */
export function askFromHost(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 5000 });
    let reply = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (reply += chunk));
    socket.on('end', () => resolve(reply.trim()));
    socket.on('timeout', () => {
      socket.destroy();
      reject(new Error(`connecting to ${host}:${port} from the host timed out`));
    });
    socket.on('error', (err) =>
      reject(new Error(`connecting to ${host}:${port} from the host: ${err.message}`)),
    );
  });
}

/** Connects from inside `netns` with a one-shot node client; resolves with the server's reply. */
export async function askFromNetns(
  netns: string,
  host: string,
  port: number,
  timeoutMs = 5000,
): Promise<string> {
  const script = [
    `const c = require('node:net').connect({ host: '${host}', port: ${port}, timeout: ${timeoutMs} });`,
    "let d = ''; c.setEncoding('utf8').on('data', (x) => (d += x));",
    "c.on('end', () => console.log(d.trim()));",
    "c.on('timeout', () => { console.error('timed out'); process.exit(2); });",
    "c.on('error', (e) => { console.error(e.message); process.exit(1); });",
  ].join(' ');
  return (await run('ip', ['netns', 'exec', netns, 'node', '-e', script])).trim();
}
