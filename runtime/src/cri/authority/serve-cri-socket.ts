// Serves a grpc-js Server on a unix socket through the authority rewriter: grpc-js' connection
// injector takes each accepted connection, so the server is the same (handlers, shutdown) as one
// bound with bindAsync, only the bytes it reads from Go clients have a usable :authority.
import { createServer, type Server as NetServer } from 'node:net';
import { ServerCredentials, type Server } from '@grpc/grpc-js';
import { AuthorityFixingStream } from './authority-fixing-stream.js';

export interface CriSocketListener {
  /**
   * Stops accepting connections at once; resolves once the open ones are closed too (the gRPC
   * server's shutdown closes them).
   */
  close(): Promise<void>;
}

export async function serveCriSocket(server: Server, path: string): Promise<CriSocketListener> {
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const listener: NetServer = createServer((socket) => {
    injector.injectConnection(new AuthorityFixingStream(socket));
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(path, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        listener.close(() => resolve());
      }),
  };
}
