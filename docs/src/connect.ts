// How the tutorial's steps find the cluster: the kubeconfig kubectl would use when KUBECONFIG is
// set (or --kubeconfig given), else the apiserver `pnpm start` runs (http://127.0.0.1:6443, or
// SKIFF_SERVER).
import { clientFromKubeconfig, createClient, type Client } from '@skiff/client';

export async function connect(env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  if (env.KUBECONFIG) return clientFromKubeconfig({}, { qps: 50, burst: 100 });
  return createClient({ server: env.SKIFF_SERVER ?? 'http://127.0.0.1:6443', qps: 50, burst: 100 });
}
