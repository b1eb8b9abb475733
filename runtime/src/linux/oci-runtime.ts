// The low-level OCI runtime (crun or runc) as skiff uses it: one CLI invocation per verb, with
// its own state directory so skiff's containers never mix with another engine's. Creating a
// container is not here: conmon runs `<runtime> create` itself so that it becomes the parent
// of the container's process (see conmon.ts).
import { rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { exists } from '../files/exists.js';
import { CommandError, run, tryRun } from '../network/exec.js';
import type { OciResources } from './oci-spec.js';

export interface OciState {
  /** 'creating', 'created', 'running', 'stopped' or 'paused' (runtimes may add others). */
  readonly status: string;
  readonly pid: number;
}

export class OciRuntime {
  constructor(
    /** Absolute path of crun or runc. */
    readonly path: string,
    /** The runtime's --root: where it keeps its own per-container state (tmpfs is fine). */
    readonly stateRoot: string,
  ) {}

  get name(): string {
    return basename(this.path);
  }

  /** The arguments every invocation starts with; conmon gets them as --runtime-arg. */
  get globalArgs(): string[] {
    return [`--root=${this.stateRoot}`];
  }

  async start(id: string): Promise<void> {
    await this.run(['start', id]);
  }

  /** Sends `signal` (a name like TERM or KILL) to the container's init, or to all its processes. */
  async kill(id: string, signal: string, all = false): Promise<void> {
    await this.run(['kill', ...(all ? ['--all'] : []), id, signal]);
  }

  /** The runtime's view of the container, or undefined if it does not know it. */
  async state(id: string): Promise<OciState | undefined> {
    const result = await tryRun(this.path, [...this.globalArgs, 'state', id]);
    if (result.exitCode !== 0) {
      if (/does not exist|not found|No such file/i.test(result.stderr)) return undefined;
      throw new CommandError(
        [this.path, 'state', id],
        result.exitCode,
        result.stderr,
        `exited with ${result.exitCode}`,
      );
    }
    const parsed = JSON.parse(result.stdout) as { status?: unknown; pid?: unknown };
    return {
      status: typeof parsed.status === 'string' ? parsed.status : '',
      pid: Number(parsed.pid ?? 0),
    };
  }

  /** Forgets the container (killing it first if it still runs); unknown ids are fine. */
  async delete(id: string): Promise<void> {
    // crun and runc both keep a container's state in `<root>/<id>/`; without it the runtime does
    // not know the container, and asking it to forget it costs a process for nothing (a removal
    // after the stop already deleted it, or a creation that never reached the runtime).
    if (!(await exists(join(this.stateRoot, id)))) return;
    const result = await tryRun(this.path, [...this.globalArgs, 'delete', '--force', id]);
    if (result.exitCode !== 0 && !/does not exist|not found|No such file/i.test(result.stderr)) {
      throw new CommandError(
        [this.path, 'delete', id],
        result.exitCode,
        result.stderr,
        `exited with ${result.exitCode}`,
      );
    }
  }

  /** Applies new limits to a running container (the OCI LinuxResources JSON, via a file). */
  async update(id: string, resources: OciResources, scratchDir: string): Promise<void> {
    const file = join(scratchDir, `resources-${process.pid}-${Date.now()}.json`);
    await writeFile(file, JSON.stringify(resources));
    try {
      await this.run(['update', '--resources', file, id]);
    } finally {
      await rm(file, { force: true });
    }
  }

  private async run(args: readonly string[]): Promise<string> {
    return run(this.path, [...this.globalArgs, ...args]);
  }
}
