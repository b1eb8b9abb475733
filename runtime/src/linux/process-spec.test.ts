// The pure decisions behind a container's process: argv precedence, environment merging,
// capability sets and user resolution from the image's own /etc/passwd.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundingSetOf, capabilitySets, DEFAULT_CAPABILITIES } from './capabilities.js';
import { resolveUser } from './passwd.js';
import { containerArgs, containerEnv } from './process-args.js';
import { resolveInRoot } from './root-path.js';

describe('containerArgs', () => {
  const image = { entrypoint: ['/entry'], cmd: ['default-arg'] };
  it.each([
    ['uses Entrypoint + Cmd when the config sets neither', [], [], ['/entry', 'default-arg']],
    ['replaces both with command (+ args) when command is set', ['/bin/app'], [], ['/bin/app']],
    ['appends args to command', ['/bin/app'], ['-v'], ['/bin/app', '-v']],
    [
      'keeps Entrypoint and replaces Cmd when only args are set',
      [],
      ['x', 'y'],
      ['/entry', 'x', 'y'],
    ],
  ])('%s', (_name, command, args, expected) => {
    expect(containerArgs({ command, args, ...image })).toEqual(expected);
  });

  it('fails when nothing says what to run', () => {
    expect(() => containerArgs({ command: [], args: [], entrypoint: [], cmd: [] })).toThrow(
      /no command/,
    );
  });
});

describe('containerEnv', () => {
  it('lets the config override the image by key and adds PATH, HOSTNAME and HOME', () => {
    const env = containerEnv(
      ['A=image', 'B=image'],
      [
        { key: 'B', value: 'config' },
        { key: 'C', value: 'x=y' },
      ],
      {
        hostname: 'pod-1',
        home: '/root',
      },
    );
    expect(env).toEqual([
      'A=image',
      'B=config',
      'C=x=y',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOSTNAME=pod-1',
      'HOME=/root',
    ]);
  });

  it('keeps the image PATH and an explicit HOME', () => {
    expect(
      containerEnv(['PATH=/opt/bin', 'HOME=/data'], [], { hostname: '', home: '/root' }),
    ).toEqual(['PATH=/opt/bin', 'HOME=/data']);
  });
});

