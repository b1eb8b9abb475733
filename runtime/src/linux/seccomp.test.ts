import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPABILITIES } from './capabilities.js';
import { RUNTIME_DEFAULT_PROFILE } from './seccomp-default-profile.js';
import { resolveProfile, seccompChoice } from './seccomp.js';

describe('seccompChoice', () => {
  it.each([
    [{ profile_type: 'Unconfined' }, '', { kind: 'unconfined' }],
    [{ profile_type: 'RuntimeDefault' }, '', { kind: 'runtime-default' }],
    [
      { profile_type: 'Localhost', localhost_ref: '/p.json' },
      '',
      { kind: 'localhost', path: '/p.json' },
    ],
    [null, '', { kind: 'unconfined' }],
    [null, 'runtime/default', { kind: 'runtime-default' }],
    [null, 'localhost//etc/p.json', { kind: 'localhost', path: '/etc/p.json' }],
  ])('reads %j / %j', (seccomp, path, expected) => {
    expect(seccompChoice(seccomp, path)).toEqual(expected);
  });

  it('refuses a relative Localhost profile and an unknown old-style path', () => {
    expect(() => seccompChoice({ profile_type: 'Localhost', localhost_ref: 'p.json' }, '')).toThrow(
      /must be an absolute path/,
    );
    expect(() => seccompChoice(null, 'whatever')).toThrow(/unknown seccomp profile/);
  });
});

describe('resolveProfile', () => {
  const profile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    archMap: [
      { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] },
      { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
    ],
    syscalls: [
      { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
      { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
      { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64'] } },
      { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', excludes: { caps: ['CAP_SYS_PTRACE'] } },
    ],
  };

  it("keeps the host's architectures and the rules whose conditions the container meets", () => {
    const resolved = resolveProfile(profile, '/p.json', ['CAP_CHOWN'], 'x64');
    expect(resolved.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    expect(resolved.syscalls?.map((s) => s.names[0])).toEqual(['read', 'arch_prctl', 'ptrace']);
  });

  it('adds capability-gated rules for a container holding the capability', () => {
    const resolved = resolveProfile(
      profile,
      '/p.json',
      ['CAP_SYS_ADMIN', 'CAP_SYS_PTRACE'],
      'arm64',
    );
    expect(resolved.architectures).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    expect(resolved.syscalls?.map((s) => s.names[0])).toEqual(['read', 'mount']);
  });

  it('refuses a profile without a valid defaultAction', () => {
    expect(() => resolveProfile({ syscalls: [] }, '/p.json', [], 'x64')).toThrow(
      /\/p.json has no valid defaultAction/,
    );
  });
});

describe('the runtime/default profile', () => {
  const resolve = (caps: readonly string[]) =>
    resolveProfile(RUNTIME_DEFAULT_PROFILE, 'runtime/default', caps, 'x64');
  const allowed = (profile: ReturnType<typeof resolve>, name: string): boolean =>
    (profile.syscalls ?? []).some(
      (s) => s.names.includes(name) && s.action === 'SCMP_ACT_ALLOW' && s.args === undefined,
    );

  it('denies mount, unshare and namespace clones to a default container, allows the rest', () => {
    const profile = resolve(DEFAULT_CAPABILITIES);
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(profile.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    for (const name of ['read', 'mkdir', 'arch_prctl', 'chroot'])
      expect(allowed(profile, name)).toBe(true);
    for (const name of ['mount', 'unshare', 'setns', 'keyctl', 'clone', 's390_runtime_instr'])
      expect(allowed(profile, name)).toBe(false);
    const clone = profile.syscalls?.find((s) => s.names.includes('clone'));
    expect(clone?.args).toEqual([
      { index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' },
    ]);
    expect(profile.syscalls?.find((s) => s.names.includes('clone3'))).toMatchObject({
      action: 'SCMP_ACT_ERRNO',
      errnoRet: 38,
    });
  });

  it('allows mount, unshare and any clone with CAP_SYS_ADMIN', () => {
    const profile = resolve([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN']);
    for (const name of ['mount', 'unshare', 'clone', 'clone3'])
      expect(allowed(profile, name)).toBe(true);
    expect(profile.syscalls?.some((s) => s.action === 'SCMP_ACT_ERRNO')).toBe(false);
  });
});
