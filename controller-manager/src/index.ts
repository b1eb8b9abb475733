// Public entry of @skiff/controller-manager. The controllers: replicaset, deployment, endpoints, node-lifecycle, gc, namespace.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
