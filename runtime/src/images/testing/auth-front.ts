// An authenticating front for the test registry, emulating what Docker Hub and most cloud
// registries do: `/v2/…` answers 401 with a Bearer challenge (realm = our /token endpoint,
// service, scope), /token trades Basic credentials for a token, and requests carrying a valid
// token are forwarded to the real registry behind. In `basic` mode it demands Basic auth on
// every request instead. It records what it saw so tests can assert on the dance itself.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { randomBytes } from 'node:crypto';

export interface AuthFrontOptions {
  readonly upstream: string;
  readonly mode: 'bearer' | 'basic';
  readonly username: string;
  readonly password: string;
  /** Bearer mode: hand out tokens without credentials (anonymous pulls, as of public images). */
  readonly allowAnonymous?: boolean;
}

export interface AuthFront {
  readonly host: string;
  /** `service` and `scope` of each token request, and whether it carried credentials. */
  readonly tokenRequests: {
    service: string | null;
    scope: string | null;
    withCredentials: boolean;
  }[];
  stop(): Promise<void>;
}

export async function startAuthFront(options: AuthFrontOptions): Promise<AuthFront> {
  const tokens = new Set<string>();
  const tokenRequests: AuthFront['tokenRequests'] = [];
  const expectedBasic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  let host = '';

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const authorization = req.headers.authorization;
    if (url.pathname === '/token') {
      const withCredentials = authorization !== undefined;
      tokenRequests.push({
        service: url.searchParams.get('service'),
        scope: url.searchParams.get('scope'),
        withCredentials,
      });
      if (withCredentials ? authorization !== expectedBasic : options.allowAnonymous !== true) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"details":"bad credentials"}');
        return;
      }
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: token }));
      return;
    }
    const ok =
      options.mode === 'basic'
        ? authorization === expectedBasic
        : authorization !== undefined && tokens.has(authorization.replace(/^Bearer /, ''));
    if (!ok) {
      const repo = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname)?.[1] ?? '';
      const challenge =
        options.mode === 'basic'
          ? 'Basic realm="skiff-test"'
          : `Bearer realm="http://${host}/token",service="skiff-test-registry",scope="repository:${repo}:pull"`;
      res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    forward(options.upstream, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  host = `127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  return {
    host,
    tokenRequests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function forward(upstream: string, req: IncomingMessage, res: ServerResponse): void {
  const headers = { ...req.headers, host: upstream };
  delete headers.authorization;
  const proxied = httpRequest(
    `http://${upstream}${req.url ?? '/'}`,
    { method: req.method, headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  proxied.on('error', (err) => res.writeHead(502).end(err.message));
  req.pipe(proxied);
}
