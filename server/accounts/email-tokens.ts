// Single-use tokens sent by mail (email verification, password reset). Issued inside the caller's
// transaction together with the mail that carries them; consumed atomically, so two requests
// with the same token cannot both succeed.
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { InvalidInputError } from '../errors.ts';
import type { Database } from '../platform/db/index.ts';
import { type EmailTokenPurpose, emailTokens } from './schema.ts';
import { isOpaqueToken, newOpaqueToken, sha256 } from './secrets.ts';

const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

/** The links that change credentials; a password change ends those outstanding (there is no email-change link yet). */
const RESET_PURPOSES: EmailTokenPurpose[] = ['reset_password'];

type Executor = Pick<Database, 'insert'>;

export async function issueEmailToken(
  executor: Executor,
  grant: { userId: string; purpose: EmailTokenPurpose; email: string },
): Promise<string> {
  const token = newOpaqueToken();
  await executor.insert(emailTokens).values({
    tokenHash: sha256(token),
    userId: grant.userId,
    purpose: grant.purpose,
    email: grant.email,
    expiresAt: new Date(Date.now() + EMAIL_TOKEN_TTL_MS[grant.purpose]),
  });
  return token;
}

const invalid = () => new InvalidInputError('the link is invalid, expired or already used', { field: 'token', code: 'INVALID_TOKEN' });

/** The row of `token` if it is for `purpose`, unused and unexpired. */
function usable(token: string, purpose: EmailTokenPurpose) {
  if (!isOpaqueToken(token)) throw invalid();
  return and(
    eq(emailTokens.tokenHash, sha256(token)),
    eq(emailTokens.purpose, purpose),
    isNull(emailTokens.usedAt),
    gt(emailTokens.expiresAt, new Date()),
  );
}

/** The grant of a token that is still usable, without using it (to validate a request first). */
export async function peekEmailToken(db: Database, token: string, purpose: EmailTokenPurpose): Promise<{ userId: string; email: string }> {
  const [row] = await db.select({ userId: emailTokens.userId, email: emailTokens.email }).from(emailTokens).where(usable(token, purpose));
  if (row === undefined) throw invalid();
  return row;
}

/** Uses the token; throws INVALID_TOKEN when it is unknown, expired, used, or for another purpose. */
export async function consumeEmailToken(
  executor: Pick<Database, 'update'>,
  token: string,
  purpose: EmailTokenPurpose,
): Promise<{ userId: string; email: string }> {
  const [row] = await executor
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(usable(token, purpose))
    .returning({ userId: emailTokens.userId, email: emailTokens.email });
  if (row === undefined) throw invalid();
  return row;
}

/**
 * Ends every outstanding reset link of `userId` (marks them used), in the caller's transaction.
 * Called wherever the password changes: a link mailed before then must not set it again.
 */
export async function endResetLinks(executor: Pick<Database, 'update'>, userId: string): Promise<void> {
  await executor
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(emailTokens.userId, userId), inArray(emailTokens.purpose, RESET_PURPOSES), isNull(emailTokens.usedAt)));
}
