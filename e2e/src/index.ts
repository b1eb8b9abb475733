// Public entry of @skiff/e2e. Tests that start real processes: a cluster, real etcd, real containers, real kubectl.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
