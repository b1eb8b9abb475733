// Public entry of @skiff/manifests. Example YAML that works unmodified on skiff and on Kubernetes.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
