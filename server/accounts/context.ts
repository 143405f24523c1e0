// What the accounts flows share: their dependencies, the caller's device, and the one way a
// successful sign-in is turned into tokens.
import type { MailOutbox } from '../mail/outbox.ts';
import type { Bus } from '../platform/bus/index.ts';
import type { Cache } from '../platform/cache/index.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import type { AccountsConfig } from './config.ts';
import type { DeviceCookies } from './device-cookies.ts';
import type { PersonalTokens } from './personal-tokens.ts';
import type { RateLimiter } from './rate-limits.ts';
import type { DeviceInfo, IssuedRefresh, Sessions } from './sessions.ts';
import type { KeyRing } from './tokens.ts';
import { type UserRow, type UserView, userView } from './users.ts';

export interface AccountsDeps {
  db: Database;
  cache: Cache;
  keys: KeyRing;
  sessions: Sessions;
  /** Personal API tokens (Pro): made, listed and revoked by calls; accepted by the guard and the gateway. */
  tokens: PersonalTokens;
  limiter: RateLimiter;
  deviceCookies: DeviceCookies;
  outbox: MailOutbox;
  topics: TopicLog;
  config: AccountsConfig;
  log: Logger;
  /** The cluster bus and namespace, for notices every gateway must hear (role changes). */
  bus: Bus;
  namespace: string;
}

/** Where a request comes from: the client address (after TRUST_PROXY) and its user agent. */
export interface RequestOrigin extends DeviceInfo {
  ip: string;
}

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  sessionId: string;
  user: UserView;
}

export async function tokenPair(deps: AccountsDeps, user: UserRow, issued: IssuedRefresh): Promise<TokenPair> {
  const accessToken = await deps.keys.sign({ userId: user.id, sessionId: issued.sessionId, role: user.role });
  return {
    tokenType: 'Bearer',
    accessToken,
    accessTokenExpiresAt: new Date(Date.now() + deps.keys.ttlSeconds * 1000).toISOString(),
    refreshToken: issued.refreshToken,
    refreshTokenExpiresAt: issued.refreshExpiresAt.toISOString(),
    sessionId: issued.sessionId,
    user: userView(user),
  };
}

/** A new session for `user` from `origin`, as tokens. */
export async function signIn(deps: AccountsDeps, user: UserRow, origin: RequestOrigin): Promise<TokenPair> {
  return tokenPair(deps, user, await deps.sessions.create(user.id, origin));
}

/** A link into the web app, e.g. appLink(deps, '/verify-email', { token }). */
export function appLink(deps: AccountsDeps, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, `${deps.config.appUrl}/`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}
