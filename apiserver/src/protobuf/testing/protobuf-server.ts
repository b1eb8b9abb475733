// An apiserver on a temp embedded store, and a fetch that keeps bodies as bytes: protobuf
// answers are binary, which the text-based test client would mangle.
import { createApiServer } from '../../server/api-server.js';
import { ApiClient } from '../../server/testing/api-client.js';
import { openTempEmbeddedStore } from '../../storage/testing/temp-embedded-store.js';

export interface BinaryResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface ProtobufTestServer {
  readonly url: string;
  /** The JSON test client, for setup. */
  readonly client: ApiClient;
  /** A request whose body and answer are bytes. */
  send(
    method: string,
    path: string,
    options?: { body?: Uint8Array; contentType?: string; accept?: string },
  ): Promise<BinaryResponse>;
  close(): Promise<void>;
}

export async function startProtobufTestServer(): Promise<ProtobufTestServer> {
  const store = await openTempEmbeddedStore({ prefix: 'skiff-protobuf-' });
  const logged: string[] = [];
  const server = createApiServer({ storage: store.storage, log: (m) => logged.push(m) });
  await server.listen(0);
  const url = server.url ?? '';
  return {
    url,
    client: new ApiClient(url),
    async send(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.contentType) headers['content-type'] = options.contentType;
      if (options.accept) headers.accept = options.accept;
      const res = await fetch(url + path, { method, headers, body: options.body });
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        body: Buffer.from(await res.arrayBuffer()),
      };
    },
    async close() {
      await server.close();
      await store.dispose();
      // Unexpected errors are bugs: a test that caused one fails even if its assertions passed.
      if (logged.length > 0) throw new Error(`apiserver logged errors:\n${logged.join('\n')}`);
    },
  };
}
