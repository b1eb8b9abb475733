// ExecSync: output, exit code and the timeout.
import { status as grpcStatus } from '@grpc/grpc-js';
import { expect, it } from 'vitest';
import { grpcError, runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';
import { makeContainer, sharedPod, startIn } from '../pods.js';

export function execCases(target: () => CriTarget): void {
  const shared = sharedPod(target, 'exec');
  let running: Promise<string> | undefined;
  const container = (): Promise<string> =>
    (running ??= startIn(target(), shared, makeContainer(target(), 'exec-target', 'sleep 3600')));

  it('returns stdout, stderr and the exit code of the command', async () => {
    const result = await runtimeCall(target(), 'ExecSync', {
      container_id: await container(),
      cmd: ['sh', '-c', 'echo to stdout; echo to stderr >&2; exit 3'],
      timeout: 10,
    });
    expect(result.stdout.toString()).toBe('to stdout\n');
    expect(result.stderr.toString()).toBe('to stderr\n');
    expect(result.exit_code).toBe(3);
  });

  it('runs the command in the container, with the image environment', async () => {
    const result = await runtimeCall(target(), 'ExecSync', {
      container_id: await container(),
      cmd: ['sh', '-c', 'echo $PATH; test -x /bin/busybox'],
      timeout: 10,
    });
    expect(result.exit_code).toBe(0);
    expect(result.stdout.toString()).toContain('/bin');
  });

  it('fails with DEADLINE_EXCEEDED when the command outlives its timeout', async () => {
    // The call's own deadline (CALL_TIMEOUT_MS) is longer than the command, so DEADLINE_EXCEEDED
    // can only be the runtime's: left alone the command would have ended with 0 at 30 s.
    const err = await grpcError(
      runtimeCall(target(), 'ExecSync', {
        container_id: await container(),
        cmd: ['sleep', '30'],
        timeout: 1,
      }),
    );
    expect(err.code).toBe(grpcStatus.DEADLINE_EXCEEDED);
  });

  it('has reaped a timed-out command by the time ExecSync returns: no zombie is left', async () => {
    const id = await container();
    const err = await grpcError(
      runtimeCall(target(), 'ExecSync', {
        container_id: id,
        cmd: ['sleep', '31'],
        timeout: 1,
      }),
    );
    expect(err.code).toBe(grpcStatus.DEADLINE_EXCEEDED);
    // Every process of the container but PID 1 (the container's own sleep) and this shell, with
    // its state: the killed `sleep 31` must be gone, not a zombie (Z) nobody waits for.
    const { stdout } = await runtimeCall(target(), 'ExecSync', {
      container_id: id,
      cmd: ['sh', '-c', 'for s in /proc/[0-9]*/stat; do cat $s 2>/dev/null; echo; done'],
      timeout: 10,
    });
    const others = stdout
      .toString()
      .split('\n')
      .map((line) => /^(\d+) \((.*)\) (\S)/.exec(line))
      .filter(
        (m): m is RegExpExecArray => m !== null && m[1] !== '1' && m[2] !== 'sh' && m[2] !== 'cat',
      )
      .map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(others).toEqual([]);
  });
}
