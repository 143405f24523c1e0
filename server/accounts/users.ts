// Users as the rest of the server sees them: input normalization and validation (email,
// username, language), lookups, and the public view returned by the API.
import { eq, or, type SQL, sql } from 'drizzle-orm';
import { InvalidInputError } from '../errors.ts';
import { isLanguage } from '../i18n/languages.ts';
import type { Database } from '../platform/db/index.ts';
import { users } from './schema.ts';

export type UserRow = typeof users.$inferSelect;

export interface UserView {
  id: string;
  email: string;
  emailVerified: boolean;
  username: string;
  language: string;
  role: string;
  twoFactorEnabled: boolean;
  hasPassword: boolean;
  createdAt: string;
}

export function userView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.emailVerifiedAt !== null,
    username: row.username,
    language: row.language,
    role: row.role,
    twoFactorEnabled: row.totpEnabledAt !== null,
    hasPassword: row.passwordHash !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

// Deliberately plain: one @, no spaces or control characters, a dot in the domain. The mail we
// send is the real check.
const EMAIL = /^[^\s@<>()[\]\\,;:"\p{Cc}]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;
export const USERNAME = /^(?!.*\.\.)(?![._])[a-z0-9._]{3,30}(?<![.])$/;

/** The address as it is stored and mailed: trimmed and lower-cased; its NFKC form must be a plausible address. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  const canonical = email.normalize('NFKC');
  if (email.length > 254 || !EMAIL.test(email) || !EMAIL.test(canonical))
    throw new InvalidInputError('email is not a valid address', { field: 'email' });
  return email;
}

/**
 * The mailbox identity of an address, computed by the database exactly as the users.email_key
 * column is: NFKC (so fullwidth ｋ and mathematical 𝐤 are k), then lower case, over the whole
 * address, local part included. No provider-specific rules (dots, +tags) and no full case
 * folding (ß stays ß): those can be distinct mailboxes.
 */
export function emailKey(address: string): SQL<string> {
  return sql<string>`lower(normalize(${address}::text, NFKC))`;
}

export function normalizeUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw new InvalidInputError('username must be 3 to 30 of a-z, 0-9, "_" and ".", not starting with "." or "_", not ending with "."', {
      field: 'username',
    });
  }
  return username;
}

export function checkLanguage(raw: string): string {
  if (!isLanguage(raw)) throw new InvalidInputError('language is not one of the supported languages', { field: 'language' });
  return raw;
}

/** The user whose email (by mailbox identity) or username is `login` (already lower-cased), if any. */
export async function findUserByLogin(db: Database, login: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(or(eq(users.emailKey, emailKey(login)), eq(users.username, login)))
    .limit(1);
  return row;
}

export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** The user whose address is the same mailbox as `email` (see emailKey). */
export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.emailKey, emailKey(email)))
    .limit(1);
  return row;
}
