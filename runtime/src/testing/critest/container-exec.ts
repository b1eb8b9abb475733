// ExecSync as the validation suite uses it to look inside a container: the command's output and
// exit code, whatever the code.
import { runtimeCall } from './cri-calls.js';
import type { CriTarget } from './cri-target.js';

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export async function execIn(
  target: CriTarget,
  containerId: string,
  cmd: readonly string[],
): Promise<ExecResult> {
  const result = await runtimeCall(target, 'ExecSync', {
    container_id: containerId,
    cmd: [...cmd],
    timeout: 10,
  });
  return {
    stdout: result.stdout.toString(),
    stderr: result.stderr.toString(),
    exitCode: result.exit_code,
  };
}

/** `sh -c script` in the container. */
export function shIn(target: CriTarget, containerId: string, script: string): Promise<ExecResult> {
  return execIn(target, containerId, ['sh', '-c', script]);
}
