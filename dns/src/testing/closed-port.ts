// A loopback UDP port nothing listens on: a datagram sent there comes back as ICMP "port
// unreachable", which a connected socket reports at once as ECONNREFUSED.
import { createSocket } from 'node:dgram';

export async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
