// Access-token signing and key rotation, the accounts configuration, and password rules.
import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { ConfigError, InvalidInputError, UnauthenticatedError } from '../errors.ts';
import { loadConfig } from '../platform/config.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { KeyRing } from './tokens.ts';

const key = (kid: string) => ({ kid, secret: new TextEncoder().encode(`${kid}-secret-that-is-long-enough-0123456789`) });
const claims = { userId: '0191d9a0-0000-7000-8000-000000000001', sessionId: '0191d9a0-0000-7000-8000-000000000002', role: 'user' as const };

async function rejection(work: Promise<unknown>): Promise<UnauthenticatedError> {
  const error = await work.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return error as UnauthenticatedError;
}

describe('access tokens', () => {
  test('tokens: a token signed with the old key still verifies after a new key is put first (rotation)', async () => {
    const before = new KeyRing([key('2026-10')]);
    const token = await before.sign(claims);
    const after = new KeyRing([key('2026-11'), key('2026-10')]);
    expect(await after.verify(token)).toMatchObject(claims);
    const fresh = await after.sign(claims);
    expect(JSON.parse(Buffer.from(fresh.split('.')[0] as string, 'base64url').toString()).kid).toBe('2026-11');
  });

  test('tokens: a token from a retired key, or an unknown kid, is TOKEN_INVALID', async () => {
    const token = await new KeyRing([key('old')]).sign(claims);
    expect((await rejection(new KeyRing([key('new')]).verify(token))).code).toBe('TOKEN_INVALID');
  });

  test('tokens: an expired token is TOKEN_EXPIRED', async () => {
    const { secret } = key('k');
    const expired = await new SignJWT({ sid: claims.sessionId, role: 'user' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k' })
      .setSubject(claims.userId)
      .setIssuer('petamigos')
      .setAudience('petamigos')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    expect((await rejection(new KeyRing([key('k')]).verify(expired))).code).toBe('TOKEN_EXPIRED');
  });

  test('tokens: alg none, another audience, or missing claims are TOKEN_INVALID', async () => {
    const ring = new KeyRing([key('k')]);
    const unsigned = `${Buffer.from('{"alg":"none","kid":"k"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: claims.userId, sid: claims.sessionId, role: 'admin', iss: 'petamigos', aud: 'petamigos', exp: 9999999999 })).toString('base64url')}.`;
    expect((await rejection(ring.verify(unsigned))).code).toBe('TOKEN_INVALID');
    const otherAudience = await new SignJWT({ sid: claims.sessionId, role: 'user' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k' })
      .setSubject(claims.userId)
      .setIssuer('petamigos')
      .setAudience('someone-else')
      .setExpirationTime('5m')
      .sign(key('k').secret);
    expect((await rejection(ring.verify(otherAudience))).code).toBe('TOKEN_INVALID');
    const noSession = await new SignJWT({ role: 'user' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k' })
      .setSubject(claims.userId)
      .setIssuer('petamigos')
      .setAudience('petamigos')
      .setExpirationTime('5m')
      .sign(key('k').secret);
    expect((await rejection(ring.verify(noSession))).code).toBe('TOKEN_INVALID');
  });
});

describe('accounts configuration', () => {
  test('config: AUTH_JWT_KEYS is a list of kid:secret with the first signing', () => {
    const config = loadConfig({ AUTH_JWT_KEYS: `new:${'n'.repeat(32)}, old:${'o'.repeat(40)}` });
    expect(config.accounts.signingKeys?.map((k) => k.kid)).toEqual(['new', 'old']);
  });

  test.each([`short:${'s'.repeat(10)}`, 'nocolon', `a:${'x'.repeat(32)},a:${'y'.repeat(32)}`, `bad kid:${'x'.repeat(32)}`])(
    'config: AUTH_JWT_KEYS=%j is refused',
    (value) => {
      expect(() => loadConfig({ AUTH_JWT_KEYS: value })).toThrow(ConfigError);
    },
  );

  test('config: APP_URL defaults to localhost on PORT, without a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).accounts.appUrl).toBe('http://localhost:8080');
    expect(loadConfig({ APP_URL: 'https://petamigos.example/' }).accounts.appUrl).toBe('https://petamigos.example');
  });

  test('config: an OAuth provider needs its secret, and Apple its key, team and key id', () => {
    expect(() => loadConfig({ OAUTH_GOOGLE_CLIENT_ID: 'id' })).toThrow('OAUTH_GOOGLE_CLIENT_SECRET must be set');
    expect(() => loadConfig({ OAUTH_APPLE_CLIENT_ID: 'id', OAUTH_APPLE_TEAM_ID: 'T' })).toThrow(
      'OAUTH_APPLE_KEY_ID and OAUTH_APPLE_PRIVATE_KEY',
    );
    const config = loadConfig({ OAUTH_GOOGLE_CLIENT_ID: 'id', OAUTH_GOOGLE_CLIENT_SECRET: 'secret' });
    expect(config.accounts.oauth.map((provider) => [provider.name, provider.tokenUrl])).toEqual([
      ['google', 'https://oauth2.googleapis.com/token'],
    ]);
  });
});

describe('passwords', () => {
  const identity = { email: 'luna.owner@example.com', username: 'lunaowner' };

  test('passwords: argon2id hashes that verify only the same password', async () => {
    const hash = await hashPassword('Correct horse 42');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword('Correct horse 42', hash)).toBe(true);
    expect(await verifyPassword('correct horse 42', hash)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
  });

  test.each([
    ['2short', 'at least 10'],
    ['x'.repeat(129), 'at most 128'],
    ['abababababab', '5 different'],
    ['Password123', 'most common'],
    ['my lunaowner pw', 'username or email'],
    ['luna.owner!!', 'username or email'],
  ])('passwords: %j is refused (%s)', (password, reason) => {
    expect(() => checkPasswordStrength(password, identity)).toThrow(InvalidInputError);
    expect(() => checkPasswordStrength(password, identity)).toThrow(reason);
  });

  test('passwords: a long passphrase in any script is accepted', () => {
    expect(() => checkPasswordStrength('mi perro se llama Ñandú 🐕', identity)).not.toThrow();
    expect(() => checkPasswordStrength('我的猫喜欢在阳光下睡觉', identity)).not.toThrow();
  });
});
