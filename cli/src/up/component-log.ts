// In one process, every component still logs to a file of its own under <state>/logs, as it
// would as a separate process, so `tail -f logs/kubelet-<node>.log` reads the same either way.
import { createWriteStream, type WriteStream } from 'node:fs';

export interface ComponentLog {
  readonly file: string;
  readonly write: (message: string) => void;
  close(): Promise<void>;
}

export function openComponentLog(file: string): ComponentLog {
  const stream: WriteStream = createWriteStream(file, { flags: 'a' });
  stream.write(`--- ${new Date().toISOString()} skiff up\n`);
  return {
    file,
    write: (message) => {
      stream.write(`${new Date().toISOString()} ${message}\n`);
    },
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
