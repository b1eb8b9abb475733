// kube-controller-manager in one function: a client from the kubeconfig, one Manager (one
// informer per resource shared by every controller, /healthz, /readyz and /metrics), the
// selected controllers, and one leader election on the Lease kube-system/kube-controller-manager
// so that of several replicas only one acts.
import { clientFromKubeconfig, Manager, type Client } from '@skiff/client';
import type { Registry } from 'prom-client';
import { initializers } from './controllers.js';
import {
  selectControllers,
  type ControllerManagerOptions,
  type ControllerName,
} from './options.js';

export interface ControllerManagerRun {
  /** The controllers that run, and those selected but not written yet. */
  readonly started: readonly ControllerName[];
  readonly notImplemented: readonly ControllerName[];
  readonly manager: Manager;
  /** Resolves when `signal` has stopped everything; rejects if leadership is lost. */
  readonly done: Promise<void>;
}

export interface StartOptions {
  /** A ready client instead of the kubeconfig (tests). */
  readonly client?: Client;
  /** Where metrics go; default prom-client's global registry. */
  readonly registry?: Registry;
  readonly log?: (message: string) => void;
}

export async function startControllerManager(
  options: ControllerManagerOptions,
  signal: AbortSignal,
  start: StartOptions = {},
): Promise<ControllerManagerRun> {
  const selected = selectControllers(options.controllers);
  const client =
    start.client ??
    (await clientFromKubeconfig(
      {
        ...(options.kubeconfig !== undefined && { kubeconfig: options.kubeconfig }),
        ...(options.master !== undefined && { server: options.master }),
      },
      { qps: options.kubeApiQps, burst: options.kubeApiBurst },
    ));
  const manager = new Manager({
    client,
    http: { port: options.port, host: options.bindAddress },
    ...(start.registry && { registry: start.registry }),
    ...(start.log && { log: start.log }),
    ...(options.leaderElect && {
      leaderElection: {
        namespace: options.leaderElectResourceNamespace,
        name: options.leaderElectResourceName,
        leaseDurationMs: options.leaderElectLeaseDurationMs,
        renewDeadlineMs: options.leaderElectRenewDeadlineMs,
        retryPeriodMs: options.leaderElectRetryPeriodMs,
      },
    }),
  });
  const started: ControllerName[] = [];
  const notImplemented: ControllerName[] = [];
  for (const name of selected) {
    const init = initializers[name];
    if (!init) {
      notImplemented.push(name);
      continue;
    }
    init(manager, options);
    started.push(name);
  }
  const done = manager.start(signal).finally(() => {
    if (!start.client) client.close();
  });
  return { started, notImplemented, manager, done };
}
