// Fetching what describe pod prints: the pod and the events about it. kubectl leaves the kind
// out of the events' selector for pods and, for a mirror pod, looks for the static pod's UID.
import type { Pod } from '@skiff/api';
import { core, typed, type Describer } from './context.js';
import { searchEvents } from './events.js';
import { describePod } from './pod.js';

const MIRROR = 'kubernetes.io/config.mirror';

export const describePodNamed: Describer = async (ctx, namespace, name) => {
  const pod = await typed<Pod>(ctx, core('pods'), namespace).get(name);
  const events = ctx.showEvents
    ? await searchEvents(ctx.conn, {
        name,
        namespace,
        uid: pod.metadata.annotations?.[MIRROR] ?? pod.metadata.uid,
      })
    : undefined;
  return describePod(pod, events, ctx.now);
};
