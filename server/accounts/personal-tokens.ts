// Personal API tokens: scoped, revocable credentials a Pro user makes for scripts and tools. The
// secret (`pat_` + 32 random bytes) is shown once; only its SHA-256 is stored, and a presented
// secret is found by that hash (a unique index), so nothing compares secrets byte by byte. Every
// HTTP request reads its token's row: a revoked or expired token is refused at once. Sockets are
// closed on revocation through the sessions' path (the token id stands for the session id), and
// swept every API_TOKEN_LIMITS.planCheckMs for expiry, revocation and plan. Whether the owner's
// plan still includes tokens is cached per node for that long.
import { and, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { API_TOKEN_LIMITS, API_TOKEN_PREFIX } from '../../protocol/lists.ts';
import type { ApiTokenScope } from '../../protocol/scopes.ts';
import { InvalidInputError, NotFoundError, ServerError, UnauthenticatedError } from '../errors.ts';
import { cheapestWith, Entitlements, standingOf } from '../payments/entitlements.ts';
import { PlanRequiredError } from '../payments/errors.ts';
import type { Database } from '../platform/db/index.ts';
import type { RateLimiter } from './rate-limits.ts';
import { apiTokens, type Role, users } from './schema.ts';
import { newOpaqueToken, sha256 } from './secrets.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** `expiresAt` of a principal whose token never expires (the welcome's `tokenExpiresAt`): the end of the year 9999. */
const NO_EXPIRY = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const CREATES = { name: 'personal tokens made', max: API_TOKEN_LIMITS.createsPerHour, windowMs: 60 * 60_000 };
const SECRET = new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

export interface ApiTokenView {
  id: string;
  name: string;
  scopes: ApiTokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  expired: boolean;
}

/** Who a personal token speaks for, as the guard and the gateway need it. */
export interface TokenIdentity {
  userId: string;
  tokenId: string;
  role: Role;
  scopes: ApiTokenScope[];
  /** Unix ms, or NO_EXPIRY. */
  expiresAt: number;
}

/** Why a token that once worked no longer does (the gateway closes its sockets accordingly). */
export type TokenStanding = 'ok' | 'revoked' | 'expired' | 'plan';

/** Told after a token is revoked (the gateway closes the sockets opened with it). */
export type TokenRevocationListener = (userId: string, tokenId: string) => Promise<void> | void;

class TooManyTokensError extends ServerError {
  readonly code = 'TOO_MANY_TOKENS';
  readonly status = 409;
  readonly limit: number;
  constructor(limit: number) {
    super(`at most ${limit} personal tokens at once; revoke one first`);
    this.name = 'TooManyTokensError';
    this.limit = limit;
  }
  override details() {
    return { limit: this.limit };
  }
}

type Row = typeof apiTokens.$inferSelect;

const isExpired = (row: Pick<Row, 'expiresAt'>, now: number) => row.expiresAt !== null && row.expiresAt.getTime() <= now;

function view(row: Row, now = Date.now()): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: isExpired(row, now),
  };
}

/** A string that could be a personal token's secret: the guard and the gateway route it here, not to the JWT keys. */
export const isPersonalToken = (token: string): boolean => token.startsWith(API_TOKEN_PREFIX);

export class PersonalTokens {
  readonly #db: Database;
  readonly #limiter: RateLimiter;
  readonly #entitlements: Entitlements;
  readonly #onRevoked: TokenRevocationListener;
  /** Per user: whether their plan includes tokens, and until when (Unix ms) that answer is trusted. */
  readonly #plans = new Map<string, { entitled: boolean; until: number }>();

  constructor(db: Database, limiter: RateLimiter, onRevoked: TokenRevocationListener = () => undefined) {
    this.#db = db;
    this.#limiter = limiter;
    this.#entitlements = new Entitlements(db);
    this.#onRevoked = onRevoked;
  }

