// Turning the user a container asks for into numbers, the way the kernel needs them: names are
// looked up in the image's own /etc/passwd and /etc/group (not the host's), as Docker and
// containerd do; a numeric uid needs no entry at all.
import { readFile } from 'node:fs/promises';
import { resolveInRoot } from './root-path.js';

export interface UserRequest {
  /** From the container config's run_as_user (wins over everything). */
  readonly uid?: number;
  /** From run_as_username. */
  readonly username?: string;
  /** From run_as_group. */
  readonly gid?: number;
  /** The image's User, `user[:group]` with names or numbers; used when the config says nothing. */
  readonly imageUser?: string;
  /** The config's supplemental_groups. */
  readonly supplementalGroups?: readonly number[];
  /**
   * supplemental_groups_policy Strict: only the requested groups, not the user's memberships in
   * the image's /etc/group (Merge, the default, adds those).
   */
  readonly strictGroups?: boolean;
}

export interface ResolvedUser {
  readonly uid: number;
  readonly gid: number;
  /** The passwd home directory, for HOME. */
  readonly home: string;
  readonly additionalGids: number[];
}

interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

export async function resolveUser(rootfs: string, request: UserRequest): Promise<ResolvedUser> {
  const passwd = parsePasswd(await readInRoot(rootfs, '/etc/passwd'));
  const groups = parseGroup(await readInRoot(rootfs, '/etc/group'));
  const [imageUserPart = '', imageGroupPart = ''] = (request.imageUser ?? '').split(':');
  const userSpec =
    request.uid !== undefined ? String(request.uid) : (request.username ?? imageUserPart);

  let entry: PasswdEntry | undefined;
  let uid = 0;
  if (userSpec === '') {
    entry = passwd.find((p) => p.uid === 0);
  } else if (/^[0-9]+$/.test(userSpec)) {
    uid = Number(userSpec);
    entry = passwd.find((p) => p.uid === uid);
  } else {
    entry = passwd.find((p) => p.name === userSpec);
    if (entry === undefined) {
      throw new Error(`user ${JSON.stringify(userSpec)} is not in the image's /etc/passwd`);
    }
    uid = entry.uid;
  }

  let gid = entry?.gid ?? 0;
  const groupSpec = request.gid !== undefined ? String(request.gid) : imageGroupPart;
  if (groupSpec !== '') {
    if (/^[0-9]+$/.test(groupSpec)) gid = Number(groupSpec);
    else {
      const group = groups.find((g) => g.name === groupSpec);
      if (group === undefined) {
        throw new Error(`group ${JSON.stringify(groupSpec)} is not in the image's /etc/group`);
      }
      gid = group.gid;
    }
  }

  const memberOf =
    entry === undefined || request.strictGroups === true
      ? []
      : groups.filter((g) => g.members.includes(entry.name));
  const additional = new Set([
    ...memberOf.map((g) => g.gid),
    ...(request.supplementalGroups ?? []),
  ]);
  additional.delete(gid);
  return {
    uid,
    gid,
    home: entry?.home ?? '/',
    additionalGids: [...additional].sort((a, b) => a - b),
  };
}

async function readInRoot(rootfs: string, path: string): Promise<string> {
  const hostPath = await resolveInRoot(rootfs, path);
  if (hostPath === undefined) return '';
  try {
    return await readFile(hostPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A directory or a dangling entry where the file should be: the image has no such table.
    if (code === 'ENOENT' || code === 'EISDIR') return '';
    throw new Error(`reading the image's ${path}: ${(err as Error).message}`, { cause: err });
  }
}

export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 7 || line.startsWith('#')) continue;
    const [name = '', , uid = '', gid = '', , home = ''] = fields;
    if (!/^[0-9]+$/.test(uid) || !/^[0-9]+$/.test(gid)) continue;
    entries.push({ name, uid: Number(uid), gid: Number(gid), home: home || '/' });
  }
  return entries;
}

export function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 4 || line.startsWith('#')) continue;
    const [name = '', , gid = '', members = ''] = fields;
    if (!/^[0-9]+$/.test(gid)) continue;
    entries.push({ name, gid: Number(gid), members: members.split(',').filter(Boolean) });
  }
  return entries;
}
