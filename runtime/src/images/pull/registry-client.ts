// A client for one repository of an OCI distribution (v2) registry: manifests and blobs, with the
// authentication dance registries use. A request goes out anonymously (or with a token already
// earned); a 401 names a scheme in WWW-Authenticate:
//   Basic  → retried with the user's credentials;
//   Bearer → a token is fetched from the challenge's realm for its service and the pull scope
//            (with Basic credentials, an identity token as an OAuth2 refresh token, or none for
//            anonymous access, as Docker Hub grants for public images), then the request is
//            retried with `Authorization: Bearer <token>`.
import { ImageError } from '../errors.js';
import { parseChallenges, type AuthChallenge } from './auth-challenge.js';
import type { RegistryEndpoint } from './registry-endpoint.js';

/** Credentials for a registry, as the kubelet passes them in CRI's AuthConfig. */
export interface RegistryAuth {
  readonly username?: string;
  readonly password?: string;
  /** base64 of `username:password`, as in a docker config.json. */
  readonly auth?: string;
  /** An OAuth2 refresh token to trade for access tokens. */
  readonly identityToken?: string;
  /** A bearer token to send as is, with no token request. */
  readonly registryToken?: string;
}

const USER_AGENT = 'skiff-runtime/0.1';
const MAX_ERROR_BODY = 4096;

export class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly endpoint: RegistryEndpoint,
    /** Repository path inside the registry, e.g. `library/busybox`. */
    readonly repository: string,
    private readonly auth: RegistryAuth = {},
    private readonly signal?: AbortSignal,
  ) {
    if (auth.registryToken !== undefined && auth.registryToken !== '') {
      this.authorization = `Bearer ${auth.registryToken}`;
    }
  }

  /** GET `/v2/<repository>/<kind>/<reference>`, authenticating as the registry asks. */
  async get(kind: 'manifests' | 'blobs', reference: string, accept?: string): Promise<Response> {
    const url = `${this.endpoint.baseUrl}/v2/${this.repository}/${kind}/${reference}`;
    const what = `${kind === 'manifests' ? 'manifest' : 'blob'} ${this.repository}:${reference}`;
    let response = await this.send(url, accept);
    if (response.status === 401) {
      const challenge = pickChallenge(response.headers.get('www-authenticate'));
      await discard(response);
      if (challenge === undefined) {
        throw new ImageError(
          'Unauthorized',
          `${this.endpoint.baseUrl} refused ${what} and offered no way to authenticate`,
        );
      }
      this.authorization = await this.authorize(challenge);
      response = await this.send(url, accept);
    }
    if (response.ok) return response;
    const detail = await errorDetail(response);
    await discard(response);
    if (response.status === 401 || response.status === 403) {
      throw new ImageError(
        'Unauthorized',
        `pull access denied for ${this.repository} at ${this.endpoint.baseUrl}: the repository does not exist or needs credentials${detail}`,
      );
    }
    if (response.status === 404) {
      throw new ImageError('NotFound', `${what} not found at ${this.endpoint.baseUrl}${detail}`);
    }
    throw new ImageError(
      'RegistryError',
      `${this.endpoint.baseUrl} answered ${response.status} for ${what}${detail}`,
    );
  }

  private async send(url: string, accept: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    if (accept !== undefined) headers.accept = accept;
    if (this.authorization !== undefined) headers.authorization = this.authorization;
    try {
      // fetch drops Authorization when a blob redirect leaves for another origin (a CDN).
      return await fetch(url, {
        headers,
        redirect: 'follow',
        ...(this.signal && { signal: this.signal }),
      });
    } catch (err) {
      throw new ImageError(
        'RegistryError',
        `cannot reach registry ${this.endpoint.baseUrl}: ${causeOf(err)}`,
        {
          cause: err,
        },
      );
    }
  }

  private async authorize(challenge: AuthChallenge): Promise<string> {
    const basic = basicCredentials(this.auth);
    if (challenge.scheme === 'basic') {
      if (basic === undefined) {
        throw new ImageError(
          'Unauthorized',
          `registry ${this.endpoint.baseUrl} requires a username and password`,
        );
      }
      return `Basic ${basic}`;
    }
    return `Bearer ${await this.fetchToken(challenge.params, basic)}`;
  }

  private async fetchToken(
    params: Readonly<Record<string, string>>,
    basic: string | undefined,
  ): Promise<string> {
    const realm = params.realm;
    if (realm === undefined || realm === '') {
      throw new ImageError(
        'RegistryError',
        `registry ${this.endpoint.baseUrl} sent a Bearer challenge without a realm`,
      );
    }
    let url: URL;
    try {
      url = new URL(realm);
    } catch (err) {
      throw new ImageError('RegistryError', `token realm ${JSON.stringify(realm)} is not a URL`, {
        cause: err,
      });
    }
    const scope = params.scope ?? `repository:${this.repository}:pull`;
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    let init: RequestInit;
    if (this.auth.identityToken !== undefined && this.auth.identityToken !== '') {
      // OAuth2 refresh-token grant, as Docker does with an identity token.
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: this.auth.identityToken,
        service: params.service ?? '',
        scope,
        client_id: 'skiff',
      });
      headers['content-type'] = 'application/x-www-form-urlencoded';
      init = { method: 'POST', headers, body: form.toString() };
    } else {
      if (params.service !== undefined) url.searchParams.set('service', params.service);
      url.searchParams.set('scope', scope);
      if (basic !== undefined) headers.authorization = `Basic ${basic}`;
      init = { method: 'GET', headers };
    }
    let response: Response;
    try {
      response = await fetch(url, { ...init, ...(this.signal && { signal: this.signal }) });
    } catch (err) {
      throw new ImageError(
        'RegistryError',
        `cannot reach token server ${url.origin}: ${causeOf(err)}`,
        { cause: err },
      );
    }
    if (response.status === 401 || response.status === 403) {
      await discard(response);
      throw new ImageError(
        'Unauthorized',
        `token server ${url.origin} rejected the credentials for ${scope}`,
      );
    }
    if (!response.ok) {
      const detail = await errorDetail(response);
      throw new ImageError(
        'RegistryError',
        `token server ${url.origin} answered ${response.status}${detail}`,
      );
    }
    const body = (await response.json().catch((err: unknown) => {
      throw new ImageError('RegistryError', `token server ${url.origin} sent invalid JSON`, {
        cause: err,
      });
    })) as { token?: unknown; access_token?: unknown };
    const token =
      typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new ImageError('RegistryError', `token server ${url.origin} sent no token`);
    }
    return token;
  }
}

