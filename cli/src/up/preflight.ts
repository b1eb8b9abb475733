// What `skiff up` checks before it starts anything, so a problem is one clear line and a
// non-zero exit instead of a half-started cluster: the API port, the user, the host programs the
// runtime runs containers with (named by their Debian package).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Rejects with a message naming the port when something already listens on it. */
export function checkPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'is already in use (another apiserver or skiff up?); choose another with --port'
          : `cannot be listened on: ${err.message}`;
      reject(new Error(`port ${port} on ${host} ${why}`, { cause: err }));
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

interface HostTool {
  /** Any one of these programs will do. */
  readonly programs: readonly string[];
  readonly debianPackage: string;
  readonly why: string;
}

const linuxTools: readonly HostTool[] = [
  { programs: ['crun', 'runc'], debianPackage: 'crun', why: 'the OCI runtime (crun or runc)' },
  { programs: ['conmon'], debianPackage: 'conmon', why: "each container's monitor" },
  { programs: ['nft', 'iptables'], debianPackage: 'nftables', why: 'pod NAT (nft or iptables)' },
  { programs: ['ip'], debianPackage: 'iproute2', why: 'the pod bridge and veths' },
  { programs: ['busybox'], debianPackage: 'busybox-static', why: 'the demo and pause images' },
  {
    programs: ['conntrack'],
    debianPackage: 'conntrack',
    why: 'stale UDP flows of host ports and Services',
  },
];

/** The programs real containers need that this host lacks, each as one line with its package. */
export function missingHostTools(searchPath = process.env.PATH ?? ''): string[] {
  // Root's tools live in sbin, which a user's PATH often lacks.
  const PATH = `${searchPath}:/usr/local/sbin:/usr/sbin:/sbin:/bin`;
  // The shell's own lookup, so what is found is what the runtime's spawns will run.
  const found = (program: string): boolean =>
    spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program], { env: { PATH } }).status === 0;
  return linuxTools
    .filter((tool) => !tool.programs.some(found))
    .map(
      (tool) =>
        `${tool.programs.join(' or ')} (${tool.why}): apt-get install -y ${tool.debianPackage}`,
    );
}

export const notRootWarning = [
  '!! skiff up is not running as root: the runtime falls back to its PROCESS mode.',
  '!! Containers run as plain processes of this user, with no namespaces, no cgroups, no pod',
  '!! network and no isolation at all. Run as root (sudo) for real containers.',
];
