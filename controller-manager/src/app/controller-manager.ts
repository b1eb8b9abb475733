// kube-controller-manager in one function: a client from the kubeconfig, one Manager (one
// informer per resource shared by every controller, /healthz, /readyz and /metrics), the
// selected controllers, and one leader election on the Lease kube-system/kube-controller-manager
// so that of several replicas only one acts.
import {
  createClient,
  loadRestConfig,
  Manager,
  RestClient,
  type Client,
  type RequestSender,
} from '@skiff/client';
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
  /** Selected, but their options turn them off (nodeipam without --allocate-node-cidrs). */
  readonly disabled: readonly ControllerName[];
  readonly manager: Manager;
  /** Resolves when `signal` has stopped everything; rejects if leadership is lost. */
  readonly done: Promise<void>;
}

export interface StartOptions {
  /** A ready client instead of the kubeconfig (tests): informers, leader election, events. */
  readonly client?: Client;
  /** With `client`: the client controllers write with (default: `client`). */
  readonly controllerClient?: Client;
  /**
   * With `client`: raw requests to the same apiserver, for discovery (the namespace controller
   * reads /api and /apis through it); without one, controllers that need it do not start.
   */
  readonly discovery?: RequestSender;
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
  // As in kube-controller-manager, leader election has a client (and so a rate limiter) of its
  // own: renewals must not queue behind a burst of pod creates, or a busy leader loses its lease
  // exactly when it is busiest. Informers and events share that client, unthrottled (events
  // follow the controllers' writes, which --kube-api-qps/--kube-api-burst limit).
  const clients = start.client
    ? {
        manager: start.client,
        controllers: start.controllerClient ?? start.client,
        discovery: start.discovery,
      }
    : await clientsFromKubeconfig(options);
  const manager = new Manager({
    client: clients.manager,
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
  const disabled: ControllerName[] = [];
  for (const name of selected) {
    const init = initializers[name];
    if (!init) {
      notImplemented.push(name);
      continue;
    }
    if (init(manager, options, clients.controllers, clients.discovery) === false) {
      disabled.push(name);
      continue;
    }
    started.push(name);
  }
  const closeClients = (): void => {
    if (start.client) return;
    clients.manager.close();
    clients.controllers.close();
    if (clients.discovery instanceof RestClient) clients.discovery.close();
  };
  try {
    // /healthz answers before this says it has started (a busy machine must not see it closed).
    await manager.serve();
  } catch (err) {
    closeClients();
    throw err;
  }
  const done = manager.start(signal).finally(closeClients);
  return { started, notImplemented, disabled, manager, done };
}

async function clientsFromKubeconfig(
  options: ControllerManagerOptions,
): Promise<{ manager: Client; controllers: Client; discovery: RestClient }> {
  const config = await loadRestConfig({
    ...(options.kubeconfig !== undefined && { kubeconfig: options.kubeconfig }),
    ...(options.master !== undefined && { server: options.master }),
  });
  const limits = { qps: options.kubeApiQps, burst: options.kubeApiBurst };
  return {
    manager: createClient({ ...config, qps: Infinity }),
    controllers: createClient({ ...config, ...limits }),
    discovery: new RestClient({ ...config, ...limits }),
  };
}