  async create(userId: string, input: { name: string; scopes: ApiTokenScope[]; expiresInDays?: number }) {
    await this.#entitlements.require(userId, 'apiTokens');
    const name = input.name.trim();
    if (name.length === 0) throw new InvalidInputError('a token needs a name', { field: 'name' });
    await this.#limiter.hit(CREATES, userId);
    const secret = `${API_TOKEN_PREFIX}${newOpaqueToken()}`;
    const now = new Date();
    const row = await this.#db.transaction(async (tx) => {
      // One creation at a time per person, so two at once cannot both pass the count.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
      const [live] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(apiTokens)
        .where(
          and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))),
        );
      if ((live?.count ?? 0) >= API_TOKEN_LIMITS.live) throw new TooManyTokensError(API_TOKEN_LIMITS.live);
      const [inserted] = await tx
        .insert(apiTokens)
        .values({
          id: Bun.randomUUIDv7(),
          userId,
          name,
          scopes: [...new Set(input.scopes)],
          secretHash: sha256(secret),
          createdAt: now,
          expiresAt: input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
        })
        .returning();
      return inserted as Row;
    });
    return { token: view(row), secret };
  }

  /** The user's tokens not revoked, newest first, and whether their plan includes tokens now. */
  async list(userId: string): Promise<{ items: ApiTokenView[]; limit: number; entitled: boolean }> {
    const rows = await this.#db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .orderBy(desc(apiTokens.createdAt));
    const now = Date.now();
    return { items: rows.map((row) => view(row, now)), limit: API_TOKEN_LIMITS.live, entitled: await this.#entitled(userId, true) };
  }

  /** Revokes one of the user's live tokens; someone else's, or one already revoked, is NOT_FOUND. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    const revoked = await this.#db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (revoked.length === 0) throw new NotFoundError('token');
    await this.#onRevoked(userId, tokenId);
  }

  /**
   * Revokes every live token of the user (a password reset: whoever had the account may have made
   * some) and closes their sockets; returns how many.
   */
  async revokeAll(userId: string): Promise<number> {
    const revoked = await this.#db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    for (const { id } of revoked) await this.#onRevoked(userId, id);
    return revoked.length;
  }

  /**
   * Who a presented secret speaks for. Throws UnauthenticatedError (TOKEN_INVALID for one never
   * issued, TOKEN_REVOKED, TOKEN_EXPIRED) or PlanRequiredError when the owner's plan no longer
   * includes tokens. Moves `lastUsedAt` when it is more than a minute old.
   */
  async authenticate(secret: string): Promise<TokenIdentity> {
    if (!SECRET.test(secret)) throw new UnauthenticatedError('TOKEN_INVALID', 'the personal token is not valid');
    const [found] = await this.#db
      .select({ token: apiTokens, role: users.role })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.secretHash, sha256(secret)));
    if (found === undefined) throw new UnauthenticatedError('TOKEN_INVALID', 'the personal token is not valid');
    const { token, role } = found;
    const now = Date.now();
    if (token.revokedAt !== null) throw new UnauthenticatedError('TOKEN_REVOKED', 'the personal token was revoked');
    if (isExpired(token, now)) throw new UnauthenticatedError('TOKEN_EXPIRED', 'the personal token has expired');
    if (!(await this.#entitled(token.userId))) throw new PlanRequiredError('apiTokens', cheapestWith('apiTokens'));
    if (token.lastUsedAt === null || token.lastUsedAt.getTime() <= now - API_TOKEN_LIMITS.lastUsedEveryMs) await this.#touch(token.id);
    return { userId: token.userId, tokenId: token.id, role, scopes: token.scopes, expiresAt: token.expiresAt?.getTime() ?? NO_EXPIRY };
  }

  /** Where each token stands now (the gateway's sweep of sockets opened with tokens); a token gone with its user is `revoked`. */
  async standings(tokenIds: readonly string[]): Promise<Map<string, TokenStanding>> {
    const standings = new Map<string, TokenStanding>(tokenIds.map((id) => [id, 'revoked']));
    if (tokenIds.length === 0) return standings;
    const rows = await this.#db
      .select()
      .from(apiTokens)
      .where(inArray(apiTokens.id, [...new Set(tokenIds)]));
    const now = Date.now();
    const plans = await this.#entitlements.plansOf(rows.map((row) => row.userId));
    for (const row of rows) {
      const entitled = standingOf(plans.get(row.userId) ?? 'free').entitlements.includes('apiTokens');
      this.#plans.set(row.userId, { entitled, until: now + API_TOKEN_LIMITS.planCheckMs });
      standings.set(row.id, row.revokedAt !== null ? 'revoked' : isExpired(row, now) ? 'expired' : entitled ? 'ok' : 'plan');
    }
    return standings;
  }

  /** Moves lastUsedAt, unless another request did within the minute. */
  async #touch(tokenId: string): Promise<void> {
    await this.#db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(
        and(
          eq(apiTokens.id, tokenId),
          or(
            isNull(apiTokens.lastUsedAt),
            sql`${apiTokens.lastUsedAt} <= now() - ${`${API_TOKEN_LIMITS.lastUsedEveryMs} milliseconds`}::interval`,
          ),
        ),
      );
  }

  /** Whether the user's plan includes tokens: from the cache while it is fresh, unless `fresh` asks the database. */
  async #entitled(userId: string, fresh = false): Promise<boolean> {
    const cached = this.#plans.get(userId);
    const now = Date.now();
    if (!fresh && cached !== undefined && cached.until > now) return cached.entitled;
    const entitled = await this.#entitlements.has(userId, 'apiTokens');
    this.#plans.set(userId, { entitled, until: now + API_TOKEN_LIMITS.planCheckMs });
    if (this.#plans.size > 10_000) for (const [id, entry] of this.#plans) if (entry.until <= now) this.#plans.delete(id);
    return entitled;
  }
}
