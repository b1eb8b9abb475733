// One etcd endpoint's HTTP/2 connection: opened on first use, reopened on the next use after it
// closed. What gRPC's own clients do around a connection is here, sized as the etcd3 client was
// configured before (see ../README.md):
//
// - Reconnect backoff: a connection attempt that fails makes the next attempt wait 100 ms,
//   doubling up to 1 s, so a dead etcd is not hammered; calls meanwhile fail at once with the
//   last error. A connection that worked and then closed is reopened without delay.
// - Keepalive: every 10 s, if a stream is open, a PING; no answer within 5 s closes the session,
//   which fails its streams, so a watch notices a dead peer. Never without open streams: etcd
//   (like every gRPC server) by default answers pings on an idle connection with GOAWAY.
// - The session keeps the process alive only while a stream is open, as grpc-js does.
import http2, { type ClientHttp2Session } from 'node:http2';
import { Backoff, type Clock, type Timer } from '@skiff/api';
import { EtcdRpcError, GrpcStatus } from './grpc-status.js';

const RECONNECT_BACKOFF = { durationMs: 100, capMs: 1_000 };
const KEEPALIVE = { intervalMs: 10_000, timeoutMs: 5_000 };

// A list of many objects, or a watch catching up in batches, is MiBs: with HTTP/2's default
// 64 KiB windows etcd would stall on a WINDOW_UPDATE every 64 KiB.
const STREAM_WINDOW_BYTES = 1 << 20;
const SESSION_WINDOW_BYTES = 16 << 20;

/** A connected HTTP/2 session and the streams open on it. */
export class LiveSession {
  private openStreams = 0;

  constructor(
    readonly h2: ClientHttp2Session,
    readonly endpoint: string,
  ) {}

  get hasOpenStreams(): boolean {
    return this.openStreams > 0;
  }

  /** Call once per stream created on this session, and streamClosed() once when it closes. */
  streamOpened(): void {
    if (this.openStreams++ === 0) this.h2.ref();
  }

  streamClosed(): void {
    if (--this.openStreams === 0 && !this.h2.destroyed) this.h2.unref();
  }
}

export interface GrpcConnectionOptions {
  readonly clock: Clock;
  /** Give up on a connection attempt (TCP and HTTP/2 preface) after this long. */
  readonly connectTimeoutMs: number;
}

export class GrpcConnection {
  private live: LiveSession | undefined;
  private connecting: Promise<LiveSession> | undefined;
  /** The session of a connection attempt under way, so close() can abort it. */
  private dialing: ClientHttp2Session | undefined;
  private readonly reconnectBackoff = new Backoff(RECONNECT_BACKOFF);
  private retryAt = 0;
  private lastError = 'not connected yet';
  private keepaliveTimer: Timer | undefined;
  private closed = false;

  constructor(
    readonly endpoint: string,
    private readonly options: GrpcConnectionOptions,
  ) {}

  /** The connected session, if there is one right now: the path every call takes normally. */
  ready(): LiveSession | undefined {
    return this.live;
  }

  /** The connected session, connecting first if needed; EtcdRpcError(UNAVAILABLE) if that fails. */
  connect(): Promise<LiveSession> {
    if (this.live) return Promise.resolve(this.live);
    if (this.closed) return Promise.reject(this.unavailable('client closed'));
    if (this.connecting) return this.connecting;
    const wait = this.retryAt - this.options.clock.now();
    if (wait > 0) {
      return Promise.reject(this.unavailable(`${this.lastError} (next attempt in ${wait} ms)`));
    }
    this.connecting = this.open();
    return this.connecting;
  }

  /** Close the session now; its streams fail. connect() refuses from now on. */
  close(): void {
    this.closed = true;
    this.keepaliveTimer?.cancel();
    const live = this.live;
    this.live = undefined;
    live?.h2.destroy();
    this.dialing?.destroy();
  }

  private open(): Promise<LiveSession> {
    const { clock, connectTimeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const h2 = http2.connect(this.endpoint, {
        settings: { enablePush: false, initialWindowSize: STREAM_WINDOW_BYTES },
      });
      this.dialing = h2;
      let live: LiveSession | undefined;
      const timer = clock.setTimer(connectTimeoutMs, () =>
        h2.destroy(new Error(`no connection within ${connectTimeoutMs} ms`)),
      );
      h2.once('connect', () => {
        timer.cancel();
        this.connecting = undefined;
        this.dialing = undefined;
        if (this.closed) {
          h2.destroy();
          reject(this.unavailable('client closed'));
          return;
        }
        live = new LiveSession(h2, this.endpoint);
        this.live = live;
        this.reconnectBackoff.reset();
        this.retryAt = 0;
        h2.setLocalWindowSize(SESSION_WINDOW_BYTES);
        h2.unref();
        this.scheduleKeepalive(live);
        resolve(live);
      });
      // Every failure also closes the session; what to do about it is decided on 'close'.
      h2.on('error', (err: Error) => {
        this.lastError = err.message;
      });
      // etcd is shutting down or shedding the connection: streams already open may finish, but
      // new calls must go to a new connection.
      h2.on('goaway', () => this.detach(live));
      h2.once('close', () => {
        timer.cancel();
        if (live) {
          this.detach(live);
          return;
        }
        this.connecting = undefined;
        this.dialing = undefined;
        this.retryAt = clock.now() + this.reconnectBackoff.step();
        reject(this.unavailable(this.lastError));
      });
    });
  }

  private detach(live: LiveSession | undefined): void {
    if (live === undefined || this.live !== live) return;
    this.live = undefined;
    this.keepaliveTimer?.cancel();
  }

  private scheduleKeepalive(live: LiveSession): void {
    const { clock } = this.options;
    this.keepaliveTimer = clock.setTimer(KEEPALIVE.intervalMs, () => {
      if (this.live !== live) return;
      if (live.hasOpenStreams) this.ping(live);
      this.scheduleKeepalive(live);
    });
  }

  private ping(live: LiveSession): void {
    const timeout = this.options.clock.setTimer(KEEPALIVE.timeoutMs, () =>
      live.h2.destroy(new Error(`keepalive ping not answered within ${KEEPALIVE.timeoutMs} ms`)),
    );
    // Any answer settles it: an error means the session is going away, which 'close' handles.
    live.h2.ping(() => timeout.cancel());
  }

  private unavailable(reason: string): EtcdRpcError {
    return new EtcdRpcError(GrpcStatus.UNAVAILABLE, `${this.endpoint}: ${reason}`);
  }
}
