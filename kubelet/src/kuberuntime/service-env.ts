// The Docker-links-style variables every container gets for the services of its namespace
// (Kubernetes' pkg/kubelet/envvars): WEB_SERVICE_HOST, WEB_SERVICE_PORT, WEB_SERVICE_PORT_<NAME>,
// WEB_PORT=tcp://ip:port and WEB_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}. Only services with a
// cluster IP count; `enableServiceLinks: false` leaves out all but the apiserver's own
// `kubernetes` service in `default`.
import type { Pod, Service } from '@skiff/api';

/** `my-svc` → `MY_SVC`. */
function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

function hasClusterIP(service: Readonly<Service>): boolean {
  const ip = service.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** The variables for these services, in Kubernetes' order (by service, then by port). */
export function serviceEnvVars(services: readonly Readonly<Service>[]): Map<string, string> {
  const env = new Map<string, string>();
  const sorted = [...services].sort((a, b) =>
    (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1,
  );
  for (const service of sorted) {
    if (!hasClusterIP(service)) continue;
    const name = envName(service.metadata.name ?? '');
    const ip = service.spec?.clusterIP ?? '';
    const ports = service.spec?.ports ?? [];
    const [first] = ports;
    if (first === undefined) continue;
    env.set(`${name}_SERVICE_HOST`, ip);
    env.set(`${name}_SERVICE_PORT`, String(first.port));
    for (const port of ports) {
      if (port.name !== undefined && port.name !== '') {
        env.set(`${name}_SERVICE_PORT_${envName(port.name)}`, String(port.port));
      }
    }
    const url = (protocol: string, port: number): string =>
      `${protocol.toLowerCase()}://${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
    env.set(`${name}_PORT`, url(first.protocol ?? 'TCP', first.port));
    for (const port of ports) {
      const protocol = port.protocol ?? 'TCP';
      const prefix = `${name}_PORT_${port.port}_${protocol.toUpperCase()}`;
      env.set(prefix, url(protocol, port.port));
      env.set(`${prefix}_PROTO`, protocol.toLowerCase());
      env.set(`${prefix}_PORT`, String(port.port));
      env.set(`${prefix}_ADDR`, ip);
    }
  }
  return env;
}

/** Which services' variables a pod gets: its namespace's (unless disabled) and `kubernetes`. */
export function servicesForPod(
  pod: Readonly<Pod>,
  namespaceServices: readonly Readonly<Service>[],
  masterService: Readonly<Service> | undefined,
): Readonly<Service>[] {
  const namespace = pod.metadata.namespace ?? 'default';
  const own =
    pod.spec.enableServiceLinks === false
      ? []
      : namespaceServices.filter(
          (s) => !(namespace === 'default' && s.metadata.name === 'kubernetes'),
        );
  return masterService ? [...own, masterService] : own;
}