describe('capabilitySets', () => {
  const everything = (1n << 41n) - 1n;
  const base = {
    privileged: false,
    add: [],
    drop: [],
    addAmbient: [],
    lastCap: 40,
    boundingSet: everything,
  };
  it.each([
    ['the default set', {}, [...DEFAULT_CAPABILITIES].sort()],
    [
      'adds names with or without the CAP_ prefix',
      { add: ['NET_ADMIN', 'CAP_SYS_TIME'] },
      [...DEFAULT_CAPABILITIES, 'CAP_NET_ADMIN', 'CAP_SYS_TIME'].sort(),
    ],
    [
      'drops ALL and adds back one',
      { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      ['CAP_NET_BIND_SERVICE'],
    ],
    ['drops one', { drop: ['KILL'] }, DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_KILL').sort()],
  ])('%s', (_name, patch, expected) => {
    const sets = capabilitySets({ ...base, ...patch });
    expect(sets.bounding).toEqual(expected);
    expect(sets.effective).toEqual(expected);
    expect(sets.inheritable).toEqual([]);
  });

  it('gives a privileged container every capability the kernel knows, and no more', () => {
    const sets = capabilitySets({ ...base, privileged: true, lastCap: 37 });
    expect(sets.bounding).toHaveLength(38);
    expect(sets.bounding).toContain('CAP_SYS_ADMIN');
    expect(sets.bounding).not.toContain('CAP_BPF');
  });

  // This VM's CapBnd: everything up to CAP_CHECKPOINT_RESTORE but CAP_SYS_RESOURCE (24).
  const withoutSysResource = boundingSetOf('Name:\tnode\nCapBnd:\t000001fffeffffff\n');

  it.each([
    ['privileged', { privileged: true }],
    ['add ALL', { add: ['ALL'] }],
  ])('grants %s only what the runtime holds in its bounding set', (_name, patch) => {
    const sets = capabilitySets({ ...base, ...patch, boundingSet: withoutSysResource });
    expect(sets.bounding).toHaveLength(40);
    expect(sets.bounding).not.toContain('CAP_SYS_RESOURCE');
    expect(sets.effective).toContain('CAP_SYS_ADMIN');
  });

  it('reads the bounding set from a process status', () => {
    expect(withoutSysResource).toBe(0x1fffeffffffn);
    expect(() => boundingSetOf('Name:\tnode\n')).toThrow(/no CapBnd/);
  });

  it('rejects a capability name the kernel does not have', () => {
    expect(() => capabilitySets({ ...base, add: ['MAKE_COFFEE'] })).toThrow(
      /unknown capability "MAKE_COFFEE"/,
    );
  });
});

describe('resolveUser', () => {
  let rootfs: string;

  beforeAll(async () => {
    rootfs = await mkdtemp(join(tmpdir(), 'skiff-passwd-'));
    await mkdir(join(rootfs, 'etc'));
    await writeFile(
      join(rootfs, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n',
    );
    await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\napp:x:1000:\nextra:x:2000:app\n');
  });
  afterAll(async () => {
    await rm(rootfs, { recursive: true, force: true });
  });

  it.each([
    ['root by default', {}, { uid: 0, gid: 0, home: '/root', additionalGids: [] }],
    [
      'the image user by name, with its groups',
      { imageUser: 'app' },
      { uid: 1000, gid: 1000, home: '/home/app', additionalGids: [2000] },
    ],
    [
      'uid:group from the image',
      { imageUser: '1000:extra' },
      { uid: 1000, gid: 2000, home: '/home/app', additionalGids: [] },
    ],
    [
      'a numeric uid unknown to passwd',
      { uid: 4242 },
      { uid: 4242, gid: 0, home: '/', additionalGids: [] },
    ],
    [
      'run_as_user over the image user',
      { uid: 0, imageUser: 'app' },
      { uid: 0, gid: 0, home: '/root', additionalGids: [] },
    ],
    [
      'run_as_group and supplemental groups',
      { username: 'app', gid: 5, supplementalGroups: [7] },
      { uid: 1000, gid: 5, home: '/home/app', additionalGids: [7, 2000] },
    ],
    [
      'only the requested groups with supplemental_groups_policy Strict',
      { username: 'app', supplementalGroups: [7], strictGroups: true },
      { uid: 1000, gid: 1000, home: '/home/app', additionalGids: [7] },
    ],
  ])('resolves %s', async (_name, request, expected) => {
    const user = await resolveUser(rootfs, request);
    expect({ ...user, additionalGids: [...user.additionalGids].sort((a, b) => a - b) }).toEqual({
      ...expected,
      additionalGids: [...expected.additionalGids].sort((a, b) => a - b),
    });
  });

  it('fails for a user name the image does not have', async () => {
    await expect(resolveUser(rootfs, { username: 'ghost' })).rejects.toThrow(
      /"ghost" is not in the image's \/etc\/passwd/,
    );
  });
});

describe('resolveInRoot', () => {
  it('follows symlinks as the container would, never out of the root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'skiff-root-path-'));
    try {
      await mkdir(join(root, 'etc'));
      await mkdir(join(root, 'data'));
      await writeFile(join(root, 'data/real'), 'x');
      await symlink('/data/real', join(root, 'etc/abs'));
      await symlink('../../../../../data/real', join(root, 'etc/escape'));
      expect(await resolveInRoot(root, '/etc/abs')).toBe(join(root, 'data/real'));
      expect(await resolveInRoot(root, '/etc/escape')).toBe(join(root, 'data/real'));
      expect(await resolveInRoot(root, '/etc/missing')).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
