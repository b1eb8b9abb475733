// The runtime's streaming server, as Kubernetes' CRI streaming server works
// (pkg/kubelet/cri/streaming): Exec, Attach and PortForward keep their request behind a one-time
// token and return `http://<address>:<port>/<exec|attach|portforward>/<token>`; the client (the
// kubelet, or anything it redirects) connects there and upgrades to SPDY/3.1 or WebSocket. An
// unknown, used or expired token gets 404. Given a key pair it serves HTTPS and the URLs say
// https, as containerd with enable_tls_streaming.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { Socket, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { errorMessage, type Clock } from '@skiff/api';
import { RequestCache } from './request-cache.js';
import {
  SPDY_COMMAND_PROTOCOLS,
  WEBSOCKET_COMMAND_PROTOCOLS,
  PROTOCOL_V1,
  PROTOCOL_V5,
  spdyCommandStreams,
  webSocketCommandStreams,
} from './remotecommand/command-streams.js';
import { serveCommand } from './remotecommand/serve-command.js';
import {
  PORT_FORWARD_PROTOCOL,
  WEBSOCKET_PORT_FORWARD_PROTOCOLS,
  parsePort,
  serveSpdyPortForward,
  serveWebSocketPortForward,
} from './portforward/serve-port-forward.js';
import { ChannelConnection } from './websocket/channel-connection.js';
import {
  ACCEPTED_PROTOCOLS_HEADER,
  PROTOCOL_HEADER,
  acceptSpdyUpgrade,
  headerList,
  isSpdyUpgrade,
  isWebSocketUpgrade,
  negotiate,
  refuseUpgrade,
} from './spdy/upgrade.js';
import {
  validateStreams,
  type AttachStreamRequest,
  type ExecStreamRequest,
  type PortForwardStreamRequest,
  type StreamRequest,
} from './streaming-requests.js';
import type { StreamingRuntime } from './streaming-runtime.js';

/** containerd's stream_server_address default: loopback only. */
export const DEFAULT_STREAMING_ADDRESS = '127.0.0.1';
/** containerd's stream_server_port default: any free port. */
export const DEFAULT_STREAMING_PORT = 0;
/** Kubernetes' DefaultConfig StreamIdleTimeout: a session with no traffic this long is closed. */
export const STREAM_IDLE_TIMEOUT_MS = 4 * 60 * 60 * 1000;

