// Seccomp from the container's security context: RuntimeDefault (the profile containerd and
// Docker ship) and Localhost profiles (their JSON format, absolute path) filter the container's
// syscalls, Unconfined and privileged containers are not filtered, and a profile that cannot be
// read fails the create.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig } from '@skiff/proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { grpcError } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import {
  createContainer,
  makeContainer,
  privileged,
  sharedPod,
  startContainer,
  waitForState,
  withSecurityContext,
} from '../pods.js';

// Allows everything but mkdir(2)/mkdirat(2), which fail with EPERM (SCMP_ACT_ERRNO's default).
const NO_MKDIR = {
  defaultAction: 'SCMP_ACT_ALLOW',
  archMap: [
    { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
    { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
  ],
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }],
};

const TRY_MKDIR = 'mkdir /tmp/made && echo made || echo refused';
// A user namespace needs no capability, only a seccomp filter stops it (runtime/default allows
// unshare to CAP_SYS_ADMIN holders only).
const TRY_UNSHARE = 'unshare -U true && echo made || echo refused';

export function seccompCases(target: () => CriTarget): void {
  let dir = '';
  let profile = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-critest-seccomp-'));
    profile = join(dir, 'no-mkdir.json');
    await writeFile(profile, JSON.stringify(NO_MKDIR));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const pod = sharedPod(target, 'seccomp', privileged);
  const withSecurity = (name: string, security: object, script = TRY_MKDIR): ContainerConfig =>
    withSecurityContext(makeContainer(target(), name, script), security);

  const outcome = async (name: string, security: object, script: string): Promise<string> => {
    const { pod: fixture, id: sandboxId } = await pod();
    const config = withSecurity(name, security, script);
    const id = await startContainer(target(), sandboxId, fixture, config);
    const exited = await waitForState(target(), id, 'CONTAINER_EXITED');
    return (await readFile(exited.log_path, 'utf8')).includes('refused') ? 'refused' : 'made';
  };

  it.each([
    { name: 'seccomp-localhost', expected: 'refused', security: () => localhostProfile() },
    { name: 'seccomp-old-path', expected: 'refused', security: () => oldPathProfile() },
    { name: 'seccomp-unconfined', expected: 'made', security: () => unconfined() },
    { name: 'seccomp-default-mkdir', expected: 'made', security: () => runtimeDefault() },
    {
      name: 'seccomp-privileged',
      expected: 'made',
      security: () => ({ ...localhostProfile(), privileged: true }),
    },
  ])('$name: mkdir is $expected', async ({ name, expected, security }) => {
    expect(await outcome(name, security(), TRY_MKDIR)).toBe(expected);
  });

  it.each([
    { name: 'userns-default', expected: 'refused', security: () => runtimeDefault() },
    { name: 'userns-old-default', expected: 'refused', security: () => oldPathDefault() },
    { name: 'userns-unconfined', expected: 'made', security: () => unconfined() },
    {
      name: 'userns-privileged',
      expected: 'made',
      security: () => ({ ...runtimeDefault(), privileged: true }),
    },
  ])('$name: a user namespace is $expected', async ({ name, expected, security }) => {
    expect(await outcome(name, security(), TRY_UNSHARE)).toBe(expected);
  });

  const localhostProfile = (): object => ({
    seccomp: { profile_type: 'Localhost', localhost_ref: profile },
  });
  const oldPathProfile = (): object => ({ seccomp_profile_path: `localhost/${profile}` });
  const unconfined = (): object => ({ seccomp: { profile_type: 'Unconfined' } });
  const runtimeDefault = (): object => ({ seccomp: { profile_type: 'RuntimeDefault' } });
  const oldPathDefault = (): object => ({ seccomp_profile_path: 'runtime/default' });

  it('fails the create when the Localhost profile cannot be read', async () => {
    const { pod: fixture, id: sandboxId } = await pod();
    const missing = join(dir, 'missing.json');
    const err = await grpcError(
      createContainer(
        target(),
        sandboxId,
        fixture,
        withSecurity('seccomp-missing', {
          seccomp: { profile_type: 'Localhost', localhost_ref: missing },
        }),
      ),
    );
    expect(err.details).toContain(missing);
  });
}
