// `skiff image import <tar>`: loads an OCI image layout or docker-archive tarball (`docker save`,
// plain or gzipped) into skiff runtime's image store.
//
// While a runtime serves the socket, the import goes through it (skiff's Import method beside
// CRI): the store belongs to that process, and writing it from a second one would be lost when
// the runtime next saves its index. With no runtime answering, the tarball is imported directly
// into --root, where the runtime will find it when it starts.
import { resolve } from 'node:path';
import { ImageStore, importThroughRuntime, type ImportedImage } from '@skiff/runtime';
import { errorMessage } from '@skiff/api';
import { parseFlags } from './flags.js';
import { defaultRuntimePaths } from './runtime-paths.js';

const defaults = defaultRuntimePaths();

export const imageImportHelp = `usage: skiff image import <tar> [--socket <path>] [--root <dir>]

  --socket  a running skiff runtime to import through (default ${defaults.socket})
  --root    the runtime's state root, used when no runtime answers on --socket
            (default ${defaults.root})
`;

const IMPORT_TIMEOUT_MS = 10 * 60_000;

/** gRPC's UNAVAILABLE: nothing listens on the socket (or the file does not exist). */
const UNAVAILABLE = 14;

function errorCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number'
    ? err.code
    : undefined;
}

function print(images: readonly ImportedImage[], how: string): void {
  for (const image of images) {
    process.stdout.write(`imported ${image.id} ${image.repoTags.join(' ') || '<untagged>'}\n`);
  }
  process.stdout.write(`${images.length} image(s) imported ${how}\n`);
}

export async function imageImport(args: string[]): Promise<number> {
  const parsed = parseFlags('skiff image import', imageImportHelp, {
    args,
    options: {
      socket: { type: 'string', default: defaults.socket },
      root: { type: 'string', default: defaults.root },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [archive, ...extra] = positionals;
  if (archive === undefined || extra.length > 0) {
    process.stderr.write(`skiff image import: want exactly one tarball\n\n${imageImportHelp}`);
    return 2;
  }
  const archivePath = resolve(archive);
  try {
    const response = await importThroughRuntime(values.socket, archivePath, IMPORT_TIMEOUT_MS);
    print(response.images, `through the runtime on ${values.socket}`);
    return 0;
  } catch (err) {
    if (errorCode(err) !== UNAVAILABLE) {
      const details =
        typeof err === 'object' &&
        err !== null &&
        'details' in err &&
        typeof err.details === 'string'
          ? err.details
          : String(err);
      process.stderr.write(`skiff image import: ${archive}: ${details}\n`);
      return 1;
    }
  }
  // No runtime is serving: this process is the only one using the store.
  try {
    const store = await ImageStore.open({ root: values.root });
    print(
      (await store.import(archivePath)).map((i) => ({ id: i.id, repoTags: i.repoTags })),
      `into ${values.root} (no runtime answered on ${values.socket})`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`skiff image import: ${archive}: ${errorMessage(err)}\n`);
    return 1;
  }
}
