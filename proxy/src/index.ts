// Public entry of @skiff/proxy: the Service data plane (kube-proxy's role).
export {};
