// Port forwarding, as the kubelet's portforward server speaks it.
//
// SPDY (portforward.k8s.io): for each forwarded connection the client opens two streams with the
// same `requestID` and `port` headers, `streamType: error` and `streamType: data`. Once both are
// there the data stream is joined to a new connection to that port in the pod; a failure is
// written as text on the error stream. The session lasts until the client leaves.
//
// WebSocket (v4.channel.k8s.io and its base64 form): the ports are the `port` query parameters;
// port i has data channel 2i and error channel 2i+1, and each starts with the port number
// (uint16, little endian) sent by the server.
import type { Duplex, Readable, Writable } from 'node:stream';
import { errorMessage } from '@skiff/api';
import type { SpdySession, SpdyStream } from '../spdy/connection.js';
import type { PortForwardStreamRequest } from '../streaming-requests.js';
import type { StreamingRuntime } from '../streaming-runtime.js';
import type { ChannelConnection } from '../websocket/channel-connection.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const WEBSOCKET_PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];

/** A port as Kubernetes parses it: a decimal uint16 greater than 0. */
export function parsePort(text: string): number | string {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 0xffff) {
    return `unable to parse ${JSON.stringify(text)} as a port`;
  }
  if (Number(text) === 0) return `port ${JSON.stringify(text)} must be > 0`;
  return Number(text);
}

interface StreamPair {
  data?: SpdyStream;
  error?: SpdyStream;
}

export function serveSpdyPortForward(
  session: SpdySession,
  request: PortForwardStreamRequest,
  runtime: StreamingRuntime,
): void {
  const pairs = new Map<string, StreamPair>();
  session.on('stream', (stream) => {
    const type = stream.header('streamtype');
    const requestId = stream.header('requestid') ?? '';
    if ((type !== 'data' && type !== 'error') || requestId === '') {
      stream.reset();
      return;
    }
    const pair = pairs.get(requestId) ?? {};
    if (pair[type] !== undefined) {
      stream.reset();
      return;
    }
    pair[type] = stream;
    pairs.set(requestId, pair);
    stream.reply();
    const { data, error } = pair;
    if (data === undefined || error === undefined) return;
    pairs.delete(requestId);
    // The error stream is only ever written to by the server.
    error.resume();
    const port = parsePort(data.header('port') ?? '');
    void forward(runtime, request.sandboxId, port, data, error);
  });
}

async function forward(
  runtime: StreamingRuntime,
  sandboxId: string,
  port: number | string,
  data: Duplex,
  error: Writable,
): Promise<void> {
  if (typeof port === 'string') {
    error.end(port);
    data.end();
    return;
  }
  let target: Duplex;
  try {
    target = await runtime.portForward(sandboxId, port);
  } catch (err) {
    error.end(`error forwarding port ${port} to pod ${sandboxId}: ${errorMessage(err)}`);
    data.end();
    return;
  }
  join(data, data, target);
  target.once('close', () => error.end());
}

/** Copies both ways; each side's end becomes the other's, and a failure closes both. */
function join(input: Readable, output: Writable, target: Duplex): void {
  input.pipe(target);
  target.pipe(output);
  const stop = (): void => {
    target.destroy();
  };
  input.once('error', stop);
  output.once('error', stop);
  target.once('error', () => output.end());
}

export function serveWebSocketPortForward(
  channels: ChannelConnection,
  ports: readonly number[],
  request: PortForwardStreamRequest,
  runtime: StreamingRuntime,
): void {
  ports.forEach((port, i) => {
    const dataChannel = 2 * i;
    const errorChannel = 2 * i + 1;
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    const opened = Promise.all([
      channels.send(dataChannel, portBytes),
      channels.send(errorChannel, portBytes),
    ]);
    void opened
      .then(async () => {
        let target: Duplex;
        try {
          target = await runtime.portForward(request.sandboxId, port);
        } catch (err) {
          await channels.send(
            errorChannel,
            Buffer.from(
              `error forwarding port ${port} to pod ${request.sandboxId}: ${errorMessage(err)}`,
            ),
          );
          return;
        }
        const input = channels.reader(dataChannel);
        input.pipe(target);
        target.pipe(channels.writer(dataChannel), { end: false });
        target.on('error', () => undefined);
        void channels.closed.then(() => target.destroy());
      })
      .catch(() => undefined);
  });
}
