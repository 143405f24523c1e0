// Sessions and their refresh tokens. A session is one signed-in device; its refresh tokens form a
// family in which each token is used exactly once and replaced by the next. Presenting a token
// that was already used means two parties hold the family (one of them a thief), so the whole
// family is revoked. Revoked sessions are also noted in the cache for the access tokens' lifetime,
// so their still-unexpired access tokens stop working at once.
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { UnauthenticatedError } from '../errors.ts';
import type { Cache } from '../platform/cache/index.ts';
import type { Database } from '../platform/db/index.ts';
import { authSessions, refreshTokens } from './schema.ts';
import { newOpaqueToken, sha256 } from './secrets.ts';
import { ACCESS_TOKEN_TTL_SECONDS } from './tokens.ts';

export const REFRESH_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type RevokeReason = 'logout' | 'revoked' | 'password_reset' | 'token_reuse' | 'account_locked';

export interface DeviceInfo {
  userAgent: string | undefined;
  ip: string | undefined;
}

export interface IssuedRefresh {
  sessionId: string;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export interface SessionView {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

const revokedKey = (sessionId: string) => `session-revoked:${sessionId}`;

/** Told about every revocation, after it is committed (the gateway closes those sessions' sockets). */
export type RevocationListener = (userId: string, sessionIds: string[], reason: RevokeReason) => Promise<void> | void;

export class Sessions {
  readonly #db: Database;
  readonly #cache: Cache;
  readonly #onRevoked: RevocationListener;
  readonly #accessTtlSeconds: number;

  constructor(db: Database, cache: Cache, onRevoked: RevocationListener = () => undefined, accessTtlSeconds = ACCESS_TOKEN_TTL_SECONDS) {
    this.#accessTtlSeconds = accessTtlSeconds;
    this.#db = db;
    this.#cache = cache;
    this.#onRevoked = onRevoked;
  }

  async create(userId: string, device: DeviceInfo): Promise<IssuedRefresh> {
    const sessionId = Bun.randomUUIDv7();
    const refreshToken = newOpaqueToken();
    const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
    await this.#db.transaction(async (tx) => {
      await tx.insert(authSessions).values({
        id: sessionId,
        userId,
        userAgent: device.userAgent?.slice(0, 512),
        ip: device.ip,
        expiresAt,
      });
      await tx.insert(refreshTokens).values({ tokenHash: sha256(refreshToken), sessionId, expiresAt });
    });
    return { sessionId, refreshToken, refreshExpiresAt: expiresAt };
  }

