// `skiff apiserver`: the Kubernetes API over the embedded store or etcd, in plain HTTP (TLS and
// authentication arrive in a later issue). Fails fast with a clear message when the store cannot
// be opened or does not answer, and shuts down cleanly on SIGTERM/SIGINT.
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  createApiServer,
  openEmbeddedStorage,
  openEtcdStorage,
  type Storage,
} from '@skiff/apiserver';
import type { Command } from './command.js';
import { describeStorage, parseStorageFlag, type StorageChoice } from './storage-flag.js';

const help = `usage: skiff apiserver [--storage embedded:<dir>|etcd:<url>[,<url>...]] [--bind <addr>] [--port <n>]
          [--service-cidr <cidr>]

  --storage       where state lives (default embedded:$SKIFF_STATE_DIR or embedded:./.skiff/state)
  --bind          address to listen on (default 127.0.0.1)
  --port          port to listen on (default 6443; plain HTTP)
  --service-cidr  cluster IP range for services (default 10.96.0.0/12)
`;

async function openStorage(choice: StorageChoice): Promise<Storage> {
  if (choice.kind === 'embedded') {
    await mkdir(choice.dir, { recursive: true });
    return openEmbeddedStorage({ dir: choice.dir });
  }
  return openEtcdStorage({ endpoints: choice.endpoints, requestTimeoutMs: 5000 });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new Error(`--port ${JSON.stringify(text)}: not a port number`);
  return port;
}

export const apiserverCommand: Command = {
  summary: 'run the Kubernetes API server (embedded store or etcd)',
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          storage: { type: 'string' },
          bind: { type: 'string', default: '127.0.0.1' },
          port: { type: 'string', default: '6443' },
          'service-cidr': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      }));
    } catch (err) {
      process.stderr.write(
        `skiff apiserver: ${err instanceof Error ? err.message : String(err)}\n\n${help}`,
      );
      return 2;
    }
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const choice = parseStorageFlag(values.storage);
    const port = parsePort(values.port);
    let storage: Storage;
    try {
      storage = await openStorage(choice);
      // Opening may be lazy; one read proves the store answers before we claim to serve.
      await storage.currentRevision();
    } catch (err) {
      process.stderr.write(
        `skiff apiserver: cannot use storage ${describeStorage(choice)}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return 1;
    }
    const server = createApiServer({ storage, serviceCidr: values['service-cidr'] });
    try {
      await server.listen(port, values.bind);
    } catch (err) {
      await storage.close();
      process.stderr.write(
        `skiff apiserver: cannot listen on ${values.bind}:${port}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return 1;
    }
    const url = server.url ?? `http://${values.bind}:${port}`;
    process.stdout.write(
      `skiff apiserver listening on ${url} (storage ${describeStorage(choice)})\n`,
    );
    process.stdout.write(`try: kubectl --server ${url} get namespaces\n`);

    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`skiff apiserver: ${signal}, shutting down\n`);
        server
          .close()
          .then(() => storage.close())
          .then(
            () => resolve(0),
            (err: unknown) => {
              process.stderr.write(`skiff apiserver: shutdown failed: ${String(err)}\n`);
              resolve(1);
            },
          );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
  },
};
