// The memory of everything one `skiff up` started, read from /proc: the `skiff up` process and
// its descendants (the runtime; with --split every component), plus the processes that name the
// cluster's state dir on their command line and their descendants — the conmons, which detach
// from the runtime that started them (their parent becomes init), and under each conmon its
// container's processes (the pause and the app). Short-lived helpers (iptables, runc) count
// only if they happen to run at the instant of the reading.
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** The command line, arguments joined by spaces. */
  readonly cmdline: string;
}

/** Which processes belong to the cluster: the roots' descendants, roots included. */
export function clusterProcesses(
  all: readonly ProcessInfo[],
  rootPid: number,
  stateDir: string,
): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const picked = new Map<number, ProcessInfo>();
  const visit = (p: ProcessInfo): void => {
    if (picked.has(p.pid)) return;
    picked.set(p.pid, p);
    for (const child of children.get(p.pid) ?? []) visit(child);
  };
  for (const p of all) {
    if (p.pid === rootPid || p.cmdline.includes(stateDir)) visit(p);
  }
  return [...picked.values()];
}

/** What a process is, for the breakdown: its role in the cluster. */
export function processRole(
  p: ProcessInfo,
  rootPid: number,
  byPid: ReadonlyMap<number, ProcessInfo>,
): string {
  if (p.pid === rootPid) return 'skiff up';
  const argv = p.cmdline.split(' ');
  const skiffArg = argv.findIndex((a) => a.endsWith('main.js') || a.endsWith('main.ts'));
  if (skiffArg >= 0) return `skiff ${argv[skiffArg + 1] ?? ''}`.trim();
  if (/(^|\/)conmon$/.test(argv[0] ?? '')) return 'conmon';
  // Under a conmon: the container's own processes (pause or the app), however deep.
  for (let up = byPid.get(p.ppid); up !== undefined; up = byPid.get(up.ppid)) {
    if (/(^|\/)conmon$/.test(up.cmdline.split(' ')[0] ?? '')) return 'containers';
  }
  return `other (${(argv[0] ?? '').split('/').pop() ?? ''})`;
}

export async function listProcesses(): Promise<ProcessInfo[]> {
  const out: ProcessInfo[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: ppid follows the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ');
      out.push({ pid: Number(entry), ppid, cmdline: cmdline.trim() });
    } catch (err) {
      // A process that exited between readdir and the read is simply not there any more.
      if (
        (err as NodeJS.ErrnoException).code !== 'ENOENT' &&
        (err as NodeJS.ErrnoException).code !== 'ESRCH'
      )
        throw err;
    }
  }
  return out;
}

export interface Memory {
  /** Resident set, kB: what `ps` and the target count; shared pages count once per process. */
  readonly rssKb: number;
  /** Proportional set, kB: shared pages divided among their sharers — sums honestly. */
  readonly pssKb: number;
}

/** RSS and PSS of one process from /proc/PID/smaps_rollup; zero if it has exited. */
export async function processMemory(pid: number): Promise<Memory> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { rssKb: 0, pssKb: 0 };
    throw err;
  }
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssKb: field('Rss'), pssKb: field('Pss') };
}

export interface RoleMemory extends Memory {
  readonly role: string;
  readonly count: number;
}

/** The cluster's memory per role, largest first, and the totals. */
export async function clusterMemory(
  rootPid: number,
  stateDir: string,
): Promise<{ roles: RoleMemory[]; total: Memory & { count: number } }> {
  const all = await listProcesses();
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const roles = new Map<string, RoleMemory>();
  for (const p of clusterProcesses(all, rootPid, stateDir)) {
    const role = processRole(p, rootPid, byPid);
    const m = await processMemory(p.pid);
    const was = roles.get(role) ?? { role, count: 0, rssKb: 0, pssKb: 0 };
    roles.set(role, {
      role,
      count: was.count + 1,
      rssKb: was.rssKb + m.rssKb,
      pssKb: was.pssKb + m.pssKb,
    });
  }
  const list = [...roles.values()].sort((a, b) => b.rssKb - a.rssKb);
  const total = list.reduce(
    (t, r) => ({ count: t.count + r.count, rssKb: t.rssKb + r.rssKb, pssKb: t.pssKb + r.pssKb }),
    { count: 0, rssKb: 0, pssKb: 0 },
  );
  return { roles: list, total };
}
