// kubectl 1.31 and later port-forward over WebSocket by tunnelling SPDY through it: the client
// offers the subprotocol `SPDY/3.1+portforward.k8s.io` and then speaks plain SPDY/3.1 inside
// binary WebSocket messages. Kubelets (and runtimes) serve port-forward over SPDY, so, as
// Kubernetes' apiserver does, the tunnel ends here: the kubelet is asked for a SPDY upgrade, and
// once it agrees the client's WebSocket is accepted and its message payloads are copied to and
// from the kubelet's connection.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { forwardedHeaders, joinConnections, proxyUpgrade, type UpgradeOutcome } from '@skiff/api';
import { WebSocketServer, createWebSocketStream } from 'ws';

export const SPDY_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
/** What the kubelet is asked for: the protocol inside the tunnel. */
const TUNNELLED_PROTOCOL = 'portforward.k8s.io';

// Only ever used for handleUpgrade, so it listens nowhere. `ws` refuses the tunnel's protocol
// name (a `/` is not allowed in a token by RFC 6455), so the client's offer is taken off the
// request before the handshake and the answer is added to the 101 here.
const websockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
websockets.on('headers', (headers: string[]) => {
  headers.push(`Sec-WebSocket-Protocol: ${SPDY_TUNNEL_PROTOCOL}`);
});

/** A WebSocket upgrade offering the SPDY tunnel. */
export function wantsSpdyTunnel(req: IncomingMessage): boolean {
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return false;
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return offered.includes(SPDY_TUNNEL_PROTOCOL);
}

export function tunnelPortForward(
  req: IncomingMessage,
  client: Socket,
  kubelet: URL,
): Promise<UpgradeOutcome> {
  return proxyUpgrade(req, client, kubelet, {
    headers: spdyUpgradeHeaders(req.headers),
    upgraded: (backend, _res, done) => {
      delete req.headers['sec-websocket-protocol'];
      websockets.handleUpgrade(req, client, Buffer.alloc(0), (ws) => {
        joinConnections(createWebSocketStream(ws), backend, done);
      });
    },
  });
}

function spdyUpgradeHeaders(incoming: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept = Object.entries(forwardedHeaders(incoming)).filter(
    ([name]) => !name.startsWith('sec-websocket-'),
  );
  return {
    ...Object.fromEntries(kept),
    connection: 'Upgrade',
    upgrade: 'SPDY/3.1',
    'x-stream-protocol-version': TUNNELLED_PROTOCOL,
  };
}
