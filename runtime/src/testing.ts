// What other packages' tests may stand on (`@skiff/runtime/testing`): containerd 1.6 started as a
// private CRI daemon (the reference runtime of the CRI suite), the test images both runtimes
// import (busybox and the pause image, built from the host's busybox; no registry is reachable),
// and a real local registry with a pusher and an htpasswd maker for pulls with credentials.
export {
  containerdUnavailable,
  startContainerdTarget,
} from './testing/critest/containerd-target.js';
export type { CriTarget } from './testing/critest/cri-target.js';
export {
  BUSYBOX_IMAGE,
  SANDBOX_IMAGE,
  writeTestImages,
  type TestImageArchives,
} from './testing/critest/test-images.js';
export type { BuiltImage } from './images/build/image-builder.js';
export { htpasswdLine } from './images/testing/htpasswd.js';
export {
  REGISTRY_BINARY,
  pushImage,
  startRegistry,
  type TestRegistry,
} from './images/testing/registry.js';
export {
  dialChannels,
  dialSpdy,
  openSpdyCommand,
  parseStatus,
  type ClientTls,
} from './streaming/testing/streaming-client.js';
// How the runtime sizes a pod's veth pair (BIG TCP, decision 0021) and the rtnetlink calls behind
// it, so a lab that builds pods the runtime's way (podnet's two-node lab) sizes them the same way.
export { matchPodGsoToNode, podGsoIpv4MaxSize } from './network/pod-gso.js';
export { vethAlias } from './network/names.js';
export { listLinkSizes, setLinkIpv4GsoGroMaxSize, type LinkSizes } from './linux/rtnetlink.js';
