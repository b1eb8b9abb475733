// Deleting connection-tracking entries with the `conntrack` tool (Debian package `conntrack`),
// as kube-proxy and the CNI portmap plugin do when a UDP Service or host port changes where it
// leads: UDP has no connection to end, so a client that keeps sending keeps matching its old
// entry — and its old NAT — for as long as it sends, unless the entry is deleted. Node cannot
// speak netfilter's netlink protocol, hence the tool. The runtime (host ports) and the proxy
// (Services) both use this module.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseConntrackFlows, type ConntrackFlow } from './flows.js';

/** The Debian package that has the `conntrack` program. */
export const CONNTRACK_PACKAGE = 'conntrack';

export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs the conntrack program with these arguments (in whatever network namespace it runs in). */
export type ConntrackRunner = (args: readonly string[]) => Promise<ToolResult>;

/**
 * Which entries to delete; every field given must match (conntrack's own filter semantics).
 * Addresses are IPv4 (skiff's pods and Services are).
 */
export interface ConntrackFilter {
  readonly protocol: 'udp' | 'tcp' | 'sctp';
  /** The original destination address (`--orig-dst`): a Service IP, a node address. */
  readonly origDst?: string;
  /** The original destination port (`--orig-port-dst`): a NodePort, a host port. */
  readonly origDstPort?: number;
  /** The reply's source address (`--reply-src`): where DNAT sent the flow. */
  readonly replySrc?: string;
}

export class ConntrackNotInstalledError extends Error {
  constructor(searched: string) {
    super(
      `the \`conntrack\` program is not installed (looked in ${searched}); it removes stale UDP ` +
        `connection-tracking entries: install the Debian package ${CONNTRACK_PACKAGE} ` +
        `(apt-get install -y ${CONNTRACK_PACKAGE})`,
    );
    this.name = 'ConntrackNotInstalledError';
  }
}

export class ConntrackError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: ToolResult,
  ) {
    super(`conntrack ${args.join(' ')}: exit ${result.exitCode}: ${result.stderr.trim()}`);
    this.name = 'ConntrackError';
  }
}

// Root's tools live in sbin, which a user's PATH often lacks.
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The conntrack program's absolute path, or a ConntrackNotInstalledError naming the package. */
export function findConntrack(
  searchPath = process.env.PATH ?? '',
  alsoIn: readonly string[] = SBIN,
): string {
  const dirs = [...searchPath.split(delimiter), ...alsoIn].filter((d) => d !== '');
  for (const dir of dirs) {
    const candidate = join(dir, 'conntrack');
    const stat = statSync(candidate, { throwIfNoEntry: false });
    if (stat?.isFile() === true && (stat.mode & 0o111) !== 0) return candidate;
  }
  throw new ConntrackNotInstalledError(dirs.join(delimiter));
}

/**
 * Runs conntrack (found on PATH or in sbin) behind `prefix`, e.g. `ip netns exec node-1` to act
 * on another network namespace's table. A missing program is a ConntrackNotInstalledError at
 * the first call, not at construction: a node that never changes a UDP mapping never needs it.
 */
export function conntrackRunner(prefix: readonly string[] = []): ConntrackRunner {
  return (args) => {
    const [file, ...rest] = [...prefix, findConntrack(), ...args];
    return new Promise((resolve, reject) => {
      const child = spawn(file ?? '', rest, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? -1 }));
    });
  };
}

export function filterArgs(filter: ConntrackFilter): string[] {
  return [
    '-p',
    filter.protocol,
    ...(filter.origDst !== undefined ? ['--orig-dst', filter.origDst] : []),
    ...(filter.origDstPort !== undefined ? ['--orig-port-dst', String(filter.origDstPort)] : []),
    ...(filter.replySrc !== undefined ? ['--reply-src', filter.replySrc] : []),
  ];
}

/** What conntrack says (and exits 1 with) when a delete matched nothing: not a failure. */
const NOTHING_DELETED = /\b0 flow entries have been deleted/;

export class Conntrack {
  constructor(private readonly run: ConntrackRunner = conntrackRunner()) {}

  /** The IPv4 flows of `protocol` in the table. */
  async list(protocol: ConntrackFilter['protocol']): Promise<ConntrackFlow[]> {
    const args = ['-L', '-f', 'ipv4', '-p', protocol];
    const result = await this.run(args);
    if (result.exitCode !== 0) throw new ConntrackError(args, result);
    return parseConntrackFlows(result.stdout);
  }

  /** Deletes the IPv4 entries matching `filter`; how many went. */
  async delete(filter: ConntrackFilter): Promise<number> {
    const args = ['-D', '-f', 'ipv4', ...filterArgs(filter)];
    const result = await this.run(args);
    if (result.exitCode !== 0 && !NOTHING_DELETED.test(result.stderr)) {
      throw new ConntrackError(args, result);
    }
    return parseConntrackFlows(result.stdout).length;
  }
}
