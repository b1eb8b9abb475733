// Where `skiff runtime` keeps its socket and state when no flag says: the system places when
// running as root (/run/skiff, /var/lib/skiff, as containerd uses /run/containerd and
// /var/lib/containerd), the user's own runtime and data directories otherwise.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RuntimePaths {
  readonly socket: string;
  readonly root: string;
}

export function defaultRuntimePaths(
  env: NodeJS.ProcessEnv = process.env,
  uid: number | undefined = process.getuid?.(),
): RuntimePaths {
  if (uid === 0) return { socket: '/run/skiff/runtime.sock', root: '/var/lib/skiff/runtime' };
  const runtimeDir = env.XDG_RUNTIME_DIR || join('/tmp', `skiff-${uid ?? 'user'}`);
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return {
    socket: join(runtimeDir, 'skiff', 'runtime.sock'),
    root: join(dataHome, 'skiff', 'runtime'),
  };
}
