// Seeded accounts for load benchmarks: thousands of users inserted in a few bulk statements
// instead of registered through HTTP (argon2 makes each registration cost ~100 ms of CPU), and
// access tokens signed for them with the server's own KeyRing.
//
// Each account has what registration and a password sign-in leave behind and the server reads:
// a users row (UUIDv7 id, email, username, language, role 'user', an argon2 hash of
// SEEDED_PASSWORD, computed once and shared, so /auth/login works too), an auth_sessions row and
// its first refresh token (stored as SHA-256, as Sessions.create does). Not made: the email
// verification token and its queued mail (nobody reads them; the address stays unverified, as
// after registration), and profile or privacy rows, which the server writes only on a first
// change (people/schema.ts).
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { parseSigningKeys } from '../server/accounts/config.ts';
import { hashPassword } from '../server/accounts/passwords.ts';
import { newOpaqueToken, sha256 } from '../server/accounts/secrets.ts';
import { REFRESH_TOKEN_TTL_MS } from '../server/accounts/sessions.ts';
import { KeyRing } from '../server/accounts/tokens.ts';
import { USERNAME } from '../server/accounts/users.ts';

/** The password of every seeded account. */
export const SEEDED_PASSWORD = 'Seeded bench password 2026';

export interface SeededAccount {
  id: string;
  sessionId: string;
  username: string;
  email: string;
  /** The session's first refresh token (unused). */
  refreshToken: string;
}

/** A fresh AUTH_JWT_KEYS value (one key) for a benchmark's nodes and accessTokens(). */
export function newJwtKeys(): string {
  return `bench:${randomBytes(36).toString('base64url')}`;
}

/**
 * Inserts `count` accounts, each with one live session, into the (migrated) database at
 * `databaseUrl`. Usernames are `<prefix><n>` (prefix: a random `b<6 letters>_` unless given).
 */
export async function seedAccounts(databaseUrl: string, count: number, options: { prefix?: string } = {}): Promise<SeededAccount[]> {
  const prefix = options.prefix ?? `b${randomBytes(6).toString('hex').slice(0, 6)}_`;
  const accounts: SeededAccount[] = [];
  for (let i = 0; i < count; i++) {
    const username = `${prefix}${i}`;
    if (!USERNAME.test(username)) throw new Error(`seedAccounts() | "${username}" is not a valid username; choose another prefix`);
    accounts.push({
      id: Bun.randomUUIDv7(),
      sessionId: Bun.randomUUIDv7(),
      username,
      email: `${username}@bench.petamigos.test`,
      refreshToken: newOpaqueToken(),
    });
  }
  const passwordHash = await hashPassword(SEEDED_PASSWORD);
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const column = <K extends keyof SeededAccount>(key: K) => accounts.map((account) => account[key]);
    await sql.begin(async (tx) => {
      await tx`
        insert into users (id, email, username, password_hash, language)
        select id, email, username, ${passwordHash}, 'en'
        from unnest(${column('id')}::uuid[], ${column('email')}::text[], ${column('username')}::text[]) as seeded(id, email, username)`;
      await tx`
        insert into auth_sessions (id, user_id, user_agent, ip, expires_at)
        select session_id, user_id, 'petamigos-bench', '127.0.0.1', ${expiresAt}
        from unnest(${column('sessionId')}::uuid[], ${column('id')}::uuid[]) as seeded(session_id, user_id)`;
      await tx`
        insert into refresh_tokens (token_hash, session_id, expires_at)
        select token_hash, session_id, ${expiresAt}
        from unnest(${accounts.map((account) => sha256(account.refreshToken))}::text[], ${column('sessionId')}::uuid[]) as seeded(token_hash, session_id)`;
    });
  } finally {
    await sql.end();
  }
  return accounts;
}

/**
 * Signs access tokens as a node configured with AUTH_JWT_KEYS=`jwtKeys` does (its KeyRing, with
 * the default lifetime).
 */
export function accessTokens(jwtKeys: string): (account: Pick<SeededAccount, 'id' | 'sessionId'>) => Promise<string> {
  const keys = parseSigningKeys(jwtKeys);
  if (keys === undefined) throw new Error('accessTokens() | jwtKeys is empty');
  const ring = new KeyRing(keys);
  return (account) => ring.sign({ userId: account.id, sessionId: account.sessionId, role: 'user' });
}
