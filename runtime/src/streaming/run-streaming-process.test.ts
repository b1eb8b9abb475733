// A program under a pty of ours must hand over everything it wrote before it exited. On Linux the
// pty master reports the end of the stream while the kernel still holds the last few kB of a
// burst (node-pty#72, #726); node-pty is patched (patches/) to read the rest before it lets go.
// Seen as `kubectl exec -it` losing the shell's last line on a loaded machine.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runStreamingProcess } from './run-streaming-process.js';
import type { ProcessStreams } from './streaming-runtime.js';

function terminalStreams(): { streams: ProcessStreams; output: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    streams: { stdin: undefined, stdout, stderr: undefined, tty: true, onResize: () => undefined },
    output: () => Buffer.concat(chunks).toString('utf8'),
  };
}

describe('a program run under a terminal', () => {
  it('delivers all of a 100 kB burst written just before it exits, every time', async () => {
    const payload = 'skiff'.repeat(20_000);
    for (let run = 0; run < 10; run++) {
      const { streams, output } = terminalStreams();
      const code = await runStreamingProcess(
        {
          command: 'sh',
          args: ['-c', 'printf %s "$P"; exit 7'],
          env: { PATH: '/usr/bin:/bin', P: payload },
        },
        streams,
      );
      expect(code).toBe(7);
      expect(output().length).toBe(payload.length);
    }
  });

  it('reports the exit while a background process still holds the terminal', async () => {
    const { streams, output } = terminalStreams();
    const code = await runStreamingProcess(
      { command: 'sh', args: ['-c', '(sleep 30; echo late) & echo early; exit 0'] },
      streams,
    );
    expect(code).toBe(0);
    expect(output()).toBe('early\r\n');
  });
});
