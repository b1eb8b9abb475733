// `skiff runtime` as a CRI target: the real command as a child process with its own socket,
// root, bridge and pod CIDR, and images loaded with the real `skiff image import`. Tests run it
// from source (cli/src/main.ts through tsx); the benchmark runs the build (cli/dist/main.js), as
// `pnpm skiff` and users do — tsx's compiler in the process costs memory and so every spawn's
// time. It can be killed with -9 and started again on the same root (the restart test).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { newImageServiceClient, newRuntimeServiceClient } from '@skiff/proto';
import { linuxContainersUnavailable } from '../../containers/testing/linux-test-kit.js';
import { mountPoints } from '../../linux/index.js';
import { makeTestNetwork, removeTestLeftovers } from '../../network/kernel-test-kit.js';
import type { CriTarget } from './cri-target.js';
import { startDaemon, waitForCri, type Daemon } from './daemon.js';
import { removeAllPods } from './pods.js';
import { BUSYBOX_IMAGE, type TestImageArchives } from './test-images.js';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const skiffMain = join(repoRoot, 'cli', 'src', 'main.ts');
const builtSkiffMain = join(repoRoot, 'cli', 'dist', 'main.js');

/** How `skiff` is started: from its TypeScript sources (tests), or from the build (`tsc -b`). */
export type SkiffFrom = 'source' | 'build';

/** node's arguments to run `skiff <args>`. */
function skiffArgv(from: SkiffFrom, args: readonly string[]): string[] {
  if (from === 'build') {
    if (!existsSync(builtSkiffMain)) {
      throw new Error(`${builtSkiffMain} is missing: build skiff first (npx tsc -b)`);
    }
    return [builtSkiffMain, ...args];
  }
  return ['--conditions=source', '--import', 'tsx', skiffMain, ...args];
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SkiffTarget extends CriTarget {
  readonly name: 'skiff';
  /** The runtime's state root. */
  readonly root: string;
  /** Base URL of /healthz and /metrics. */
  readonly healthUrl: () => string;
  /** Runs `skiff <args>` to completion. */
  skiff(args: readonly string[]): Promise<CliResult>;
  /** The runtime process's pid (for CPU readings), while it runs. */
  pid(): number | undefined;
  /** SIGKILLs the runtime process; containers keep running under conmon. */
  kill9(): Promise<void>;
  /** Starts the runtime again on the same socket and root. */
  restart(): Promise<void>;
}

/** Why skiff runtime cannot run real containers here, or undefined. */
export function skiffUnavailable(): string | undefined {
  return linuxContainersUnavailable();
}

export async function runSkiff(
  args: readonly string[],
  from: SkiffFrom = 'source',
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, skiffArgv(from, args), {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export async function startSkiffTarget(
  archives: TestImageArchives,
  from: SkiffFrom = 'source',
  /** How long the runtime may take to serve CRI (a loaded machine needs more than the default). */
  criTimeoutMs?: number,
): Promise<SkiffTarget> {
  const why = skiffUnavailable();
  if (why !== undefined) throw new Error(`${why}; CI must provide it`);
  const dir = await mkdtemp(join(tmpdir(), 'skiff-critest-skiff-'));
  const root = join(dir, 'root');
  const socket = join(dir, 'runtime.sock');
  const logRoot = join(dir, 'logs');
  await mkdir(logRoot, { recursive: true });
  const net = await makeTestNetwork();
  const args = skiffArgv(from, [
    'runtime',
    '--socket',
    socket,
    '--root',
    root,
    '--bridge',
    net.bridgeName,
    '--pod-cidr',
    net.podCidr,
    '--health-port',
    '0',
  ]);
  const logFile = join(dir, 'runtime.log');
  let daemon: Daemon | undefined;
  const runtime = newRuntimeServiceClient(socket);
  const images = newImageServiceClient(socket);
  const start = async (): Promise<void> => {
    daemon = startDaemon('skiff runtime', process.execPath, args, logFile, { cwd: repoRoot });
    await waitForCri(daemon, runtime, criTimeoutMs);
  };
  const skiff = (cliArgs: readonly string[]): Promise<CliResult> => runSkiff(cliArgs, from);
  const importImage = async (archivePath: string): Promise<void> => {
    const result = await skiff([
      'image',
      'import',
      archivePath,
      '--socket',
      socket,
      '--root',
      root,
    ]);
    if (result.code !== 0) {
      throw new Error(`skiff image import ${archivePath} exited ${result.code}: ${result.stderr}`);
    }
  };
  try {
    await start();
    await importImage(archives.base);
  } catch (err) {
    runtime.close();
    images.close();
    await daemon?.stop();
    await removeTestLeftovers(net);
    throw new Error(`starting skiff runtime (files in ${dir}): ${(err as Error).message}`, {
      cause: err,
    });
  }

  return {
    name: 'skiff',
    socket,
    root,
    runtime,
    images,
    logRoot,
    busybox: BUSYBOX_IMAGE,
    importImage,
    skiff,
    healthUrl: () => {
      // After a restart the port is new: the latest start's line is the last one.
      const line = readFileSync(logFile, 'utf8')
        .split('\n')
        .reverse()
        .find((l) => l.includes('health and metrics'));
      const match = /health and metrics on (http:\/\/[\d.]+:\d+)\//.exec(line ?? '');
      if (match?.[1] === undefined) throw new Error(`no health URL in ${logFile}`);
      return match[1];
    },
    pid: () => daemon?.process.pid,
    kill9: async () => {
      await daemon?.stop('SIGKILL');
    },
    restart: start,
    stop: async () => {
      const failures: string[] = [];
      await removeAllPods(runtime).catch((err: unknown) =>
        failures.push(`removing pods: ${(err as Error).message}`),
      );
      runtime.close();
      images.close();
      await daemon?.stop();
      const mounted = [...(await mountPoints())].filter((p) => p.startsWith(`${dir}/`));
      if (mounted.length > 0) failures.push(`still mounted: ${mounted.join(', ')}`);
      await removeTestLeftovers(net).catch((err: unknown) => failures.push((err as Error).message));
      if (failures.length > 0) {
        const tail = (await readFile(logFile, 'utf8')).split('\n').slice(-20).join('\n');
        throw new Error(`skiff cleanup (files kept in ${dir}): ${failures.join('; ')}\n${tail}`);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
