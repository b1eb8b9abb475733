// Test support for real containers: a throwaway runtime root with the demo images, a pod network
// of its own (bridge and CIDR per test file, from the network's kernel test kit), a LinuxBackend
// on top, CRI config builders, and a cleanup that checks nothing was left mounted.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig, PodSandboxConfig } from '@skiff/proto';
import { DEMO_IMAGE, ImageStore, PAUSE_IMAGE } from '../../images/index.js';
import { checkLinuxHost, mountPoints, type LinuxHostTools } from '../../linux/index.js';
import { PodNetwork } from '../../network/index.js';
import { findExecutable } from '../../network/exec.js';
import {
  makeTestNetwork,
  removeTestLeftovers,
  type TestNetwork,
} from '../../network/kernel-test-kit.js';
import { LinuxBackend } from '../linux-backend.js';

// The tests take their polling helper from here along with the rest of the kit.
export { eventually } from '@skiff/api/testing';

const ci = process.env.CI === 'true' || process.env.CI === '1';

/** Why real containers cannot run here, or undefined. */
export function linuxContainersUnavailable(): string | undefined {
  const host = checkLinuxHost();
  if (!host.ok) return host.reason;
  if (findExecutable('ip', process.env.PATH ?? '') === undefined)
    return '`ip` is missing (Debian: iproute2)';
  if (findExecutable('busybox', '/bin:/usr/bin') === undefined)
    return 'busybox is missing (Debian: busybox-static)';
  return undefined;
}

/**
 * True when the file should skip: outside CI only, and loudly. Under CI=true nothing skips: the
 * first hook fails with what is missing, so CI can never pass by not running these tests.
 */
export function skipLinuxTests(): boolean {
  const why = linuxContainersUnavailable();
  if (why === undefined || ci) return false;
  console.warn(`skipping real-container tests: ${why}`);
  return true;
}

export interface LinuxTestRuntime {
  readonly root: string;
  readonly net: TestNetwork;
  readonly network: PodNetwork;
  readonly images: ImageStore;
  readonly tools: LinuxHostTools;
  backend: LinuxBackend;
  /** Opens a fresh backend on the same root, as a restarted runtime would. */
  reopen(): Promise<LinuxBackend>;
  cleanup(): Promise<void>;
}

export async function startLinuxTestRuntime(): Promise<LinuxTestRuntime> {
  const host = checkLinuxHost();
  if (!host.ok) throw new Error(`${host.reason}; CI must provide it`);
  const why = linuxContainersUnavailable();
  if (why !== undefined) throw new Error(`${why}; CI must provide it`);
  const root = await mkdtemp(join(tmpdir(), 'skiff-runtime-test-'));
  const net = await makeTestNetwork();
  const network = new PodNetwork({
    stateDir: net.stateDir,
    bridgeName: net.bridgeName,
    podCidr: net.podCidr,
    log: () => undefined,
  });
  await network.init();
  const images = await ImageStore.open({ root });
  await images.ensureDemoImages();
  const open = (): Promise<LinuxBackend> =>
    LinuxBackend.open({
      root,
      tools: host.tools,
      network,
      images,
      pauseImage: PAUSE_IMAGE,
      pauseImageIsDemo: true,
      log: () => undefined,
    });
  const runtime: LinuxTestRuntime = {
    root,
    net,
    network,
    images,
    tools: host.tools,
    backend: await open(),
    reopen: async () => {
      runtime.backend = await open();
      return runtime.backend;
    },
    cleanup: async () => {
      const failures: string[] = [];
      try {
        for (const sandbox of await runtime.backend.listPodSandbox()) {
          await runtime.backend.removePodSandbox(sandbox.id);
        }
      } catch (err) {
        failures.push(`removing sandboxes: ${(err as Error).message}`);
      }
      const mounted = [...(await mountPoints())].filter((p) => p.startsWith(root));
      if (mounted.length > 0) failures.push(`still mounted: ${mounted.join(', ')}`);
      try {
        await removeTestLeftovers(net);
      } catch (err) {
        failures.push((err as Error).message);
      }
      if (mounted.length === 0) await rm(root, { recursive: true, force: true });
      if (failures.length > 0) throw new Error(`test cleanup: ${failures.join('; ')}`);
    },
  };
  return runtime;
}

let podCounter = 0;

/** A sandbox config with unique metadata; `patch` overrides fields. */
export function podConfig(name = 'pod', patch: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  podCounter += 1;
  return {
    metadata: {
      name: `${name}-${podCounter}`,
      namespace: 'default',
      uid: `uid-${process.pid}-${podCounter}`,
      attempt: 0,
    },
    hostname: name,
    labels: { app: name },
    annotations: { 'skiff.test/pod': name },
    ...patch,
  };
}

/** A container config for the demo busybox image running `sh -c script`. */
export function shellContainer(
  name: string,
  script: string,
  patch: Partial<ContainerConfig> = {},
): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: DEMO_IMAGE },
    command: ['sh', '-c', script],
    labels: { container: name },
    annotations: { 'skiff.test/container': name },
    log_path: `${name}.log`,
    ...patch,
  };
}

export async function readLog(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
