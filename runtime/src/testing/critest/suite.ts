// The shared CRI suite, in the spirit of Kubernetes' critest: the same cases, written only
// against the CRI gRPC API, run against every runtime that claims to speak it. A test file per
// runtime calls defineCriSuite with how to start that runtime; where the runtimes legitimately
// differ, the case asserts the CRI contract loosely and says why.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { badInputCases } from './cases/bad-input.js';
import { containerCases } from './cases/containers.js';
import { execCases } from './cases/exec.js';
import { filesystemProtectionCases } from './cases/filesystem-protection.js';
import { goClientCases } from './cases/go-clients.js';
import { hostPortCases } from './cases/host-ports.js';
import { imageCases } from './cases/images.js';
import { isolationCases } from './cases/isolation.js';
import { logCases } from './cases/logs.js';
import { mountPropagationCases } from './cases/mount-propagation.js';
import { optionalMethodCases } from './cases/optional-methods.js';
import { podDefaultCases } from './cases/pod-defaults.js';
import { podStatsCases } from './cases/pod-stats.js';
import { processSecurityCases } from './cases/process-security.js';
import { sandboxCases } from './cases/sandboxes.js';
import { seccompCases } from './cases/seccomp.js';
import { securityContextCases } from './cases/security-context.js';
import { statsResourceCases } from './cases/stats-resources.js';
import { sysctlCases } from './cases/sysctls.js';
import { streamingCases } from './cases/streaming.js';
import { terminalCases } from './cases/terminals.js';
import { verboseInfoCases } from './cases/verbose-info.js';
import { versionStatusCases } from './cases/version-status.js';
import type { CriTarget } from './cri-target.js';
import { writeTestImages, type TestImageArchives } from './test-images.js';

const ci = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether a runtime's suite should skip: only outside CI, and loudly. Under CI=true it runs and
 * its first hook fails with what is missing, so CI can never pass by not testing a runtime.
 */
export function skipCriSuite(name: string, unavailable: string | undefined): boolean {
  if (unavailable === undefined || ci) return false;
  console.warn(`skipping the CRI suite on ${name}: ${unavailable}`);
  return true;
}

export interface CriSuite<T extends CriTarget> {
  /** The running target, for extra runtime-specific cases. */
  readonly target: () => T;
  readonly archives: () => TestImageArchives;
}

export function defineCriSuite<T extends CriTarget>(
  start: (archives: TestImageArchives) => Promise<T>,
  extra: (suite: CriSuite<T>) => void = () => undefined,
): void {
  let dir: string | undefined;
  let archives: TestImageArchives | undefined;
  let running: T | undefined;
  const target = (): T => {
    if (running === undefined) throw new Error('the runtime under test did not start');
    return running;
  };
  const built = (): TestImageArchives => {
    if (archives === undefined) throw new Error('the test images were not built');
    return archives;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-critest-images-'));
    archives = await writeTestImages(dir);
    running = await start(archives);
  });
  afterAll(async () => {
    try {
      await running?.stop();
    } finally {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    }
  });

  describe('version and status', () => versionStatusCases(target));
  describe('Go clients', () => goClientCases(target));
  describe('pod sandboxes', () => sandboxCases(target));
  describe('pod defaults', () => podDefaultCases(target));
  describe('host ports', () => hostPortCases(target));
  describe('containers', () => containerCases(target));
  describe('logs', () => logCases(target));
  describe('exec', () => execCases(target));
  describe('streaming', () => streamingCases(target));
  describe('terminals and attach', () => terminalCases(target));
  describe('stats and resources', () => statsResourceCases(target));
  describe('pod stats', () => podStatsCases(target));
  describe('isolation', () => isolationCases(target));
  describe('security context', () => securityContextCases(target));
  describe('filesystem protection', () => filesystemProtectionCases(target));
  describe('process security', () => processSecurityCases(target));
  describe('mount propagation', () => mountPropagationCases(target));
  describe('sysctls', () => sysctlCases(target));
  describe('seccomp', () => seccompCases(target));
  describe('images', () => imageCases(target, () => built().scratch));
  describe('bad input', () => badInputCases(target));
  describe('optional methods', () => optionalMethodCases(target));
  describe('verbose info', () => verboseInfoCases(target));
  extra({ target, archives: built });
}
