// TRUST_PROXY: X-Forwarded-For counts only when the socket's peer is a listed proxy, and then the
// client is the right-most address that is not one; a spoofed header from anyone else changes
// nothing, including the per-address rate limits.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, newIdentity, PASSWORD, startAccountsEnv } from '../../test/harness/accounts.ts';
import { ConfigError } from '../errors.ts';
import { parseTrustProxy, TrustedProxies } from './proxies.ts';

describe('trusted proxies', () => {
  const proxies = new TrustedProxies(parseTrustProxy('127.0.0.1, 10.0.0.0/8, fd00::/8'));

  test('proxies: X-Forwarded-For from a peer that is not a listed proxy is ignored', () => {
    expect(proxies.clientAddress('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(new TrustedProxies([]).clientAddress('127.0.0.1', '198.51.100.1')).toBe('127.0.0.1');
  });

  test('proxies: behind listed proxies the client is the right-most address that is not one', () => {
    expect(proxies.clientAddress('127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    // The client wrote "1.2.3.4" itself; the proxies appended the real address and their own.
    expect(proxies.clientAddress('10.1.2.3', '1.2.3.4, 198.51.100.1, 10.0.0.5')).toBe('198.51.100.1');
    expect(proxies.clientAddress('::ffff:127.0.0.1', '198.51.100.2')).toBe('198.51.100.2');
    expect(proxies.clientAddress('fd00::1', '2001:db8::9')).toBe('2001:db8::9');
    expect(proxies.clientAddress('127.0.0.1', '10.0.0.9, 10.0.0.5')).toBe('10.0.0.9');
    expect(proxies.clientAddress('127.0.0.1', 'not-an-address, 10.0.0.5')).toBe('127.0.0.1');
    expect(proxies.clientAddress('127.0.0.1', null)).toBe('127.0.0.1');
  });

  test('proxies: TRUST_PROXY takes addresses and CIDR ranges only; the old hop count is refused', () => {
    expect(parseTrustProxy(undefined)).toEqual([]);
    expect(parseTrustProxy('::1,192.168.0.0/16')).toEqual(['::1', '192.168.0.0/16']);
    for (const bad of ['1', '10.0.0.0/33', 'proxy.local', '10.0.0.1/8/2', '::/129'])
      expect(() => parseTrustProxy(bad), bad).toThrow(ConfigError);
  });
});

describe('client addresses on a node', () => {
  let trusting: AccountsEnv;
  let distrusting: AccountsEnv;
  beforeAll(async () => {
    [trusting, distrusting] = await Promise.all([
      startAccountsEnv('proxy-yes'),
      // The test talks to the node from 127.0.0.1, which this node does not count as a proxy.
      startAccountsEnv('proxy-no', { TRUST_PROXY: '10.99.0.0/16' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([trusting?.close(), distrusting?.close()]);
  });

  const registerFrom = (env: AccountsEnv, forwardedFor: string) =>
    env.client(forwardedFor).post('/auth/register', { ...newIdentity('px'), password: PASSWORD, language: 'en' });

  test('proxies: a spoofed X-Forwarded-For from an untrusted peer does not escape the per-address registration limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await registerFrom(distrusting, `198.51.100.${i + 1}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });

  test('proxies: from a trusted proxy, each forwarded client has its own limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await registerFrom(trusting, `198.51.100.${i + 1}`)).status);
    expect(statuses).toEqual(Array(11).fill(201));
    // The same forwarded client is limited after its 10 registrations, whatever it writes to the left.
    const again: number[] = [];
    for (let i = 0; i < 10; i++) again.push((await registerFrom(trusting, `203.0.113.${i}, 198.51.100.200`)).status);
    expect(again).toEqual(Array(10).fill(201));
    expect((await registerFrom(trusting, '203.0.113.99, 198.51.100.200')).status).toBe(429);
  });
});
