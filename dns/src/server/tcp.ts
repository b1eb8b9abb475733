// The TCP listener: length-prefixed queries, several per connection and answered as each is
// ready (RFC 7766 allows out-of-order answers); an idle connection is closed after 10 s.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { HostPort } from '../host-port.js';
import { frame, FrameReader } from '../tcp-frames.js';
import type { QueryHandler } from './handler.js';
import type { Listener } from './udp.js';

const IDLE_TIMEOUT_MS = 10_000;

export async function listenTcp(
  at: HostPort,
  handler: QueryHandler,
  log: (message: string) => void,
): Promise<Listener> {
  const connections = new Set<Socket>();
  const server = createServer((conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    // A reset by the client ends its connection; there is nobody left to answer.
    conn.on('error', () => conn.destroy());
    conn.setTimeout(IDLE_TIMEOUT_MS, () => conn.destroy());
    const reader = new FrameReader();
    const family = conn.remoteFamily === 'IPv6' ? 6 : 4;
    conn.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) {
        handler.handle(message, 'tcp', family).then(
          (reply) => {
            // A message we do not answer (a response, no header) ends the conversation.
            if (!reply) conn.destroy();
            else if (!conn.destroyed) conn.write(frame(reply));
          },
          (err: unknown) => {
            log(`answering over tcp failed: ${String(err)}`);
            conn.destroy();
          },
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`tcp ${at.host}:${at.port}: ${err.message}`));
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        for (const conn of connections) conn.destroy();
        server.close(() => resolve());
      }),
  };
}
