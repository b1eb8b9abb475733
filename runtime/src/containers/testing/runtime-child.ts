// A runtime in a process of its own, for the kill -9 test: it opens a LinuxBackend on the root
// and pod network it is given, runs a sandbox with two containers, prints their ids as one JSON
// line and then idles until it is killed.
//
//   node --conditions=source --import tsx runtime-child.ts '<json options>'
import { PAUSE_IMAGE, ImageStore } from '../../images/index.js';
import { checkLinuxHost } from '../../linux/index.js';
import { PodNetwork } from '../../network/index.js';
import { LinuxBackend } from '../linux-backend.js';
import { podConfig, shellContainer } from './linux-test-kit.js';

interface ChildOptions {
  readonly root: string;
  readonly stateDir: string;
  readonly bridgeName: string;
  readonly podCidr: string;
  /** Seconds the short-lived container runs before exiting with code 3. */
  readonly shortSeconds: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
  const host = checkLinuxHost();
  if (!host.ok) throw new Error(host.reason);
  const network = new PodNetwork({
    stateDir: options.stateDir,
    bridgeName: options.bridgeName,
    podCidr: options.podCidr,
    log: () => undefined,
  });
  const images = await ImageStore.open({ root: options.root });
  const backend = await LinuxBackend.open({
    root: options.root,
    tools: host.tools,
    network,
    images,
    pauseImage: PAUSE_IMAGE,
    pauseImageIsDemo: true,
    log: () => undefined,
  });
  const sandboxId = await backend.runPodSandbox(
    podConfig('survivor', { log_directory: `${options.root}/logs` }),
  );
  const long = await backend.createContainer(sandboxId, shellContainer('long', 'sleep 300'));
  const short = await backend.createContainer(
    sandboxId,
    shellContainer('short', `sleep ${options.shortSeconds}; exit 3`),
  );
  await backend.startContainer(long);
  await backend.startContainer(short);
  console.log(JSON.stringify({ sandboxId, long, short }));
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
