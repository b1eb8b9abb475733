// Public entry of @skiff/kubelet. Node agent: node status and lease, pod workers, CRI client, prober, kubelet HTTP server.
// Filled by a later issue; kept so the package builds and its place in the layout is visible.
export {};
