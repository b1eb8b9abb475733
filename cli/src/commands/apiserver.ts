// `skiff apiserver`: the Kubernetes API over the embedded store or etcd, in plain HTTP (TLS and
// authentication arrive in a later issue). Fails fast with a clear message when the store cannot
// be opened or does not answer, and shuts down cleanly on SIGTERM/SIGINT.
import { mkdir } from 'node:fs/promises';
import {
  createApiServer,
  openEmbeddedStorage,
  openEtcdStorage,
  type Storage,
} from '@skiff/apiserver';
import type { Command } from './command.js';
import { errorMessage } from '@skiff/api';
import { parseFlags, parsePort } from './flags.js';
import { serveUntilSignal } from './serve-until-signal.js';
import { describeStorage, parseStorageFlag, type StorageChoice } from './storage-flag.js';

const help = `usage: skiff apiserver [--storage embedded:<dir>|etcd:<url>[,<url>...]] [--bind <addr>] [--port <n>]
          [--service-cidr <cidr>]

  --storage       where state lives (default embedded:$SKIFF_STATE_DIR or embedded:./.skiff/state)
  --bind          address to listen on (default 127.0.0.1)
  --port          port to listen on (default 6443; plain HTTP)
  --service-cidr  cluster IP range for services (default 10.96.0.0/12)
`;

/** Opens the store `--storage` chose (creating an embedded one's directory). */
export async function openStorage(choice: StorageChoice): Promise<Storage> {
  if (choice.kind === 'embedded') {
    await mkdir(choice.dir, { recursive: true });
    return openEmbeddedStorage({ dir: choice.dir });
  }
  return openEtcdStorage({ endpoints: choice.endpoints, requestTimeoutMs: 5000 });
}

export const apiserverCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff apiserver', help, {
      args,
      options: {
        storage: { type: 'string' },
        bind: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '6443' },
        'service-cidr': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (typeof parsed === 'number') return parsed;
    const { values } = parsed;
    const choice = parseStorageFlag(values.storage);
    const port = parsePort('--port', values.port);
    let storage: Storage;
    try {
      storage = await openStorage(choice);
      // Opening may be lazy; one read proves the store answers before we claim to serve.
      await storage.currentRevision();
    } catch (err) {
      process.stderr.write(
        `skiff apiserver: cannot use storage ${describeStorage(choice)}: ${errorMessage(err)}\n`,
      );
      return 1;
    }
    const server = createApiServer({ storage, serviceCidr: values['service-cidr'] });
    try {
      await server.listen(port, values.bind);
    } catch (err) {
      await storage.close();
      process.stderr.write(
        `skiff apiserver: cannot listen on ${values.bind}:${port}: ${errorMessage(err)}\n`,
      );
      return 1;
    }
    const url = server.url ?? `http://${values.bind}:${port}`;
    return serveUntilSignal({
      command: 'skiff apiserver',
      banner: [
        `skiff apiserver listening on ${url} (storage ${describeStorage(choice)})`,
        `try: kubectl --server ${url} get namespaces`,
      ],
      stopping: 'shutting down',
      stop: async () => {
        await server.close();
        await storage.close();
      },
      stopFailed: 'shutdown failed',
    });
  },
};
