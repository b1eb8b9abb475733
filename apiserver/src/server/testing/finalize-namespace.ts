// What the controller-manager's namespace controller does once a Terminating namespace is
// empty: PUT the namespace to /finalize without the `kubernetes` finalizer. The apiserver runs
// no namespace controller of its own (as in Kubernetes), so its tests play that part.
import type { ApiClient, ApiResponse } from './api-client.js';

export async function finalizeNamespace(client: ApiClient, name: string): Promise<ApiResponse> {
  const ns = await client.get(`/api/v1/namespaces/${name}`);
  return client.put(`/api/v1/namespaces/${name}/finalize`, {
    ...ns.body,
    spec: { finalizers: [] },
  });
}
