// Test-only entry of @skiff/apiserver: `@skiff/apiserver/testing`. What other packages' tests and
// benchmarks need to run against real storage and real kubectl, so none of them keeps its own
// copy. Nothing here is part of the apiserver's API, and nothing here imports vitest: a
// benchmark or an e2e driver can use it as well as a test. (The vitest hooks, `useEtcd()`, stay
// inside this package.)
export { InterruptibleStorage } from './storage/testing/interruptible-storage.js';
export {
  openTempEmbeddedStore,
  type TempEmbeddedStore,
  type TempEmbeddedStoreOptions,
} from './storage/testing/temp-embedded-store.js';
export {
  findEtcdBinary,
  startEtcd,
  type EtcdProcess,
  type StartEtcdOptions,
} from './storage/testing/etcd-process.js';
export { findOnPath } from './testing/find-on-path.js';
export { findKubectl, kubectlAt, type Kubectl, type KubectlTarget } from './testing/kubectl.js';
export { findVersionedKubectl } from './protobuf/testing/versioned-kubectl.js';
// The PATCH formats and the scale subresource as pure functions, so @skiff/client/testing's fake
// client patches and scales exactly as this server does.
export { applyPatch, PatchError } from './patch/index.js';
export { replicasFrom, workloadScale } from './http/handlers/scale.js';
export {
  startTestApiServer,
  type TestApiServer,
  type TestApiServerOptions,
} from './server/testing/test-api-server.js';
