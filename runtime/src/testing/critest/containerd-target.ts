// containerd (Debian's 1.6, with runc) as a CRI target. It runs as its own daemon, with its root,
// state, socket, runc state, CNI config and IPAM data all inside one temp dir, so it never touches
// a system containerd. Known needs on these machines (issue #5):
//   - the CRI plugin reports NetworkReady only with a CNI config: bridge + host-local (+ the
//     loopback plugin it runs itself), from Debian's containernetworking-plugins in /usr/lib/cni;
//   - restrict_oom_score_adj = true, since nothing here may lower its oom_score_adj;
//   - a sandbox image, registry.k8s.io/pause:3.6, imported with `ctr images import` because no
//     registry is reachable (built by test-images.ts from the host's busybox).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newImageServiceClient, newRuntimeServiceClient } from '@skiff/proto';
import { mountPoints } from '../../linux/index.js';
import { findExecutable } from '../../network/exec.js';
import {
  makeTestNetwork,
  removeTestLeftovers,
  type TestNetwork,
} from '../../network/kernel-test-kit.js';
import type { CriTarget } from './cri-target.js';
import { startDaemon, waitForCri } from './daemon.js';
import { removeAllPods } from './pods.js';
import { BUSYBOX_IMAGE, SANDBOX_IMAGE, type TestImageArchives } from './test-images.js';

const run = promisify(execFile);
const CNI_BIN_DIR = '/usr/lib/cni';

/** Why containerd cannot be tested here, or undefined. */
export function containerdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'containerd needs root';
  const path = process.env.PATH ?? '';
  for (const [tool, pkg] of [
    ['containerd', 'containerd'],
    ['ctr', 'containerd'],
    ['runc', 'runc'],
    ['ip', 'iproute2'],
  ] as const) {
    if (findExecutable(tool, path) === undefined)
      return `${tool} is missing (Debian: apt-get install -y ${pkg})`;
  }
  for (const plugin of ['bridge', 'host-local', 'loopback']) {
    if (!existsSync(join(CNI_BIN_DIR, plugin)))
      return `the CNI plugin ${CNI_BIN_DIR}/${plugin} is missing (Debian: apt-get install -y containernetworking-plugins)`;
  }
  return undefined;
}

function containerdConfig(dir: string, socket: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    'version = 2',
    `root = "${dir}/root"`,
    `state = "${dir}/state"`,
    // Snapshotters that cannot work here only add noise to the log.
    'disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]',
    '[grpc]',
    `  address = "${socket}"`,
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = "${dir}/opt"`,
    `[${cri}]`,
    `  sandbox_image = "${SANDBOX_IMAGE}"`,
    '  restrict_oom_score_adj = true',
    `[${cri}.containerd]`,
    '  snapshotter = "overlayfs"',
    '  default_runtime_name = "runc"',
    `[${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    `[${cri}.containerd.runtimes.runc.options]`,
    `  Root = "${dir}/runc"`,
    `[${cri}.cni]`,
    `  conf_dir = "${dir}/cni/net.d"`,
    `  bin_dir = "${CNI_BIN_DIR}"`,
    '',
  ].join('\n');
}

function cniConfig(dir: string, net: TestNetwork): string {
  return JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: `critest-${net.bridgeName}`,
      plugins: [
        {
          type: 'bridge',
          bridge: net.bridgeName,
          isGateway: true,
          // No NAT: these pods never need the outside world, and no rules are left to clean.
          ipMasq: false,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: net.podCidr }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: join(dir, 'cni', 'ipam'),
          },
        },
        // hostPort, as a kubelet node's CNI config has it. portmap keeps its top-level chains
        // (CNI-HOSTPORT-*) for good, by design; each pod's own chain goes with the pod.
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

export async function startContainerdTarget(archives: TestImageArchives): Promise<CriTarget> {
  const why = containerdUnavailable();
  if (why !== undefined) throw new Error(`${why}; CI must provide it`);
  const dir = await mkdtemp(join(tmpdir(), 'skiff-critest-containerd-'));
  const socket = join(dir, 'containerd.sock');
  const net = await makeTestNetwork();
  for (const sub of ['cni/net.d', 'cni/ipam', 'opt', 'runc', 'logs'])
    await mkdir(join(dir, sub), { recursive: true });
  await writeFile(join(dir, 'config.toml'), containerdConfig(dir, socket));
  await writeFile(join(dir, 'cni', 'net.d', '10-critest.conflist'), cniConfig(dir, net));

  const daemon = startDaemon(
    'containerd',
    'containerd',
    ['--config', join(dir, 'config.toml'), '--log-level', 'warn'],
    join(dir, 'containerd.log'),
  );
  const runtime = newRuntimeServiceClient(socket);
  const images = newImageServiceClient(socket);
  const ctr = async (...args: string[]): Promise<void> => {
    try {
      await run('ctr', ['-n', 'k8s.io', '-a', socket, ...args]);
    } catch (err) {
      throw new Error(
        `ctr ${args.join(' ')}: ${(err as { stderr?: string }).stderr ?? String(err)}`,
        {
          cause: err,
        },
      );
    }
  };
  try {
    await waitForCri(daemon, runtime);
    await ctr('images', 'import', archives.base);
  } catch (err) {
    runtime.close();
    images.close();
    await daemon.stop();
    await removeTestLeftovers(net);
    throw new Error(`starting containerd (files in ${dir}): ${(err as Error).message}`, {
      cause: err,
    });
  }

  return {
    name: 'containerd',
    socket,
    runtime,
    images,
    logRoot: join(dir, 'logs'),
    busybox: BUSYBOX_IMAGE,
    importImage: (archivePath) => ctr('images', 'import', archivePath),
    stop: async () => {
      const failures: string[] = [];
      await removeAllPods(runtime).catch((err: unknown) =>
        failures.push(`removing pods: ${(err as Error).message}`),
      );
      runtime.close();
      images.close();
      await daemon.stop();
      // containerd leaves its shims' mounts under root/ and state/ on a hard stop; unmount
      // whatever is left before removing the directory.
      await unmountUnder(dir).catch((err: unknown) => failures.push((err as Error).message));
      await removeTestLeftovers(net).catch((err: unknown) => failures.push((err as Error).message));
      if (failures.length > 0) {
        throw new Error(`containerd cleanup (files kept in ${dir}): ${failures.join('; ')}`);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function unmountUnder(dir: string): Promise<void> {
  const mounted = [...(await mountPoints())].filter((p) => p.startsWith(`${dir}/`));
  // Deepest first, so a parent is never busy because of a child.
  for (const point of mounted.sort((a, b) => b.length - a.length)) {
    await run('umount', [point]).catch((err: unknown) => {
      throw new Error(`umount ${point}: ${(err as Error).message}`, { cause: err });
    });
  }
}
