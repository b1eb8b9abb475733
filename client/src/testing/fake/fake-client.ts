// A Client with no server behind it, like client-go's fake clientset: every verb of every
// resource client goes to one ObjectTracker, is recorded as an Action, and can be answered
// instead by a reactor a test prepends. Informers, listers and controllers run on it unchanged.
//
//   const client = createFakeClient({ objects: [makePod().name('a').namespace('ns').obj()] });
//   await reconcile(client, 'ns/a');
//   expect(client.actions().map((a) => [a.verb, a.resource, a.name])).toEqual([...]);
import { kindForResource, type Clock, type KindInfo } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import type { Client, Unstructured } from '../../rest/client.js';
import { DEFAULT_NAMESPACE } from '../../rest/config.js';
import type { GroupVersionResource } from '../../rest/paths.js';
import type { KubeObject } from '../../rest/resource-client.js';
import { typedClients } from '../../rest/typed-clients.js';
import { ActionRecorder, type Action, type ActionVerb, type Reactor } from './actions.js';
import { FakeResourceClient, type FakeBackend } from './fake-resource-client.js';
import { ObjectTracker } from './object-tracker.js';

export interface FakeClientOptions {
  /** Objects the cluster starts with (built-in kinds; add custom ones with `tracker.add`). */
  readonly objects?: readonly KubeObject[];
  /** The namespace typed helpers use when given none (`default`). */
  readonly namespace?: string;
  /** Stamps creationTimestamp and deletionTimestamp; a FakeClock at 2026-01-01 by default. */
  readonly clock?: Clock;
}

export interface FakeClient extends Client {
  /** The objects behind the client: seed more with `tracker.add`, or read what was written. */
  readonly tracker: ObjectTracker;
  readonly clock: Clock;
  /** Every call so far, in order (copies: editing one changes nothing). */
  actions(): Action[];
  clearActions(): void;
  /**
   * Puts `reactor` first in line for `verb` on `resource` (`'*'` for any; `'pods/status'` for
   * a subresource): return `{ error }` to fail the call, `{ object }` to answer it, undefined to
   * pass it on to the next reactor and finally the tracker.
   */
  prependReactor(verb: ActionVerb | '*', resource: string, reactor: Reactor): void;
}

export function createFakeClient(options: FakeClientOptions = {}): FakeClient {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const clock = options.clock ?? new FakeClock();
  const tracker = new ObjectTracker(clock);
  for (const object of options.objects ?? []) tracker.add(object);
  const recorder = new ActionRecorder();
  const backend: FakeBackend = {
    tracker,
    now: () => clock.now(),
    invoke: (action, run) => recorder.invoke(action, run),
  };
  const forKind = <T extends KubeObject>(kind: KindInfo, ns: string | undefined) =>
    new FakeResourceClient<T>(backend, kind, ns, { apiVersion: kind.apiVersion, kind: kind.kind });
  return {
    ...typedClients(forKind, namespace),
    namespace,
    tracker,
    clock,
    resource<T extends KubeObject = Unstructured>(gvr: GroupVersionResource, ns?: string) {
      const known = kindForResource(gvr.group, gvr.version, gvr.resource);
      if (known) return forKind<T>(known, ns || undefined);
      const { group, version, resource } = gvr;
      return new FakeResourceClient<T>(backend, { group, version, resource }, ns || undefined);
    },
    actions: () => recorder.actions(),
    clearActions: () => recorder.clear(),
    prependReactor: (verb, resource, react) => recorder.prepend({ verb, resource, react }),
    close: () => undefined,
  };
}
