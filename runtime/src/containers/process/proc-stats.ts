// Stats for a plain process, from /proc: there is no cgroup to read. CPU time comes from
// /proc/<pid>/stat (utime + stime, in clock ticks: 100 per second on Linux), memory from the
// resident set in /proc/<pid>/status. Only the command's own process is counted.
import { readFile } from 'node:fs/promises';

const ticksPerSecond = 100;

export interface ProcStats {
  readonly cpuUsageNs: number | undefined;
  readonly rssBytes: number | undefined;
}

export async function procStats(pid: number): Promise<ProcStats> {
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    // The command name (field 2) may contain spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
    return {
      cpuUsageNs: Number.isFinite(ticks) ? (ticks * 1e9) / ticksPerSecond : undefined,
      rssBytes: Number.isFinite(rssKb) ? rssKb * 1024 : undefined,
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { cpuUsageNs: undefined, rssBytes: undefined };
    throw new Error(`reading /proc/${pid}: ${(err as Error).message}`, { cause: err });
  }
}
