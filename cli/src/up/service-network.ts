// The Service data plane `skiff up` runs once its nodes are Ready: the proxy (kube-proxy's role)
// and cluster DNS (CoreDNS's role), in this process or, with --split, as `skiff proxy` and
// `skiff dns`. All of up's nodes share this machine's one packet filter, so one proxy serves
// them all (named after the first node: its addresses are the NodePort addresses). Unlike a
// kube-proxy restart, stopping `skiff up` removes the proxy's rules: nothing keeps them in step
// any more, and a ClusterIP that still answers after `up` is gone would only mislead.
//
// They start after the nodes are Ready, so their packages are imported then, off the path to
// Ready, and only into the process that runs them.
import { errorMessage } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import { startComponentChild } from './children.js';
import { never, type RunningComponent } from './component.js';
import { openComponentLog } from './component-log.js';
import { CLUSTER_DOMAIN } from './kube-dns.js';

export interface ServiceNetworkOptions {
  readonly kubeconfig: string;
  readonly split: boolean;
  readonly logFile: string;
}

/** After the proxy has stopped: its rules go too (both modes, whatever it chose). */
function removingRules(component: RunningComponent): RunningComponent {
  return {
    ...component,
    stop: async () => {
      await component.stop();
      const { cleanupProxyRules } = await import('@skiff/proxy');
      await cleanupProxyRules();
    },
  };
}

export async function startServiceProxy(
  options: ServiceNetworkOptions & { readonly nodeName: string },
): Promise<{ readonly component: RunningComponent; readonly mode: string }> {
  // Port 0: several clusters (tests, labs) on one machine must not fight over 10256/10249.
  const bind = ['--healthz-bind-address', '127.0.0.1:0', '--metrics-bind-address', '127.0.0.1:0'];
  if (options.split) {
    const args = ['proxy', '--kubeconfig', options.kubeconfig, '--hostname-override'];
    const child = startComponentChild(
      'proxy',
      [...args, options.nodeName, ...bind],
      options.logFile,
    );
    return { component: removingRules(child), mode: 'chosen by skiff proxy, see its log' };
  }
  const { startProxy } = await import('@skiff/proxy');
  const log = openComponentLog(options.logFile);
  const client = await clientFromKubeconfig({ kubeconfig: options.kubeconfig });
  try {
    const proxy = await startProxy({
      client,
      nodeName: options.nodeName,
      healthzBindAddress: '127.0.0.1:0',
      metricsBindAddress: '127.0.0.1:0',
      log: log.write,
    });
    log.write(`serving ${proxy.healthzUrl ?? ''}/healthz, ${proxy.metricsUrl ?? ''}/metrics`);
    const component: RunningComponent = {
      name: 'proxy',
      logFile: log.file,
      failed: never(),
      stop: async () => {
        await proxy.stop();
        client.close();
        await log.close();
      },
    };
    return { component: removingRules(component), mode: proxy.mode };
  } catch (err) {
    client.close();
    log.write(`starting failed: ${errorMessage(err)}`);
    await log.close();
    throw err;
  }
}

/** Cluster DNS on `address`:53 (kube-dns's endpoint), forwarding to the host's resolvers. */
export async function startClusterDns(
  options: ServiceNetworkOptions & { readonly address: string },
): Promise<RunningComponent> {
  const listen = `${options.address}:53`;
  if (options.split) {
    const args = ['dns', '--kubeconfig', options.kubeconfig, '--listen', listen];
    const http = ['--health-port', '0', '--bind-address', '127.0.0.1'];
    return startComponentChild('dns', [...args, ...http], options.logFile);
  }
  const { hostUpstreams, startDns } = await import('@skiff/dns');
  const log = openComponentLog(options.logFile);
  const client = await clientFromKubeconfig({ kubeconfig: options.kubeconfig });
  try {
    const upstreams = await hostUpstreams('/etc/resolv.conf');
    if (upstreams.length === 0) {
      log.write('/etc/resolv.conf names no nameserver: names outside the cluster get SERVFAIL');
    }
    const dns = await startDns({
      client,
      listen: [{ host: options.address, port: 53 }],
      upstreams,
      clusterDomain: CLUSTER_DOMAIN,
      http: { port: 0, host: '127.0.0.1' },
      log: log.write,
    });
    log.write(`serving ${CLUSTER_DOMAIN} on ${listen} (udp, tcp); ${dns.httpUrl ?? ''}/readyz`);
    return {
      name: 'dns',
      logFile: log.file,
      failed: never(),
      stop: async () => {
        await dns.stop();
        client.close();
        await log.close();
      },
    };
  } catch (err) {
    client.close();
    log.write(`starting failed: ${errorMessage(err)}`);
    await log.close();
    throw err;
  }
}
