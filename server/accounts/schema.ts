// Tables owned by the accounts module: who the users are and how they prove it (passwords, TOTP,
// recovery codes, OAuth identities), their sessions with rotating refresh tokens, and the
// single-use tokens mailed for email verification and password reset, and personal API tokens.
import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { API_TOKEN_LIMITS, type API_TOKEN_SCOPES } from '../../protocol/lists.ts';

export const ROLES = ['user', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** As typed (trimmed, lower-cased); mail goes here. Unique through emailKey. */
    email: text('email').notNull(),
    /**
     * The mailbox identity: NFKC, then lower case, of the whole address (see users.ts emailKey).
     * Computed by the database, so every writer and every old row gets it; unique.
     */
    emailKey: text('email_key').notNull().generatedAlwaysAs(sql`lower(normalize(email, NFKC))`),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    /** Lower-case letters, digits, "_" and "."; unique. */
    username: text('username').notNull(),
    /** argon2id (Bun.password); null for accounts that only sign in through OAuth. */
    passwordHash: text('password_hash'),
    language: text('language').notNull().default('en'),
    role: text('role', { enum: ROLES }).notNull().default('user'),
    /** The TOTP seed, sealed (sealed.ts: AES-256-GCM, bound to this user); set by /auth/2fa/setup, active once totpEnabledAt is set. */
    totpSecret: text('totp_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    /** The last TOTP time step accepted: a code of that step or an older one is a replay. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_key_unique').on(table.emailKey),
    uniqueIndex('users_username_unique').on(table.username),
    check('users_role_known', sql`${table.role} in ('user', 'moderator', 'admin')`),
  ],
);

/** One signed-in device: a family of refresh tokens. Revoking it ends every token of the family. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** logout, revoked, password_reset, token_reuse, 2fa_disabled … */
    revokedReason: text('revoked_reason'),
  },
  (table) => [index('auth_sessions_user').on(table.userId, table.createdAt)],
);

/** Refresh tokens are opaque; only their SHA-256 is stored. Each is used once, then replaced. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => authSessions.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('refresh_tokens_session').on(table.sessionId)],
);

export const EMAIL_TOKEN_PURPOSES = ['verify_email', 'reset_password'] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/** Single-use tokens sent by mail; only their SHA-256 is stored. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: EMAIL_TOKEN_PURPOSES }).notNull(),
    /** The address the token was sent to: verifying proves this address, not a later one. */
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [index('email_tokens_user').on(table.userId, table.purpose)],
);

/** Ten single-use codes that stand in for a TOTP code; hashed like passwords' cheap cousins (SHA-256 of random codes). */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.userId, table.codeHash] })],
);

/** An account at an OAuth provider linked to a user. */
export const oauthIdentities = pgTable(
  'oauth_identities',
  {
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.subject] }), index('oauth_identities_user').on(table.userId)],
);

/**
 * A personal API token (a Pro entitlement; personal-tokens.ts): only the SHA-256 of its secret is
 * kept, and a request finds its token by that hash. Revoked rows stay (revokedAt set) so the
 * owner's history and the revocation's time are known; they never authenticate again.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull().$type<(typeof API_TOKEN_SCOPES)[number][]>(),
    /** SHA-256 (hex) of the whole secret, `pat_` included. */
    secretHash: text('secret_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Moved at most once a minute (API_TOKEN_LIMITS.lastUsedEveryMs). */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** Null: until revoked; at most a year after createdAt. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('api_tokens_secret_hash_unique').on(table.secretHash),
    index('api_tokens_user').on(table.userId, table.createdAt),
    check('api_tokens_name_length', sql`char_length(${table.name}) between 1 and ${sql.raw(String(API_TOKEN_LIMITS.nameChars))}`),
    check('api_tokens_scopes_known', sql`cardinality(${table.scopes}) > 0 and ${table.scopes} <@ array['read', 'write', 'chats']::text[]`),
    check(
      'api_tokens_expiry_bounded',
      sql`${table.expiresAt} is null or ${table.expiresAt} <= ${table.createdAt} + interval '${sql.raw(String(API_TOKEN_LIMITS.maxExpiresInDays))} days'`,
    ),
  ],
);

/** A column that names a user: required, and gone with the user (ON DELETE CASCADE). */
export const userRef = (name: string) =>
  uuid(name)
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' });
