// Passwords: strength rules at the edge, argon2id at rest (Bun.password, OWASP's parameters),
// and a verification that spends the same time whether or not the account exists, so timing
// cannot tell which logins are real.
import { InvalidInputError } from '../errors.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_DISTINCT = 5;

// The most used passwords of public breach lists that meet the length rule; refused outright.
const COMMON = new Set([
  '1234567890',
  '0123456789',
  '12345678910',
  'qwertyuiop',
  'password12',
  'password123',
  'password1234',
  'iloveyou12',
  'qwerty1234',
  'qwerty12345',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'abcdefghij',
  'abc1234567',
  'aaaaaaaaaa',
  'letmein123',
  'welcome123',
  'football123',
  'princess123',
  'sunshine123',
  'dragon1234',
  'monkey1234',
  'passw0rd123',
  'administrator',
  'petamigos123',
  'mascota1234',
  'contraseña123',
  'contrasena123',
]);

const HASH_OPTIONS = { algorithm: 'argon2id', memoryCost: 19_456, timeCost: 2 } as const;

/** Throws InvalidInputError (code WEAK_PASSWORD, field password) when the password is too weak. */
export function checkPasswordStrength(password: string, identity: { email: string; username: string }): void {
  const weak = (why: string) => new InvalidInputError(`password ${why}`, { field: 'password', code: 'WEAK_PASSWORD' });
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) throw weak(`must have at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) throw weak(`must have at most ${PASSWORD_MAX_LENGTH} characters`);
  if (new Set(password).size < PASSWORD_MIN_DISTINCT) throw weak(`must use at least ${PASSWORD_MIN_DISTINCT} different characters`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) throw weak('is one of the most common passwords');
  const localPart = identity.email.split('@')[0] ?? '';
  for (const part of [identity.username, localPart]) {
    if (part.length >= 4 && lower.includes(part.toLowerCase())) throw weak('must not contain your username or email');
  }
}

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, HASH_OPTIONS);
}

// A real hash of a random password: verifying against it costs what a real verification costs.
let decoy: Promise<string> | undefined;

/** Constant-time comparison (argon2 verify); an absent hash is checked against a decoy and fails. */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (hash == null) {
    decoy ??= Bun.password.hash(crypto.randomUUID(), HASH_OPTIONS);
    await Bun.password.verify(password, await decoy);
    return false;
  }
  return Bun.password.verify(password, hash);
}