function pickChallenge(header: string | null): AuthChallenge | undefined {
  const challenges = parseChallenges(header ?? '');
  return (
    challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic')
  );
}

function basicCredentials(auth: RegistryAuth): string | undefined {
  if (auth.username !== undefined && auth.username !== '') {
    return Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64');
  }
  if (auth.auth !== undefined && auth.auth !== '') return auth.auth;
  return undefined;
}

/** ": <registry's error messages>" from a distribution error body, or "". */
async function errorDetail(response: Response): Promise<string> {
  let text: string;
  try {
    text = (await response.text()).slice(0, MAX_ERROR_BODY);
  } catch (err) {
    return `: (body unreadable: ${causeOf(err)})`;
  }
  try {
    const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const messages = (parsed.errors ?? []).map((e) =>
      [e.code, e.message].filter(Boolean).join(' '),
    );
    if (messages.length > 0) return `: ${messages.join('; ')}`;
  } catch (err) {
    // Not JSON: show the text itself, which is what the registry had to say.
    if (!(err instanceof SyntaxError)) throw err;
  }
  return text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`;
}

async function discard(response: Response): Promise<void> {
  if (response.bodyUsed || response.body === null) return;
  await response.body.cancel();
}

/** fetch wraps network errors as "fetch failed"; the cause says what actually happened. */
function causeOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
