// The UDP listener: every datagram is one query, answered to its sender.
import { createSocket } from 'node:dgram';
import { isIPv6, type AddressInfo } from 'node:net';
import type { HostPort } from '../host-port.js';
import type { QueryHandler } from './handler.js';

export interface Listener {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/** Enough for a burst of queries while the event loop is busy (the kernel caps it at rmem_max). */
const RECEIVE_BUFFER_BYTES = 4 << 20;

export async function listenUdp(
  at: HostPort,
  handler: QueryHandler,
  log: (message: string) => void,
): Promise<Listener> {
  const socket = createSocket(isIPv6(at.host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(at.port, at.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
  socket.on('error', (err) => log(`udp ${at.host}:${at.port}: ${err.message}`));
  socket.on('message', (message, peer) => {
    handler.handle(message, 'udp', peer.family === 'IPv6' ? 6 : 4).then(
      (reply) => {
        if (reply) socket.send(reply, peer.port, peer.address);
      },
      (err: unknown) => log(`answering ${peer.address}:${peer.port} failed: ${String(err)}`),
    );
  });
  return {
    address: socket.address(),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
