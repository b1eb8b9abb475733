// The rest of a control plane for the kubelet's end-to-end cases that need one (a ReplicaSet's
// pods scheduled onto the node, a Service's Endpoints following readiness): the real scheduler
// and the real replicaset and endpoint controllers, in this process on the test's client (the
// controllers with a metrics registry of their own: the e2e runs once per runtime per process).
import { Registry } from 'prom-client';
import type { Client } from '@skiff/client';
import { defaultOptions, startControllerManager } from '@skiff/controller-manager';
import { defaultSchedulerConfig, startSchedulerApp } from '@skiff/scheduler';

export interface ControlPlane {
  stop(): Promise<void>;
}

export async function startControlPlane(client: Client): Promise<ControlPlane> {
  const base = defaultSchedulerConfig();
  const scheduler = await startSchedulerApp({
    client,
    config: { ...base, leaderElection: { ...base.leaderElection, leaderElect: false } },
    port: 0,
    host: '127.0.0.1',
    log: () => undefined,
  });
  const stop = new AbortController();
  const controllers = await startControllerManager(
    {
      ...defaultOptions,
      controllers: ['replicaset', 'endpoint'],
      leaderElect: false,
      bindAddress: '127.0.0.1',
      port: 0,
    },
    stop.signal,
    { client, registry: new Registry(), log: () => undefined },
  ).catch(async (err: unknown) => {
    await scheduler.stop();
    throw err;
  });
  return {
    stop: async () => {
      stop.abort();
      await controllers.done;
      await scheduler.stop();
    },
  };
}
