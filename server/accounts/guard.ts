// The one authorization helper. Every protected HTTP route declares the least role it needs
// (`{ role: 'user' | 'moderator' | 'admin' }`); the macro authenticates the bearer token, loads
// the user (so a role change or a deleted account takes effect at once) and checks the role.
// A personal API token (`pat_…`) is accepted too, on the endpoints protocol/scopes.ts
// HTTP_SCOPES lists and within its scopes; every other endpoint answers it SCOPE_DENIED.
// authenticate() and authenticateAny() are exported for callers outside HTTP (the gateway).
import { Elysia } from 'elysia';
import { type ApiTokenScope, scopeAllows, scopeOfEndpoint } from '../../protocol/scopes.ts';
import { ForbiddenError, ScopeDeniedError, UnauthenticatedError } from '../errors.ts';
import type { TrustedProxies } from '../http/proxies.ts';
import type { AccountsDeps, RequestOrigin } from './context.ts';
import { isPersonalToken } from './personal-tokens.ts';
import type { Role } from './schema.ts';
import { findUserById, type UserRow } from './users.ts';

export interface Principal {
  userId: string;
  sessionId: string;
  role: Role;
  /** Unix ms at which the access token expires. */
  expiresAt: number;
  /**
   * Set when a personal API token authenticated the caller: its id (also `sessionId`, so the
   * sessions' revocation path closes its sockets) and its scopes, which every call is held to.
   */
  token?: { id: string; scopes: readonly ApiTokenScope[] };
}

const RANK: Record<Role, number> = { user: 0, moderator: 1, admin: 2 };

/** Verifies an access token and that its session is still live. */
export async function authenticate(deps: Pick<AccountsDeps, 'keys' | 'sessions'>, accessToken: string): Promise<Principal> {
  const claims = await deps.keys.verify(accessToken);
  if (await deps.sessions.isRevoked(claims.sessionId)) throw new UnauthenticatedError('SESSION_REVOKED', 'the session has ended');
  return claims;
}

/** An access token or a personal API token (refused when revoked, expired, or its owner's plan lapsed). */
export async function authenticateAny(deps: Pick<AccountsDeps, 'keys' | 'sessions' | 'tokens'>, token: string): Promise<Principal> {
  if (!isPersonalToken(token)) return authenticate(deps, token);
  const identity = await deps.tokens.authenticate(token);
  return {
    userId: identity.userId,
    sessionId: identity.tokenId,
    role: identity.role,
    expiresAt: identity.expiresAt,
    token: { id: identity.tokenId, scopes: identity.scopes },
  };
}

export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/** Throws ForbiddenError unless `role` is at least `required`. */
function authorize(role: Role, required: Role): void {
  if (!hasRole(role, required)) throw new ForbiddenError(`this needs the ${required} role`);
}

export function bearerToken(header: string | undefined): string {
  const match = header?.match(/^Bearer ([A-Za-z0-9._~+/=-]+)$/);
  if (match?.[1] === undefined)
    throw new UnauthenticatedError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <access token>');
  return match[1];
}

/** The client address (the socket's peer, or behind TRUST_PROXY proxies what they forwarded) and the user agent. */
function requestOrigin(request: Request, peer: string | undefined, proxies: TrustedProxies): RequestOrigin {
  return { ip: proxies.addressOf(request, peer), userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? undefined };
}

// A type, not an interface: Elysia's resolve wants a record type.
export type Caller = {
  principal: Principal;
  user: UserRow;
};

export function accountsGuard(deps: AccountsDeps, peerAddress: (request: Request) => string | undefined) {
  return new Elysia({ name: 'accounts-guard' })
    .resolve({ as: 'global' }, ({ request }) => ({ origin: requestOrigin(request, peerAddress(request), deps.config.trustProxy) }))
    .macro({
      role: (required: Role) => ({
        // The OpenAPI document: the operation needs a bearer token (and the role, x-role).
        detail: { security: [{ bearer: [] }], ...{ 'x-role': required } },
        async resolve({ headers, request, route }): Promise<Caller> {
          const principal = await authenticateAny(deps, bearerToken(headers.authorization));
          if (principal.token !== undefined) {
            const needed = scopeOfEndpoint(request.method, route);
            if (!scopeAllows(principal.token.scopes, needed)) throw new ScopeDeniedError(`${request.method} ${route}`, needed);
          }
          const user = await findUserById(deps.db, principal.userId);
          if (user === undefined) throw new UnauthenticatedError('SESSION_REVOKED', 'the account no longer exists');
          authorize(user.role, required);
          return { principal: { ...principal, role: user.role }, user };
        },
      }),
    });
}
