// The iproute2 `ip` command, reduced to what the pod network needs and read through its JSON
// output (`ip -j`), so nothing depends on the layout of its human-readable tables.
import { CommandError, run, tryRun } from './exec.js';

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

  /** Links selected by `ip link show` filters, e.g. ['type', 'veth'] or ['master', 'skiff0']. */
  async links(filter: readonly string[]): Promise<LinkInfo[]> {
    return parseLinks(await this.run(['-j', '-d', 'link', 'show', ...filter]));
  }

  async ipv4Addresses(device: string, netns?: string): Promise<Ipv4Address[]> {
    const out = await this.run([...inNetns(netns), '-j', '-4', 'addr', 'show', 'dev', device]);
    const entries = parseJsonArray(out, 'ip addr');
    return entries.flatMap((entry) => {
      const infos = (entry as { addr_info?: unknown }).addr_info;
      if (!Array.isArray(infos)) return [];
      return infos.flatMap((info: { local?: unknown; prefixlen?: unknown }) =>
        typeof info.local === 'string' && typeof info.prefixlen === 'number'
          ? [{ address: info.local, prefixLength: info.prefixlen }]
          : [],
      );
    });
  }

  /** The gateway of the IPv4 default route in `netns`, if there is one. */
  async defaultGateway(netns: string): Promise<string | undefined> {
    const out = await this.run([...inNetns(netns), '-j', '-4', 'route', 'show', 'default']);
    const routes = parseJsonArray(out, 'ip route');
    const gateway = (routes[0] as { gateway?: unknown } | undefined)?.gateway;
    return typeof gateway === 'string' ? gateway : undefined;
  }

  async netnsExists(name: string): Promise<boolean> {
    const out = await this.run(['-j', 'netns', 'list']);
    return parseJsonArray(out, 'ip netns list').some(
      (entry) => (entry as { name?: unknown }).name === name,
    );
  }
}

function inNetns(netns: string | undefined): string[] {
  return netns === undefined ? [] : ['-n', netns];
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
