// Access tokens: JWTs (HS256, jose) valid 15 minutes, carrying the user, the session and the role.
// Keys come from AUTH_JWT_KEYS with key ids, so a new key can sign while old ones still verify;
// without configuration one key is generated at first start and kept in server_secrets, shared
// by every node of the cluster.

import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../errors.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import { storedSecret } from '../system/secrets.ts';
import type { SigningKey } from './config.ts';
import { ROLES, type Role } from './schema.ts';
import { SecretBox } from './sealed.ts';

/** The default lifetime of access tokens (AUTH_ACCESS_TOKEN_TTL_SECONDS). */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'petamigos';
const AUDIENCE = 'petamigos';
const GENERATED_KEY_NAME = 'auth_jwt_key';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  role: Role;
}

export interface VerifiedClaims extends AccessClaims {
  /** Unix ms at which the token stops being valid. */
  expiresAt: number;
}

export class KeyRing {
  readonly #keys: SigningKey[];
  readonly #signing: SigningKey;
  readonly #byKid: Map<string, Uint8Array>;
  readonly #boxes = new Map<string, SecretBox>();
  readonly ttlSeconds: number;

  constructor(keys: SigningKey[], ttlSeconds = ACCESS_TOKEN_TTL_SECONDS) {
    this.ttlSeconds = ttlSeconds;
    const [first] = keys;
    if (first === undefined) throw new Error('KeyRing needs at least one key');
    this.#keys = keys;
    this.#signing = first;
    this.#byKid = new Map(keys.map((key) => [key.kid, key.secret]));
  }

  /** Seals and opens stored secrets of one purpose under keys derived from these (sealed.ts). */
  box(purpose: string): SecretBox {
    let box = this.#boxes.get(purpose);
    if (box === undefined) {
      box = new SecretBox(this.#keys, purpose);
      this.#boxes.set(purpose, box);
    }
    return box;
  }

  /** `ttlSeconds` other than the ring's is for tests of expiry. */
  sign(claims: AccessClaims, ttlSeconds = this.ttlSeconds): Promise<string> {
    return new SignJWT({ sid: claims.sessionId, role: claims.role })
      .setProtectedHeader({ alg: 'HS256', kid: this.#signing.kid, typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.#signing.secret);
  }

  /** Throws UnauthenticatedError: TOKEN_EXPIRED for an expired token, TOKEN_INVALID for any other fault. */
  async verify(token: string): Promise<VerifiedClaims> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const secret = header.kid === undefined ? undefined : this.#byKid.get(header.kid);
          if (secret === undefined) throw new UnauthenticatedError('TOKEN_INVALID', 'unknown signing key');
          return secret;
        },
        { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] },
      );
      const { sub, sid, role, exp } = payload;
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number' || !(ROLES as readonly unknown[]).includes(role)) {
        throw new UnauthenticatedError('TOKEN_INVALID', 'token claims are incomplete');
      }
      return { userId: sub, sessionId: sid, role: role as Role, expiresAt: exp * 1000 };
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof errors.JWTExpired)
        throw new UnauthenticatedError('TOKEN_EXPIRED', 'the access token has expired', { cause: error });
      throw new UnauthenticatedError('TOKEN_INVALID', 'the access token is not valid', { cause: error });
    }
  }
}

/** The configured keys, or the cluster's generated key (created by whichever node starts first). */
export async function loadKeyRing(
  configured: SigningKey[] | undefined,
  db: Database,
  log: Logger,
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<KeyRing> {
  if (configured !== undefined) return new KeyRing(configured, ttlSeconds);
  const value = await storedSecret(db, GENERATED_KEY_NAME, () => randomBytes(48).toString('base64url'));
  log.warn('accounts.keys() | AUTH_JWT_KEYS is not set: using the key generated in the database; set AUTH_JWT_KEYS in production');
  return new KeyRing([{ kid: 'generated', secret: new TextEncoder().encode(value) }], ttlSeconds);
}