  /**
   * Uses a refresh token once and returns its replacement. Throws UnauthenticatedError:
   * TOKEN_REUSED (and revokes the family) for a token already used, SESSION_REVOKED for a revoked
   * session, TOKEN_EXPIRED, or TOKEN_INVALID for a token never issued.
   */
  async rotate(refreshToken: string, device: DeviceInfo): Promise<IssuedRefresh & { userId: string }> {
    const hash = sha256(refreshToken);
    const now = new Date();
    const outcome = await this.#db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(refreshTokens)
        .set({ usedAt: now })
        .where(and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.usedAt)))
        .returning({ sessionId: refreshTokens.sessionId, expiresAt: refreshTokens.expiresAt });
      if (claimed === undefined) {
        const [known] = await tx
          .select({ sessionId: refreshTokens.sessionId })
          .from(refreshTokens)
          .where(eq(refreshTokens.tokenHash, hash));
        if (known === undefined) return { kind: 'invalid' as const };
        await tx
          .update(authSessions)
          .set({ revokedAt: now, revokedReason: 'token_reuse' })
          .where(and(eq(authSessions.id, known.sessionId), isNull(authSessions.revokedAt)));
        const [owner] = await tx.select({ userId: authSessions.userId }).from(authSessions).where(eq(authSessions.id, known.sessionId));
        return { kind: 'reused' as const, sessionId: known.sessionId, userId: owner?.userId ?? '' };
      }
      const [session] = await tx.select().from(authSessions).where(eq(authSessions.id, claimed.sessionId)).for('update');
      if (session === undefined || session.revokedAt !== null) return { kind: 'revoked' as const };
      if (claimed.expiresAt <= now || session.expiresAt <= now) return { kind: 'expired' as const };
      const next = newOpaqueToken();
      const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);
      await tx.insert(refreshTokens).values({ tokenHash: sha256(next), sessionId: session.id, expiresAt });
      await tx
        .update(authSessions)
        .set({ lastSeenAt: now, expiresAt, ip: device.ip ?? session.ip, userAgent: device.userAgent?.slice(0, 512) ?? session.userAgent })
        .where(eq(authSessions.id, session.id));
      return { kind: 'rotated' as const, userId: session.userId, sessionId: session.id, refreshToken: next, refreshExpiresAt: expiresAt };
    });
    switch (outcome.kind) {
      case 'rotated':
        return outcome;
      case 'reused':
        await this.#markRevoked(outcome.userId, [outcome.sessionId], 'token_reuse');
        throw new UnauthenticatedError('TOKEN_REUSED', 'this refresh token was already used; the session has been ended for safety');
      case 'revoked':
        throw new UnauthenticatedError('SESSION_REVOKED', 'the session has ended');
      case 'expired':
        throw new UnauthenticatedError('TOKEN_EXPIRED', 'the refresh token has expired');
      case 'invalid':
        throw new UnauthenticatedError('TOKEN_INVALID', 'the refresh token is not valid');
    }
  }

  /** The session a refresh token belongs to, if the token was issued (used or not). */
  async sessionOfToken(refreshToken: string): Promise<{ sessionId: string; userId: string } | undefined> {
    const [row] = await this.#db
      .select({ sessionId: authSessions.id, userId: authSessions.userId })
      .from(refreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.tokenHash, sha256(refreshToken)));
    return row;
  }

  /** Revokes one session of `userId`; false when it is not theirs or already ended. */
  async revoke(userId: string, sessionId: string, reason: RevokeReason): Promise<boolean> {
    const revoked = await this.#db
      .update(authSessions)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(and(eq(authSessions.id, sessionId), eq(authSessions.userId, userId), isNull(authSessions.revokedAt)))
      .returning({ id: authSessions.id });
    await this.#markRevoked(
      userId,
      revoked.map((row) => row.id),
      reason,
    );
    return revoked.length > 0;
  }

  /** Revokes every live session of `userId` but `exceptSessionId`; returns how many ended. */
  async revokeAll(userId: string, reason: RevokeReason, exceptSessionId?: string): Promise<number> {
    const revoked = await this.#db
      .update(authSessions)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(
        and(
          eq(authSessions.userId, userId),
          isNull(authSessions.revokedAt),
          exceptSessionId === undefined ? undefined : sql`${authSessions.id} <> ${exceptSessionId}`,
        ),
      )
      .returning({ id: authSessions.id });
    await this.#markRevoked(
      userId,
      revoked.map((row) => row.id),
      reason,
    );
    return revoked.length;
  }

  /** Live sessions of `userId`, most recently used first. */
  async list(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const rows = await this.#db
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, new Date())))
      .orderBy(desc(authSessions.lastSeenAt));
    return rows.map((row) => ({
      id: row.id,
      userAgent: row.userAgent,
      ip: row.ip,
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      current: row.id === currentSessionId,
    }));
  }

  /** True when the session was revoked within the access tokens' lifetime (noted in the cache at revocation). */
  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.#cache.get(revokedKey(sessionId))) !== null;
  }

  async #markRevoked(userId: string, sessionIds: string[], reason: RevokeReason): Promise<void> {
    if (sessionIds.length === 0) return;
    await Promise.all(sessionIds.map((id) => this.#cache.set(revokedKey(id), '1', { ttlMs: (this.#accessTtlSeconds + 60) * 1000 })));
    await this.#onRevoked(userId, sessionIds, reason);
  }
}
