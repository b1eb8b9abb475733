// Two SPDY sessions joined over a loopback TCP connection, for tests of what runs on a session.
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { SpdySession } from '../spdy/connection.js';

export interface SessionPair {
  readonly client: SpdySession;
  readonly server: SpdySession;
  /** The client's socket, to watch the bytes the server sends. */
  readonly clientSocket: Socket;
  close(): Promise<void>;
}

export async function sessionPair(): Promise<SessionPair> {
  const listener = createServer();
  const accepted = new Promise<Socket>((resolve) => {
    listener.once('connection', resolve);
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const address = listener.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  const clientSocket = connect(address.port, '127.0.0.1');
  const serverSocket = await accepted;
  return {
    client: new SpdySession(clientSocket, 'client'),
    server: new SpdySession(serverSocket, 'server'),
    clientSocket,
    close: async () => {
      clientSocket.destroy();
      serverSocket.destroy();
      await new Promise((resolve) => listener.close(resolve));
    },
  };
}