export interface StreamingServerOptions {
  readonly runtime: StreamingRuntime;
  readonly address?: string;
  readonly port?: number;
  readonly clock: Clock;
  readonly log: (message: string) => void;
  /** Default STREAM_IDLE_TIMEOUT_MS. */
  readonly streamIdleTimeoutMs?: number;
  /** Serve HTTPS with this certificate (PEM) and key (PEM) instead of plain HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

const ROUTE = /^\/(exec|attach|portforward)\/([A-Za-z0-9_-]+)$/;

export class StreamingServer {
  private readonly cache: RequestCache<StreamRequest>;
  private readonly sockets = new Set<Duplex>();
  /** The protocol each WebSocket upgrade negotiated, for the handshake to answer with. */
  private readonly negotiated = new WeakMap<IncomingMessage, string>();
  private readonly webSockets = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    handleProtocols: (_offered, req) => this.negotiated.get(req) ?? false,
  });

  private constructor(
    private readonly http: Server | TlsServer,
    /** Where clients reach the server, e.g. http://127.0.0.1:38211 */
    readonly baseUrl: string,
    private readonly options: StreamingServerOptions,
  ) {
    this.cache = new RequestCache(options.clock);
    http.on('request', (req, res) => this.onPlainRequest(req, res));
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.track(socket);
      this.onUpgrade(req, socket, head).catch((err: unknown) => {
        options.log(`streaming: ${errorMessage(err)}`);
        socket.destroy();
      });
    });
  }

  static async start(options: StreamingServerOptions): Promise<StreamingServer> {
    const address = options.address ?? DEFAULT_STREAMING_ADDRESS;
    const http = options.tls === undefined ? createServer() : createTlsServer(options.tls);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? DEFAULT_STREAMING_PORT, address, () => {
        http.off('error', reject);
        resolve();
      });
    });
    const { port } = http.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    const scheme = options.tls === undefined ? 'http' : 'https';
    return new StreamingServer(http, `${scheme}://${host}:${port}`, options);
  }

  /** Checks an Exec request and returns its one-time URL. */
  getExec(request: Omit<ExecStreamRequest, 'kind'>): string {
    const exec: ExecStreamRequest = { kind: 'exec', ...request };
    validateStreams(exec);
    return this.urlFor('exec', exec);
  }

  getAttach(request: Omit<AttachStreamRequest, 'kind'>): string {
    const attach: AttachStreamRequest = { kind: 'attach', ...request };
    validateStreams(attach);
    return this.urlFor('attach', attach);
  }

  getPortForward(request: Omit<PortForwardStreamRequest, 'kind'>): string {
    return this.urlFor('portforward', { kind: 'portforward', ...request });
  }

  /** Stops listening and cuts every open session. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.http.closeAllConnections();
    await closed;
  }

  private urlFor(path: string, request: StreamRequest): string {
    return `${this.baseUrl}/${path}/${this.cache.insert(request)}`;
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // A reset by the client is its business; it must not reach the process as an 'error'.
    socket.on('error', () => socket.destroy());
    if (socket instanceof Socket) this.closeWhenIdle(socket);
  }

  /**
   * Closes a connection that carried nothing, either way, for a whole idle period (so it goes
   * between one and two periods after its last byte): a client that vanished without closing
   * must not hold a session, and the process behind it, forever.
   */
  private closeWhenIdle(socket: Socket): void {
    const idleMs = this.options.streamIdleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS;
    let seen = -1;
    const check = (): void => {
      const moved = socket.bytesRead + socket.bytesWritten;
      if (moved === seen) {
        this.options.log(`streaming: closing a connection idle for ${idleMs / 1000} s`);
        socket.destroy();
        return;
      }
      seen = moved;
      timer = this.options.clock.setTimer(idleMs, check);
    };
    let timer = this.options.clock.setTimer(idleMs, check);
    socket.once('close', () => timer.cancel());
  }

  private take(req: IncomingMessage): StreamRequest | undefined {
    const match = ROUTE.exec(new URL(req.url ?? '/', 'http://streaming').pathname);
    if (match === null) return undefined;
    const request = this.cache.consume(match[2] ?? '');
    // A token is spent by any attempt; one issued for another verb is as unknown as a forged one.
    return request?.kind === match[1] ? request : undefined;
  }

  private onPlainRequest(req: IncomingMessage, res: ServerResponse): void {
    const request = this.take(req);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    if (request === undefined) {
      res.writeHead(404).end('404 page not found\n');
      return;
    }
    res.writeHead(400).end('unable to upgrade: missing upgrade headers in request\n');
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const request = this.take(req);
    if (request === undefined) {
      refuseUpgrade(socket, 404, 'Not Found', '404 page not found');
      return;
    }
    if (isWebSocketUpgrade(req)) {
      this.onWebSocket(req, socket, head, request);
      return;
    }
    if (!isSpdyUpgrade(req)) {
      refuseUpgrade(
        socket,
        400,
        'Bad Request',
        'unable to upgrade: missing upgrade headers in request',
      );
      return;
    }
    const supported =
      request.kind === 'portforward' ? [PORT_FORWARD_PROTOCOL] : SPDY_COMMAND_PROTOCOLS;
    const offered = headerList(req, PROTOCOL_HEADER);
    // Clients from before protocol negotiation offer nothing and get the first protocol.
    const protocol = offered.length === 0 ? undefined : negotiate(offered, supported);
    if (offered.length > 0 && protocol === undefined) {
      refuseUpgrade(
        socket,
        403,
        'Forbidden',
        `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]`,
        { [ACCEPTED_PROTOCOLS_HEADER]: supported },
      );
      return;
    }
    const session = acceptSpdyUpgrade(socket, head, protocol);
    session.on('protocolError', (err) =>
      this.options.log(`streaming: SPDY protocol error: ${err.message}`),
    );
    if (request.kind === 'portforward') {
      serveSpdyPortForward(session, request, this.options.runtime);
      return;
    }
    const streams = await spdyCommandStreams(
      session,
      protocol ?? PROTOCOL_V1,
      request,
      this.options.clock,
    ).catch(async (err: unknown) => {
      this.options.log(`streaming: ${request.kind}: ${errorMessage(err)}`);
      await session.close();
      return undefined;
    });
    if (streams === undefined) return;
    await serveCommand(this.options.runtime, request, streams, this.options.log);
  }

  private onWebSocket(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    request: StreamRequest,
  ): void {
    const supported =
      request.kind === 'portforward'
        ? WEBSOCKET_PORT_FORWARD_PROTOCOLS
        : WEBSOCKET_COMMAND_PROTOCOLS;
    const offered = headerList(req, 'sec-websocket-protocol');
    const protocol = offered.length === 0 ? '' : negotiate(offered, supported);
    if (protocol === undefined) {
      refuseUpgrade(
        socket,
        400,
        'Bad Request',
        `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${supported.join(' ')}]`,
      );
      return;
    }
    let ports: number[] = [];
    if (request.kind === 'portforward') {
      const parsed = new URL(req.url ?? '/', 'http://streaming').searchParams
        .getAll('port')
        .map(parsePort);
      const bad = parsed.find((p): p is string => typeof p === 'string');
      if (parsed.length === 0 || bad !== undefined) {
        refuseUpgrade(socket, 400, 'Bad Request', bad ?? 'query parameter "port" is required');
        return;
      }
      ports = parsed.filter((p): p is number => typeof p === 'number');
    }
    this.negotiated.set(req, protocol);
    this.webSockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const base64 = protocol.includes('base64');
      if (request.kind === 'portforward') {
        const readable = ports.map((_p, i) => 2 * i);
        const channels = new ChannelConnection(ws, { base64, closeSignal: false, readable });
        serveWebSocketPortForward(channels, ports, request, this.options.runtime);
        return;
      }
      const channels = new ChannelConnection(ws, {
        base64,
        closeSignal: protocol === PROTOCOL_V5,
        readable: [0, 4],
      });
      const streams = webSocketCommandStreams(channels, protocol, request);
      serveCommand(this.options.runtime, request, streams, this.options.log).catch(
        (err: unknown) => {
          this.options.log(`streaming: ${request.kind}: ${errorMessage(err)}`);
          ws.terminate();
        },
      );
    });
  }
}
