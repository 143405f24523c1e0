// The one authorization helper. Every protected HTTP route declares the least role it needs
// (`{ role: 'user' | 'moderator' | 'admin' }`); the macro authenticates the bearer token, loads
// the user (so a role change or a deleted account takes effect at once) and checks the role.
// authenticate() is exported for callers outside HTTP (the WebSocket gateway).
import { Elysia } from 'elysia';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { TrustedProxies } from '../http/proxies.ts';
import type { AccountsDeps, RequestOrigin } from './context.ts';
import type { Role } from './schema.ts';
import { findUserById, type UserRow } from './users.ts';

export interface Principal {
  userId: string;
  sessionId: string;
  role: Role;
  /** Unix ms at which the access token expires. */
  expiresAt: number;
}

const RANK: Record<Role, number> = { user: 0, moderator: 1, admin: 2 };

/** Verifies an access token and that its session is still live. */
export async function authenticate(deps: Pick<AccountsDeps, 'keys' | 'sessions'>, accessToken: string): Promise<Principal> {
  const claims = await deps.keys.verify(accessToken);
  if (await deps.sessions.isRevoked(claims.sessionId)) throw new UnauthenticatedError('SESSION_REVOKED', 'the session has ended');
  return claims;
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
        async resolve({ headers }): Promise<Caller> {
          const principal = await authenticate(deps, bearerToken(headers.authorization));
          const user = await findUserById(deps.db, principal.userId);
          if (user === undefined) throw new UnauthenticatedError('SESSION_REVOKED', 'the account no longer exists');
          authorize(user.role, required);
          return { principal: { ...principal, role: user.role }, user };
        },
      }),
    });
}
