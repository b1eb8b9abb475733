// A real skiff apiserver for client tests: the embedded store in a temp dir, listening on a
// free port over plain HTTP, or over HTTPS with a test CA, client certificates and bearer
// tokens checked by a real authenticator. Stopped and removed when the test finishes.
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createApiServer, type ApiServerOptions, type Authenticator } from '@skiff/apiserver';
import { openTempEmbeddedStore } from '@skiff/apiserver/testing';
import { onTestFinished } from 'vitest';
import type { TestCertificates } from './certificates.js';

export interface TestApiServer {
  readonly url: string;
}

export interface SecureOptions {
  readonly certs: TestCertificates;
  /** Bearer tokens the server accepts, each mapped to a user name. */
  readonly tokens: Readonly<Record<string, string>>;
}

type ServerOptions = Omit<ApiServerOptions, 'storage'>;

export async function startApiServer(
  options: ServerOptions & { secure?: SecureOptions } = {},
): Promise<TestApiServer> {
  const { secure, ...serverOptions } = options;
  const store = await openTempEmbeddedStore({ prefix: 'skiff-client-api-', warn: () => undefined });
  const logged: string[] = [];
  const api = createApiServer({
    log: (m) => logged.push(m),
    ...serverOptions,
    ...(secure && { authenticator: certificateOrToken(secure.tokens) }),
    storage: store.storage,
  });
  onTestFinished(async () => {
    await api.close();
    await store.dispose();
    if (logged.length > 0) throw new Error(`apiserver logged errors:\n${logged.join('\n')}`);
  });
  if (!secure) {
    await api.listen(0);
    return { url: api.url ?? '' };
  }
  await api.start();
  const https = createHttpsServer(
    {
      cert: secure.certs.serverCert,
      key: secure.certs.serverKey,
      ca: secure.certs.caCert,
      // Ask for a certificate but let token users in without one; the authenticator decides.
      requestCert: true,
      rejectUnauthorized: false,
    },
    api.app,
  );
  await new Promise<void>((resolve, reject) => {
    https.once('error', reject);
    https.listen(0, '127.0.0.1', resolve);
  });
  onTestFinished(
    () =>
      new Promise<void>((resolve, reject) => {
        https.close((err) => (err ? reject(err) : resolve()));
        https.closeAllConnections();
      }),
  );
  return { url: `https://127.0.0.1:${(https.address() as AddressInfo).port}` };
}

/** A client certificate signed by the test CA, or a known bearer token; anything else is 401. */
function certificateOrToken(tokens: Readonly<Record<string, string>>): Authenticator {
  return async (req) => {
    const socket = req.socket as TLSSocket;
    if (socket.authorized) {
      const cn = socket.getPeerCertificate().subject?.CN;
      const name = Array.isArray(cn) ? cn[0] : cn;
      if (name) return { username: name, groups: ['system:masters'] };
    }
    const header = req.headers.authorization ?? '';
    const user = header.startsWith('Bearer ') ? tokens[header.slice(7)] : undefined;
    return user ? { username: user, groups: ['system:masters'] } : undefined;
  };
}
