// What a personal API token needs for each call: account security, money and staff calls never
// take one, a conversation's calls need `chats`, and `read` is only for calls that change nothing.
import { expect, test } from 'vitest';
import { Calls } from './catalogue.ts';
import { RETRY_RULES } from './retry.ts';
import { CHAT_CALLS, NEVER_CALLS, scopeAllows, scopeOfCall, scopeOfTopic } from './scopes.ts';

const scopeOf = (name: keyof typeof Calls) => scopeOfCall(name, Calls[name]);

test('scopes: security, money, token and staff calls never take a personal token', () => {
  const never = Object.keys(Calls).filter((name) => scopeOf(name as keyof typeof Calls) === 'never');
  for (const name of ['tokens.create', 'tokens.list', 'tokens.revoke', 'payments.checkout', 'payments.capture', 'payments.list'])
    expect(never).toContain(name);
  for (const name of ['keys.publish', 'chats.encryption', 'treats.tip', 'push.subscribe', 'system.announce', 'profile.setVerified'])
    expect(never).toContain(name);
  for (const [name, spec] of Object.entries(Calls)) if (spec.role !== 'user') expect(never).toContain(name);
});

test('scopes: a read-only token reaches only calls that change nothing; conversations need chats', () => {
  for (const [name] of Object.entries(Calls)) {
    const needed = scopeOf(name as keyof typeof Calls);
    if (needed === 'read') expect(RETRY_RULES[name as keyof typeof Calls], name).toBe('read');
    if (name.startsWith('chats.') && needed !== 'never') expect(needed, name).toBe('chats');
  }
  expect(scopeOf('profile.get')).toBe('read');
  expect(scopeOf('profile.update')).toBe('write');
  expect(scopeOf('posts.create')).toBe('write');
  expect(scopeOf('stories.view')).toBe('write');
  expect(scopeOf('chats.history')).toBe('chats');
  expect(scopeOf('stories.reply')).toBe('chats');
  expect(scopeOfTopic('room')).toBe('chats');
  expect(scopeOfTopic('user')).toBe('read');
});

test('scopes: the explicit lists name only calls that exist', () => {
  for (const name of [...NEVER_CALLS, ...CHAT_CALLS]) expect(Object.hasOwn(Calls, name), name).toBe(true);
});

test('scopes: a token allows what its scopes cover, and never what needs a session', () => {
  expect(scopeAllows(['read'], 'read')).toBe(true);
  expect(scopeAllows(['read'], 'write')).toBe(false);
  expect(scopeAllows(['read', 'write', 'chats'], 'never')).toBe(false);
});
