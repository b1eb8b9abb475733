import { describe, expect, it } from 'vitest';
import { clusterProcesses, processRole, type ProcessInfo } from './process-memory.js';

const dir = '/tmp/skiff-bench-up-x';
const table: ProcessInfo[] = [
  { pid: 1, ppid: 0, cmdline: '/sbin/init' },
  { pid: 10, ppid: 1, cmdline: `node /repo/cli/dist/main.js up --state-dir ${dir}` },
  {
    pid: 11,
    ppid: 10,
    cmdline: `node /repo/cli/dist/main.js runtime --root ${dir}/nodes/vm/runtime`,
  },
  // conmon detaches from the runtime: its parent is init, its bundle path names the state dir.
  { pid: 20, ppid: 1, cmdline: `/usr/bin/conmon --bundle ${dir}/nodes/vm/runtime/containers/a` },
  { pid: 21, ppid: 20, cmdline: '/pause' },
  { pid: 22, ppid: 21, cmdline: 'httpd -f' },
  { pid: 30, ppid: 1, cmdline: '/usr/bin/conmon --bundle /var/lib/other/containers/b' },
  { pid: 31, ppid: 30, cmdline: 'sleep 1000' },
];

describe('the processes one skiff up started', () => {
  it("counts up's descendants and whatever names its state dir, with their descendants, once each", () => {
    const pids = clusterProcesses(table, 10, dir).map((p) => p.pid);
    expect(pids.sort((a, b) => a - b)).toEqual([10, 11, 20, 21, 22]);
  });

  it.each([
    { pid: 10, role: 'skiff up' },
    { pid: 11, role: 'skiff runtime' },
    { pid: 20, role: 'conmon' },
    { pid: 22, role: 'containers' },
  ])('names pid $pid as $role', ({ pid, role }) => {
    const byPid = new Map(table.map((p) => [p.pid, p]));
    const p = byPid.get(pid);
    expect(p && processRole(p, 10, byPid)).toBe(role);
  });
});
