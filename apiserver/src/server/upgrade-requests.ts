// Requests that ask to switch protocols (kubectl exec, attach and port-forward: SPDY/3.1 or
// WebSocket) arrive on the server's 'upgrade' event with a bare socket instead of a response.
// They are served by the same request path as everything else — authentication, routing,
// errors as a Status — through a response bound to that socket; a handler that upgrades then
// owns the socket. Whatever answer is not an upgrade ends the connection, since nothing parses
// HTTP on it any more.
import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface UpgradeRequests {
  /** Ends the upgraded connections still open (server.close() does not know of them). */
  destroyAll(): void;
}

export function serveUpgradeRequests(
  server: Server,
  serve: (req: IncomingMessage, res: ServerResponse) => void,
): UpgradeRequests {
  const open = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!(socket instanceof Socket)) {
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // Bytes the client sent after its request (its first frames) stay readable for the proxy.
    if (head.length > 0) socket.unshift(head);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => socket.end());
    serve(req, res);
  });
  return {
    destroyAll: () => {
      for (const socket of open) socket.destroy();
    },
  };
}
