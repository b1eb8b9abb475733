// The iproute2 `ip` command, reduced to what the pod network needs and read through its JSON
// output (`ip -j`), so nothing depends on the layout of its human-readable tables.
import { stat } from 'node:fs/promises';
import { CommandError, run, tryRun, type CommandResult } from './exec.js';

/** Where `ip netns add` mounts named namespaces (and what `ip netns list` lists). */
const netnsDir = '/run/netns';

export interface LinkInfo {
  readonly name: string;
  readonly up: boolean;
  /** "bridge", "veth", … ; undefined for plain devices. */
  readonly kind: string | undefined;
  readonly alias: string | undefined;
  readonly master: string | undefined;
}

export interface Ipv4Address {
  readonly address: string;
  readonly prefixLength: number;
}

export class Iproute {
  constructor(readonly path: string) {}

  run(args: readonly string[]): Promise<string> {
    return run(this.path, args);
  }

  /** Like run, but resolves with a failed command's result instead of throwing. */
  tryRun(args: readonly string[]): Promise<CommandResult> {
    return tryRun(this.path, args);
  }

  /**
   * Runs several commands in one `ip` process (`ip -batch -`), inside `netns` if given; stops at
   * the first that fails. Every `ip` process costs a few milliseconds to start, several times what
   * the kernel needs for a link or address change, so a pod's setup sends its steps in batches.
   */
  async batch(commands: readonly (readonly string[])[], netns?: string): Promise<void> {
    for (const arg of commands.flat()) {
      // A batch line is split on whitespace and quotes; our arguments never need either.
      if (arg === '' || /[\s"'\\#]/.test(arg)) {
        throw new Error(`cannot pass ${JSON.stringify(arg)} to ip in a batch`);
      }
    }
    const script = commands.map((c) => c.join(' ')).join('\n');
    const args = [...inNetns(netns), '-batch', '-'];
    const result = await tryRun(this.path, args, { input: `${script}\n` });
    if (result.exitCode !== 0) {
      // ip names the failed line only by number ("Command failed -:2"): quote the batch.
      const argv = [this.path, ...args, '<<', commands.map((c) => c.join(' ')).join('; ')];
      throw new CommandError(
        argv,
        result.exitCode,
        result.stderr,
        `exited with ${result.exitCode}`,
      );
    }
  }

  /** The link, or undefined if no link has that name (in the host namespace or `netns`). */
  async link(name: string, netns?: string): Promise<LinkInfo | undefined> {
    const args = [...inNetns(netns), '-j', '-d', 'link', 'show', 'dev', name];
    const result = await tryRun(this.path, args);
    if (result.exitCode !== 0) {
      if (/does not exist/.test(result.stderr)) return undefined;
      throw new CommandError(
        [this.path, ...args],
        result.exitCode,
        result.stderr,
        `exited with ${result.exitCode}`,
      );
    }
    return parseLinks(result.stdout)[0];
  }

  /** Links selected by `ip link show` filters, e.g. ['type', 'veth']. */
  async links(filter: readonly string[]): Promise<LinkInfo[]> {
    return parseLinks(await this.run(['-j', '-d', 'link', 'show', ...filter]));
  }

  async ipv4Addresses(device: string, netns?: string): Promise<Ipv4Address[]> {
    const out = await this.run([...inNetns(netns), '-j', '-4', 'addr', 'show', 'dev', device]);
    return parseAddresses(parseJsonArray(out, 'ip addr'));
  }

  /** The devices of the host's routes inside `cidr` (`ip route show root <cidr>`). */
  async routeDevices(cidr: string): Promise<Set<string>> {
    const out = await this.run(['-j', '-4', 'route', 'show', 'root', cidr]);
    const devices = parseJsonArray(out, 'ip route').map((r) => (r as { dev?: unknown }).dev);
    return new Set(devices.filter((d): d is string => typeof d === 'string'));
  }

  /** The gateway of the IPv4 default route in `netns`, if there is one. */
  async defaultGateway(netns: string): Promise<string | undefined> {
    const out = await this.run([...inNetns(netns), '-j', '-4', 'route', 'show', 'default']);
    const routes = parseJsonArray(out, 'ip route');
    const gateway = (routes[0] as { gateway?: unknown } | undefined)?.gateway;
    return typeof gateway === 'string' ? gateway : undefined;
  }

  /**
   * Whether the named namespace exists. `ip netns list` only lists /run/netns, so looking there
   * ourselves gives the same answer without starting a process.
   */
  async netnsExists(name: string): Promise<boolean> {
    try {
      await stat(`${netnsDir}/${name}`);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new Error(`checking netns ${name}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The link and its IPv4 addresses in one call, or undefined if no link has that name. */
  async linkWithAddresses(
    name: string,
  ): Promise<{ link: LinkInfo; addresses: Ipv4Address[] } | undefined> {
    // No -4 here: it would hide a link that has no IPv4 address at all.
    const args = ['-j', '-d', 'addr', 'show', 'dev', name];
    const result = await tryRun(this.path, args);
    if (result.exitCode !== 0) {
      if (/does not exist/.test(result.stderr)) return undefined;
      throw new CommandError(
        [this.path, ...args],
        result.exitCode,
        result.stderr,
        `exited with ${result.exitCode}`,
      );
    }
    const link = parseLinks(result.stdout)[0];
    if (link === undefined) return undefined;
    return { link, addresses: parseAddresses(parseJsonArray(result.stdout, 'ip addr')) };
  }
}

function inNetns(netns: string | undefined): string[] {
  return netns === undefined ? [] : ['-n', netns];
}

function parseAddresses(entries: unknown[]): Ipv4Address[] {
  return entries.flatMap((entry) => {
    const infos = (entry as { addr_info?: unknown }).addr_info;
    if (!Array.isArray(infos)) return [];
    return infos.flatMap((info: { family?: unknown; local?: unknown; prefixlen?: unknown }) =>
      info.family === 'inet' && typeof info.local === 'string' && typeof info.prefixlen === 'number'
        ? [{ address: info.local, prefixLength: info.prefixlen }]
        : [],
    );
  });
}

function parseLinks(out: string): LinkInfo[] {
  return parseJsonArray(out, 'ip link').map((entry) => {
    const link = entry as {
      ifname?: unknown;
      flags?: unknown;
      ifalias?: unknown;
      master?: unknown;
      linkinfo?: { info_kind?: unknown };
    };
    if (typeof link.ifname !== 'string') throw new Error(`ip link printed a link without a name`);
    return {
      name: link.ifname,
      up: Array.isArray(link.flags) && link.flags.includes('UP'),
      kind: typeof link.linkinfo?.info_kind === 'string' ? link.linkinfo.info_kind : undefined,
      alias: typeof link.ifalias === 'string' ? link.ifalias : undefined,
      master: typeof link.master === 'string' ? link.master : undefined,
    };
  });
}

// `ip -j` prints nothing at all (not "[]") for some empty listings, such as `netns list`.
function parseJsonArray(out: string, what: string): unknown[] {
  if (out.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(out);
  } catch (err) {
    throw new Error(`${what} printed JSON that does not parse: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!Array.isArray(parsed)) throw new Error(`${what} printed JSON that is not an array`);
  return parsed;
}
