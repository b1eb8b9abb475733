// Authentication and authorization as pipeline stages. Until TLS and credentials arrive (a
// later issue), the defaults let everyone in as a cluster admin — the same trust as an
// unauthenticated localhost port — but the stages are real, so plugging in client
// certificates, tokens or RBAC changes no handler.
import type { IncomingMessage } from 'node:http';

export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
}

/** Returns the user, or undefined when the request carries no acceptable credentials (401). */
export type Authenticator = (req: IncomingMessage) => Promise<UserInfo | undefined>;

export interface AuthorizationAttributes {
  readonly user: UserInfo;
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource: string | undefined;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
}

export interface Decision {
  readonly allowed: boolean;
  readonly reason?: string;
}

export type Authorizer = (attrs: AuthorizationAttributes) => Promise<Decision>;

export const allowAnonymousAdmin: Authenticator = async () => ({
  username: 'system:admin',
  groups: ['system:masters', 'system:authenticated'],
});

export const allowAll: Authorizer = async () => ({ allowed: true });
