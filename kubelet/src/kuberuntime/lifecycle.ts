// Container lifecycle hooks (Kubernetes' pkg/kubelet/lifecycle): postStart runs right after the
// container starts, preStop before it is stopped; each is an exec (CRI ExecSync), an httpGet
// against the pod IP, or a sleep. Exec and httpGet reuse the probe runners: the same request,
// the same success rule (exit 0; 2xx/3xx).
import { type Clock, type Container, type LifecycleHandler } from '@skiff/api';
import type { RuntimeService } from '../cri/index.js';
import { runProbe } from '../prober/probe.js';

export interface HookTarget {
  readonly container: Readonly<Container>;
  readonly containerId: string;
  readonly podIP: string;
}

/** Runs a hook within `timeoutSeconds`; resolves with why it failed, or undefined if it worked. */
export async function runLifecycleHandler(
  handler: Readonly<LifecycleHandler>,
  target: HookTarget,
  timeoutSeconds: number,
  runtime: Pick<RuntimeService, 'execSync'>,
  clock: Clock,
): Promise<string | undefined> {
  if (handler.sleep) {
    await clock.sleep(Math.min(handler.sleep.seconds, timeoutSeconds) * 1000);
    return undefined;
  }
  if (!handler.exec && !handler.httpGet) {
    return 'the hook has no handler this kubelet runs (exec, httpGet, sleep)';
  }
  const outcome = await runProbe(
    {
      ...(handler.exec && { exec: handler.exec }),
      ...(handler.httpGet && { httpGet: handler.httpGet }),
      timeoutSeconds: Math.max(1, timeoutSeconds),
    },
    target,
    runtime,
  );
  return outcome.result === 'success' ? undefined : outcome.output;
}
