// A node's skiff runtime inside `skiff up`'s own process (one-process mode; --split keeps it a
// `skiff runtime` child, ./children.ts). It serves CRI on the node's socket exactly as the child
// would, and the kubelet still reaches it over that socket, so nothing else changes.
//
// Why not a process of its own: a second node process costs ~40 MB before it runs a line, and the
// runtime shares most of its code (gRPC, the CRI protos, @skiff/api) with the kubelet — together
// ~55 MB of the idle cluster's RSS (issue 14's 150 MB target). Nothing in the runtime depends on
// being alone in its process: containers' parents are conmon (linux) or detached supervisors
// (process backend), so stopping or killing `up` leaves them running as before, and the next
// runtime finds them again.
import { mkdir } from 'node:fs/promises';
import type { RuntimeServer } from '@skiff/runtime';
import type { NodeRuntimeOptions } from './children.js';
import { never, type RunningComponent } from './component.js';
import { openComponentLog } from './component-log.js';

export async function startRuntimeInProcess(
  options: NodeRuntimeOptions,
): Promise<RunningComponent> {
  const { node } = options;
  const { startRuntimeServer } = await import('@skiff/runtime');
  await mkdir(node.runtimeRoot, { recursive: true });
  const log = openComponentLog(options.logFile);
  let server: RuntimeServer;
  try {
    server = await startRuntimeServer({
      socket: node.runtimeSocket,
      root: node.runtimeRoot,
      bridgeName: options.bridge,
      podCidr: options.podCidr,
      log: log.write,
    });
  } catch (err) {
    await log.close();
    throw err;
  }
  log.write(
    `serving CRI on ${server.socket} (backend ${server.backend.kind}), streaming on ${server.streamingUrl}`,
  );
  return {
    name: `runtime ${node.name}`,
    logFile: log.file,
    failed: never(),
    stop: async () => {
      await server.stop();
      await log.close();
    },
  };
}
