// `skiff runtime`: the CRI server (runtime.v1 RuntimeService + ImageService) on a unix socket,
// for the kubelet or any CRI client (crictl). Stopping it (SIGTERM/SIGINT, or even kill -9)
// leaves containers running: conmon is their parent, and a restarted runtime finds them again.
import {
  DEFAULT_POD_CIDR,
  startRuntimeServer,
  type BackendChoice,
  type RuntimeServer,
} from '@skiff/runtime';
import type { Command } from './command.js';
import { errorMessage } from '@skiff/api';
import { parseFlags, parsePort } from './flags.js';
import { defaultRuntimePaths } from './runtime-paths.js';
import { serveUntilSignal } from './serve-until-signal.js';

const defaults = defaultRuntimePaths();

const help = `usage: skiff runtime [--socket <path>] [--root <dir>] [--backend auto|linux|process]
          [--oci-runtime crun|runc] [--pod-cidr <cidr>] [--bridge <name>]
          [--health-port <n>] [--streaming-address <ip>] [--streaming-port <n>]
          [--streaming-tls] [--streaming-tls-cert-file <pem> --streaming-tls-private-key-file <pem>]
          [--insecure-registry <host:port>]... [--ip-masq true|false]

  --socket             CRI socket (default ${defaults.socket})
  --root               state: images, sandboxes, containers (default ${defaults.root})
  --backend            linux: real containers (root, conmon, crun or runc); process: plain
                       processes without isolation; auto: linux when possible (default auto)
  --oci-runtime        low-level runtime for the linux backend (default crun, else runc)
  --pod-cidr           addresses for pods (default ${DEFAULT_POD_CIDR})
  --bridge             host bridge pods attach to (default skiff0)
  --health-port        serve /healthz and /metrics over HTTP on 127.0.0.1:<n>
  --streaming-address  where the exec/attach/port-forward URLs point (default 127.0.0.1)
  --streaming-port     their port (default 0: any free port, as containerd)
  --streaming-tls      serve them over HTTPS with a self-signed certificate made at start
                       (containerd's enable_tls_streaming); its public half is written to
                       <root>/streaming/self-signed.crt
  --streaming-tls-cert-file, --streaming-tls-private-key-file
                       serve them over HTTPS with this key pair (containerd's
                       x509_key_pair_streaming); both or neither
  --insecure-registry  a registry reached over plain HTTP (loopback ones always are)
  --ip-masq            masquerade pods' traffic leaving the bridge (default true; false when a
                       pod network such as skiff podnet masquerades, so pods on other nodes
                       see each other's own addresses)
`;

const backends: readonly BackendChoice[] = ['auto', 'linux', 'process'];

export const runtimeCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff runtime', help, {
      args,
      options: {
        socket: { type: 'string', default: defaults.socket },
        root: { type: 'string', default: defaults.root },
        backend: { type: 'string', default: 'auto' },
        'oci-runtime': { type: 'string' },
        'pod-cidr': { type: 'string', default: DEFAULT_POD_CIDR },
        bridge: { type: 'string' },
        'health-port': { type: 'string' },
        'streaming-address': { type: 'string' },
        'streaming-port': { type: 'string' },
        'streaming-tls': { type: 'boolean', default: false },
        'streaming-tls-cert-file': { type: 'string' },
        'streaming-tls-private-key-file': { type: 'string' },
        'insecure-registry': { type: 'string', multiple: true },
        'ip-masq': { type: 'string', default: 'true' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (typeof parsed === 'number') return parsed;
    const { values } = parsed;
    const backend = backends.find((b) => b === values.backend);
    if (backend === undefined) {
      process.stderr.write(
        `skiff runtime: --backend ${JSON.stringify(values.backend)}: want auto, linux or process\n`,
      );
      return 2;
    }
    const ipMasq = values['ip-masq'];
    if (ipMasq !== 'true' && ipMasq !== 'false') {
      process.stderr.write(
        `skiff runtime: --ip-masq ${JSON.stringify(ipMasq)}: want true or false\n`,
      );
      return 2;
    }
    const certFile = values['streaming-tls-cert-file'];
    const keyFile = values['streaming-tls-private-key-file'];
    if ((certFile === undefined) !== (keyFile === undefined)) {
      process.stderr.write(
        'skiff runtime: --streaming-tls-cert-file and --streaming-tls-private-key-file go together\n',
      );
      return 2;
    }
    const streamingTls =
      certFile !== undefined && keyFile !== undefined
        ? { certFile, keyFile }
        : values['streaming-tls']
          ? {}
          : undefined;
    let server: RuntimeServer;
    try {
      server = await startRuntimeServer({
        socket: values.socket,
        root: values.root,
        backend,
        podCidr: values['pod-cidr'],
        ...(ipMasq === 'false' && { nat: 'none' as const }),
        ...(values['oci-runtime'] !== undefined && { ociRuntime: values['oci-runtime'] }),
        ...(values.bridge !== undefined && { bridgeName: values.bridge }),
        ...(values['health-port'] !== undefined && {
          healthPort: parsePort('--health-port', values['health-port']),
        }),
        ...(values['streaming-address'] !== undefined && {
          streamingAddress: values['streaming-address'],
        }),
        ...(values['streaming-port'] !== undefined && {
          streamingPort: parsePort('--streaming-port', values['streaming-port']),
        }),
        ...(streamingTls !== undefined && { streamingTls }),
        ...(values['insecure-registry'] !== undefined && {
          insecureRegistries: values['insecure-registry'],
        }),
        log: (message) => process.stderr.write(`skiff runtime: ${message}\n`),
      });
    } catch (err) {
      process.stderr.write(`skiff runtime: ${errorMessage(err)}\n`);
      return 1;
    }
    const ready = (await server.backend.conditions()).find((c) => c.type === 'RuntimeReady');
    const health = server.health;
    return serveUntilSignal({
      command: 'skiff runtime',
      banner: [
        `skiff runtime serving CRI on ${server.socket} (backend ${server.backend.kind}: ${ready?.message ?? ''}; root ${values.root})`,
        ...(health === undefined
          ? []
          : [`health and metrics on http://${health.host}:${health.port}/healthz and /metrics`]),
        `streaming (exec, attach, port-forward) on ${server.streamingUrl}`,
        `try: crictl --runtime-endpoint unix://${server.socket} info`,
      ],
      stopping: 'stopping (containers keep running)',
      stop: () => server.stop(),
      stopFailed: 'stopping',
    });
  },
};
