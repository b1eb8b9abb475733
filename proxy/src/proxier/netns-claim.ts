// One proxy per network namespace. A proxy owns its namespace's Service rules (the nftables
// table `ip kube-proxy`, the KUBE-* iptables chains): a second proxy there rewrites them with
// its own Services at every full sync, and each erases the other's (two `skiff up` on one host
// did exactly that, silently). kube-proxy leaves this to whoever deploys it (a DaemonSet runs one
// per node); a skiff user starts proxies by hand, so the second one is refused, naming the first.
//
// The claim is an abstract unix socket (no file: the kernel frees the name when its process
// dies, so there is nothing stale to take over), named after the namespace the rules go to: its
// inode, the kernel's identity for it. Abstract names are per network namespace, so the socket
// lives in the proxy process's own namespace; proxies that program another namespace through
// `ip netns exec` claim it from here as well. The holder answers a connection with who it is.
import { stat } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';

export interface NetnsClaim {
  release(): Promise<void>;
}

export class NetnsClaimedError extends Error {}

/** How long a holder gets to say who it is before it is reported as unknown. */
const HOLDER_ANSWER_MS = 2_000;

/** The namespace's file: a name under /run/netns (`ip netns`), or this process's own. */
export function netnsFile(netns: string | undefined): string {
  return netns === undefined ? '/proc/self/ns/net' : `/run/netns/${netns}`;
}

function socketName(inode: bigint): string {
  return `\0skiff-proxy-netns-${inode}`;
}

function listen(server: Server, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(name, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** What the holder of `name` says it is; `undefined` when nobody answers (it just went away). */
function askHolder(name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(name);
    let said = '';
    const done = (answer: string | undefined): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setEncoding('utf8');
    socket.setTimeout(HOLDER_ANSWER_MS, () => done('a process that did not say who it is'));
    socket.on('data', (chunk: string) => (said += chunk));
    socket.once('end', () => done(said.trim() || 'a process that did not say who it is'));
    socket.once('error', () => done(undefined));
  });
}

/**
 * Claims the Service rules of the namespace at `file` for this process (`whoAmI`: what a second
 * proxy is told, e.g. the pid and command line). Throws NetnsClaimedError naming the holder.
 */
export async function claimNetns(file: string, whoAmI: string): Promise<NetnsClaim> {
  const { ino } = await stat(file, { bigint: true });
  const name = socketName(ino);
  const server = createServer((connection) => connection.end(`${whoAmI}\n`));
  // A holder that exits between our bind and our question frees its name: bind again, a few
  // times; a name that stays taken by nobody who answers is reported, never waited on.
  for (let attempt = 1; ; attempt++) {
    try {
      await listen(server, name);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
    const holder = await askHolder(name);
    if (holder === undefined && attempt < 3) continue;
    throw new NetnsClaimedError(
      `another proxy already programs the Service rules of network namespace ${file} ` +
        `(inode ${ino}): ${holder ?? 'a process that does not answer'}. Two would erase each ` +
        `other's rules at every sync; stop it first`,
    );
  }
  // An idle claim must not keep the process alive on its own.
  server.unref();
  return {
    release: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
