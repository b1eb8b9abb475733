// Runs docs/lab.md's `skiff-lab` blocks on the lab's VMs, in order: a background block starts its
// component (recorded before the next step, so `lab down` finds it), any other block runs to its
// end. A step that hangs, or a component that dies while a step waits, fails `lab up` with the
// log to read instead of a wait that never ends.
import { appendFile, readFile } from 'node:fs/promises';
import type { LabStep } from './lab-steps.js';
import { writeLabRecord, type LabPaths, type LabRecord, type LabVm } from './lab-record.js';
import { spawnOnVm, startDaemonOnVm, type Daemon } from './vm-shell.js';

export interface RunStepsOptions {
  readonly paths: LabPaths;
  readonly stepTimeoutMs: number;
  readonly log: (line: string) => void;
}

function targets(record: LabRecord, step: LabStep): LabVm[] {
  if (step.vm === 'all') return [...record.vms];
  return record.vms.filter((v) => (step.vm === 'nodes' ? v.role === 'node' : v.role === step.vm));
}

async function tail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch((err: unknown) => `(${String(err)})`);
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

interface Started {
  readonly vm: string;
  readonly name: string;
  readonly log: string;
  readonly daemon: Daemon;
}

/** Runs every step; resolves with the record holding the components it started. */
export async function runLabSteps(
  initial: LabRecord,
  steps: readonly LabStep[],
  options: RunStepsOptions,
): Promise<LabRecord> {
  const { paths } = options;
  let record = initial;
  const started: Started[] = [];
  const dead = (): Started | undefined => started.find((s) => s.daemon.exited() !== undefined);
  for (const step of steps) {
    for (const vm of targets(record, step)) {
      const command = { record, vm, paths };
      if (step.background !== undefined) {
        const log = paths.log(vm.name, step.background);
        options.log(`• ${vm.name}: ${step.background} (log ${log})`);
        const daemon = startDaemonOnVm(
          { ...command, argv: ['sh', '-c', `exec ${step.script}`] },
          log,
        );
        started.push({ vm: vm.name, name: step.background, log, daemon });
        record = {
          ...record,
          processes: [...record.processes, { vm: vm.name, name: step.background, pid: daemon.pid }],
        };
        await writeLabRecord(paths, record);
        continue;
      }
      const log = paths.log(vm.name, 'steps');
      await appendFile(
        log,
        `--- ${new Date().toISOString()} docs line ${step.line}\n${step.script}\n`,
      );
      const child = spawnOnVm({ ...command, argv: ['sh', '-e', '-c', step.script] }, 'pipe');
      const outcome = await new Promise<string | undefined>((resolve) => {
        let output = '';
        child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
        let done = false;
        const finish = (failure: string | undefined): void => {
          if (done) return;
          done = true;
          clearInterval(watch);
          clearTimeout(timer);
          void appendFile(log, output).then(
            () => resolve(failure),
            (err: unknown) => resolve(`${failure ?? ''} (writing ${log}: ${String(err)})`),
          );
        };
        const watch = setInterval(() => {
          const gone = dead();
          if (gone === undefined) return;
          child.kill('SIGKILL');
          finish(
            `${gone.vm}'s ${gone.name} exited (${String(gone.daemon.exited())}); see ${gone.log}`,
          );
        }, 200);
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          finish(`no end after ${options.stepTimeoutMs / 1000} s; see ${log}`);
        }, options.stepTimeoutMs);
        child.on('error', (err) => finish(String(err)));
        child.on('close', (code) => finish(code === 0 ? undefined : `exited ${code}; see ${log}`));
      });
      if (outcome !== undefined) {
        const gone = dead();
        const why = gone === undefined ? '' : `\n${gone.log}:\n${await tail(gone.log)}`;
        throw new Error(`${vm.name}: the step at docs line ${step.line} failed: ${outcome}${why}`);
      }
    }
  }
  return record;
}
