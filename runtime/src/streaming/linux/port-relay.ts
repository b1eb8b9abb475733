// A connection to a port inside a pod's network namespace. Node cannot enter a namespace itself
// (setns is per thread, and its event loop's threads would not follow), so a small Node process is
// started inside it with nsenter and relays between its stdio and a TCP connection to
// 127.0.0.1:<port> there — as containerd dials inside the sandbox's netns for PortForward.
// It reports on stderr: "connected" once the connection is open, or why it could not be.
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

const RELAY = `
const net = require('node:net');
const port = Number(process.argv[1]);
const socket = net.connect({ host: '127.0.0.1', port });
socket.once('connect', () => {
  process.stderr.write('connected\\n');
  process.stdin.pipe(socket);
  socket.pipe(process.stdout);
});
socket.once('error', (err) => {
  process.stderr.write('failed to connect to localhost:' + port + ' inside the pod network namespace: ' + err.message + '\\n');
  process.exit(1);
});
socket.once('close', () => process.exit(0));
`;

export interface RelayOptions {
  /** The pod's network namespace, e.g. /proc/<pause pid>/ns/net; undefined for the host's own. */
  readonly netnsPath: string | undefined;
  readonly port: number;
  /** The node binary (this process's). */
  readonly node?: string;
}

/** Resolves with a stream joined to the port once the connection is open; rejects with why not. */
export function openPortRelay(options: RelayOptions): Promise<Duplex> {
  const node = options.node ?? process.execPath;
  const argv = [node, '-e', RELAY, String(options.port)];
  const [command, ...args] =
    options.netnsPath === undefined
      ? argv
      : ['nsenter', `--net=${options.netnsPath}`, '--', ...argv];
  const child = spawn(command ?? node, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let report = '';
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      reject(new Error(why));
    };
    child.once('error', (err) => fail(`cannot start the port relay: ${err.message}`));
    child.once('exit', () =>
      fail(report.trim() === '' ? 'the port relay ended before connecting' : report.trim()),
    );
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      report += chunk;
      if (settled || !report.startsWith('connected\n')) return;
      settled = true;
      const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
      stream.once('close', () => child.kill('SIGKILL'));
      stream.on('error', () => child.kill('SIGKILL'));
      resolve(stream);
    });
  });
}
