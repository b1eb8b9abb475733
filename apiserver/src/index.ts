// Public entry of @skiff/apiserver. The Kubernetes REST API over a storage layer (embedded MVCC store or etcd).
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
