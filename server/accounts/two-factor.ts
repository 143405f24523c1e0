// Two-factor authentication with TOTP (RFC 6238): setup stores a pending secret, enable proves
// the authenticator works and hands out ten recovery codes. Turning it on or off re-authenticates
// (credentials.ts): the password (or a fresh provider sign-in), and to turn it off a code. Every accepted TOTP step is recorded so the same code (or an older one) never works twice.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { ConflictError, UnauthenticatedError } from '../errors.ts';
import type { AccountsDeps } from './context.ts';
import { type Reauthentication, reauthenticate } from './credentials.ts';
import { publishAccountUpdated } from './events.ts';
import { LIMITS } from './rate-limits.ts';
import { recoveryCodes, users } from './schema.ts';
import { SecretBox } from './sealed.ts';
import { sha256 } from './secrets.ts';
import {
  base32Decode,
  generateRecoveryCodes,
  generateTotpSecret,
  normalizeRecoveryCode,
  otpauthUrl,
  qrCodeDataUrl,
  verifyTotp,
} from './totp.ts';
import type { UserRow } from './users.ts';

const ISSUER = 'PetAmigos';

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
  qrCode: string;
}

/**
 * The TOTP key of a stored seed: sealed (sealed.ts), or, for a row written before seeds were
 * sealed, the plain base32 seed, which the next setup replaces with a sealed one.
 */
function totpKeyOf(deps: AccountsDeps, user: UserRow, stored: string): Uint8Array {
  if (!SecretBox.isSealed(stored)) return base32Decode(stored);
  try {
    return base32Decode(deps.keys.box('totp').open(stored, user.id));
  } catch (error) {
    // Sealed for another row, altered, or under a key no longer configured: no code can match.
    deps.log.error({ err: error, user: user.id }, `accounts.totp() | the stored seed does not open [user:${user.id}]`);
    throw new UnauthenticatedError('TOTP_INVALID', 'the code is not valid', { cause: error });
  }
}

export async function setupTwoFactor(deps: AccountsDeps, user: UserRow): Promise<TwoFactorSetup> {
  if (user.totpEnabledAt !== null) throw new ConflictError('TWO_FACTOR_ALREADY_ENABLED', 'two-factor authentication is already on');
  const secret = generateTotpSecret();
  const sealed = deps.keys.box('totp').seal(secret, user.id);
  await deps.db.update(users).set({ totpSecret: sealed, totpLastStep: null, updatedAt: new Date() }).where(eq(users.id, user.id));
  const url = otpauthUrl({ secret, accountName: user.email, issuer: ISSUER });
  return { secret, otpauthUrl: url, qrCode: await qrCodeDataUrl(url) };
}

/** Turns two-factor on with a first `code` of the new authenticator, after re-authenticating on `sessionId`. */
export async function enableTwoFactor(
  deps: AccountsDeps,
  user: UserRow,
  sessionId: string,
  input: Pick<Reauthentication, 'password'> & { code: string },
): Promise<{ recoveryCodes: string[] }> {
  const { code } = input;
  if (user.totpEnabledAt !== null) throw new ConflictError('TWO_FACTOR_ALREADY_ENABLED', 'two-factor authentication is already on');
  if (user.totpSecret === null) throw new ConflictError('TWO_FACTOR_NOT_SET_UP', 'call /auth/2fa/setup first');
  await reauthenticate(deps, user, sessionId, { password: input.password });
  await deps.limiter.hit(LIMITS.twoFactorPerAccount, user.id);
  const step = verifyTotp(totpKeyOf(deps, user, user.totpSecret), code, { timeMs: Date.now(), lastUsedStep: user.totpLastStep });
  if (step === null) throw new UnauthenticatedError('TOTP_INVALID', 'the code is not valid');
  const codes = generateRecoveryCodes(10);
  await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabledAt: new Date(), totpLastStep: step, updatedAt: new Date() }).where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId: user.id, codeHash: sha256(normalizeRecoveryCode(code)) })));
  });
  await deps.limiter.reset(LIMITS.twoFactorPerAccount, user.id);
  await publishAccountUpdated(deps, user.id);
  return { recoveryCodes: codes };
}

/** Turns two-factor off after re-authenticating on `sessionId` (with a code: it is on). */
export async function disableTwoFactor(deps: AccountsDeps, user: UserRow, sessionId: string, proof: Reauthentication): Promise<void> {
  if (user.totpEnabledAt === null) throw new ConflictError('TWO_FACTOR_NOT_ENABLED', 'two-factor authentication is off');
  await reauthenticate(deps, user, sessionId, proof);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: new Date() })
      .where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
  });
  await publishAccountUpdated(deps, user.id);
}

/**
 * Accepts a TOTP code or an unused recovery code for `user`, counting attempts. Throws
 * UnauthenticatedError TOTP_INVALID otherwise (a replayed code included).
 */
export async function checkSecondFactor(deps: AccountsDeps, user: UserRow, code: string): Promise<void> {
  await deps.limiter.hit(LIMITS.twoFactorPerAccount, user.id);
  const invalid = new UnauthenticatedError('TOTP_INVALID', 'the code is not valid');
  if (user.totpSecret === null) throw invalid;
  const step = verifyTotp(totpKeyOf(deps, user, user.totpSecret), code, { timeMs: Date.now(), lastUsedStep: user.totpLastStep });
  if (step !== null) {
    // Recorded only if no concurrent request took this step first: a code works once.
    const [taken] = await deps.db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id });
    if (taken === undefined) throw invalid;
  } else {
    const [used] = await deps.db
      .update(recoveryCodes)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(recoveryCodes.userId, user.id),
          eq(recoveryCodes.codeHash, sha256(normalizeRecoveryCode(code))),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ userId: recoveryCodes.userId });
    if (used === undefined) throw invalid;
  }
  await deps.limiter.reset(LIMITS.twoFactorPerAccount, user.id);
}
