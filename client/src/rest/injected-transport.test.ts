// The transport is a seam: createClient(config, transport) sends every request through the
// Transport it is given, with the RestClient's headers, paths and error handling around it.
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { isNotFound } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import type { HttpRequest, Transport } from './transport.js';

/** A response as node:http would hand it over, from memory. */
function answer(status: number, body: unknown): IncomingMessage {
  const res = new IncomingMessage(new Socket());
  res.statusCode = status;
  res.headers = { 'content-type': 'application/json' };
  res.push(JSON.stringify(body));
  res.push(null);
  return res;
}

class RecordingTransport implements Transport {
  readonly sent: HttpRequest[] = [];
  constructor(private readonly reply: (request: HttpRequest) => IncomingMessage) {}
  send(request: HttpRequest): Promise<IncomingMessage> {
    this.sent.push(request);
    return Promise.resolve(this.reply(request));
  }
  close(): void {}
}

describe('an injected transport', () => {
  it('carries every request, and its answers come back decoded or as ApiErrors', async () => {
    const transport = new RecordingTransport((request) =>
      request.path.endsWith('/present')
        ? answer(200, { metadata: { name: 'present' }, data: { a: 'b' } })
        : answer(404, {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'NotFound',
            code: 404,
            message: 'configmaps "absent" not found',
          }),
    );
    const client = createClient({ server: 'http://unused.invalid', qps: Infinity }, transport);
    const found = await client.configMaps('ns').get('present');
    expect(found.data).toEqual({ a: 'b' });
    await expect(client.configMaps('ns').get('absent')).rejects.toSatisfy(isNotFound);
    expect(transport.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/namespaces/ns/configmaps/present',
      'GET /api/v1/namespaces/ns/configmaps/absent',
    ]);
    expect(transport.sent[0]?.headers.accept).toBe('application/json');
  });
});
