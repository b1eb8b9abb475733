// proxyUpgrade between two real sockets: a backend's refusal is passed back whole and
// re-framed (a chunked body gets a length, the connection closes), a 101 joins the
// connections, this hop's headers stay here, and an unreachable backend is a BackendDialError.
// An https backend is reached when its certificate is trusted and refused when it is not.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  roundTrip,
  selfSignedTestCertificate,
  sendUpgrade,
  type UpgradeAnswer,
} from './testing.js';
import { BackendDialError, proxyUpgrade, type UpgradeOutcome } from './upgrade-proxy.js';

const servers: (Server | ReturnType<typeof createTlsServer>)[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function listen(server: Server | ReturnType<typeof createTlsServer>): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A front server whose upgrades are proxied to `backend`; the outcomes as they settle. */
async function front(
  backend: string,
  outcomes: (UpgradeOutcome | Error)[],
  tls?: { ca: string },
): Promise<number> {
  const server = createServer();
  server.on('upgrade', (req, socket: Duplex) => {
    proxyUpgrade(req, socket, new URL(backend + (req.url ?? '')), {
      ...(tls !== undefined && { tls }),
    }).then(
      (outcome) => outcomes.push(outcome),
      (err: unknown) => {
        outcomes.push(err instanceof Error ? err : new Error(String(err)));
        socket.destroy();
      },
    );
  });
  return listen(server);
}

function upgradeTo(port: number, path: string): Promise<UpgradeAnswer> {
  return sendUpgrade(`http://127.0.0.1:${port}${path}`, 'POST', {
    connection: 'Upgrade',
    upgrade: 'SPDY/3.1',
    authorization: 'Bearer x',
  });
}

describe('proxyUpgrade', () => {
  it('passes a refusal back whole, re-framed with a length, and a 101 joins the connections', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const backend = createServer();
    backend.on('upgrade', (req, socket: Duplex) => {
      seen.push(req.headers);
      if (req.url === '/refuse') {
        // Chunked, in two pieces, as a Go server writes an unsized body.
        socket.end(
          'HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nX-Why: gone\r\n' +
            'Transfer-Encoding: chunked\r\n\r\n14\r\ncontainer not found \r\n7\r\n("app")\r\n0\r\n\r\n',
        );
        return;
      }
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n',
      );
      socket.pipe(socket);
    });
    const outcomes: (UpgradeOutcome | Error)[] = [];
    const port = await front(`http://127.0.0.1:${await listen(backend)}`, outcomes);

    const refused = await upgradeTo(port, '/refuse');
    expect(refused).toMatchObject({ status: 500, body: 'container not found ("app")' });
    expect(refused.headers).toMatchObject({
      'x-why': 'gone',
      'content-length': '27',
      connection: 'close',
    });
    expect(refused.headers).not.toHaveProperty('transfer-encoding');

    const upgraded = await upgradeTo(port, '/exec');
    expect(upgraded.status).toBe(101);
    expect(await roundTrip(upgraded, 'frames')).toBe('frames');
    const socket = upgraded.socket;
    if (socket === undefined) throw new Error('no socket after 101');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.destroy();
    await closed;
    await expect.poll(() => outcomes).toEqual(['refused', 'upgraded']);
    // The client's credentials were for this hop.
    expect(seen[1]).not.toHaveProperty('authorization');
    expect(seen[1]).toMatchObject({ connection: 'Upgrade', upgrade: 'SPDY/3.1' });
  });

  it('rejects with BackendDialError when the backend is not there', async () => {
    const gone = createServer();
    const port = await listen(gone);
    servers.splice(servers.indexOf(gone), 1);
    await new Promise((resolve) => gone.close(resolve));
    const outcomes: (UpgradeOutcome | Error)[] = [];
    const frontPort = await front(`http://127.0.0.1:${port}`, outcomes);
    await expect(upgradeTo(frontPort, '/exec')).rejects.toThrow();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toBeInstanceOf(BackendDialError);
    expect(String(outcomes[0])).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
  });

  describe('to an https backend', () => {
    async function tlsBackend(pair: { cert: string; key: string }): Promise<number> {
      const backend = createTlsServer(pair);
      backend.on('upgrade', (_req, socket: Duplex) => {
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n',
        );
        socket.end();
      });
      return listen(backend);
    }

    it("joins the connections when the backend's certificate is trusted", async () => {
      const pair = await selfSignedTestCertificate();
      const port = await tlsBackend(pair);
      const outcomes: (UpgradeOutcome | Error)[] = [];
      const frontPort = await front(`https://127.0.0.1:${port}`, outcomes, { ca: pair.cert });
      expect((await upgradeTo(frontPort, '/exec')).status).toBe(101);
      await expect.poll(() => outcomes).toEqual(['upgraded']);
    });

    it("rejects with BackendDialError when the backend's certificate is not trusted", async () => {
      const port = await tlsBackend(await selfSignedTestCertificate());
      const outcomes: (UpgradeOutcome | Error)[] = [];
      const frontPort = await front(`https://127.0.0.1:${port}`, outcomes);
      await expect(upgradeTo(frontPort, '/exec')).rejects.toThrow();
      expect(outcomes[0]).toBeInstanceOf(BackendDialError);
      expect(String(outcomes[0])).toContain('self-signed certificate');
    });
  });
});
