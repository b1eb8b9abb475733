// Test-only entry of @skiff/client: `@skiff/client/testing`. A fake Client for unit-testing
// controllers, the scheduler and the kubelet the way client-go's fake clientset does — seed
// objects, run the code, assert on the recorded actions — with no apiserver. Nothing here
// imports vitest.
export {
  createFakeClient,
  type FakeClient,
  type FakeClientOptions,
} from './testing/fake/fake-client.js';
export {
  ObjectTracker,
  type Selectors,
  type TrackerDeleteOptions,
} from './testing/fake/object-tracker.js';
export { FakeWatch } from './testing/fake/fake-watch.js';
export type { Action, ActionVerb, Reaction, Reactor } from './testing/fake/actions.js';
