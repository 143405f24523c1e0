// Privacy rules on every read path, one rule at a time: each audience (public, friends,
// close_friends, only_me) for each kind of content, seen by a stranger, a friend, a close friend
// and the owner; location rounding; presence for friends only with live revocation; the messages
// and request policies; profile edits validated at the edge; the badge for admins only.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, join, type Member, memberPool } from '../../test/harness/social.ts';
import { updatePrivacy } from './privacy.ts';
import { updateProfile } from './profiles.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('privacy', { FRIEND_REQUESTS_PER_HOUR: '3' });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const member = () => pool.member();

/** An owner with a friend, a close friend and a stranger, all connected. */
const circle = () => pool.circle();

const AUDIENCES = ['public', 'friends', 'close_friends', 'only_me'] as const;
const EXPECTED: Record<(typeof AUDIENCES)[number], { stranger: boolean; friend: boolean; close: boolean }> = {
  public: { stranger: true, friend: true, close: true },
  friends: { stranger: false, friend: true, close: true },
  close_friends: { stranger: false, friend: false, close: true },
  only_me: { stranger: false, friend: false, close: false },
};

describe('privacy', () => {
  test('privacy: profile details, location, friends list and pets each follow their own audience, for stranger, friend, close friend and owner', async () => {
    const { owner, friend, close, stranger } = await circle();
    await owner.call('profile.update', {
      bio: 'Dos perros y un gato',
      timezone: 'America/Mexico_City',
      locale: 'es-MX',
      location: { latitude: 19.432608, longitude: -99.133209, placeName: 'Centro' },
    });
    const pet = await owner.call('pets.create', { name: 'Luna', species: 'dog' });
    for (const audience of AUDIENCES) {
      await owner.call('privacy.update', { profileDetails: audience, location: audience, friendsList: audience, pets: audience });
      for (const [who, viewer] of [
        ['stranger', stranger],
        ['friend', friend],
        ['close', close],
      ] as const) {
        const allowed = EXPECTED[audience][who];
        const seen: CallResponse<'profile.get'> = await viewer.call('profile.get', { userId: owner.id });
        const label = `${audience} as ${who}`;
        expect(seen.bio, label).toBe(allowed ? 'Dos perros y un gato' : undefined);
        expect(seen.timezone, label).toBe(allowed ? 'America/Mexico_City' : undefined);
        expect(seen.location, label).toEqual(allowed ? { latitude: 19.43, longitude: -99.13, placeName: 'Centro' } : undefined);
        expect(seen.friends, label).toBe(allowed ? 2 : undefined);
        expect(seen.pets, label).toBe(allowed ? 1 : undefined);
        // What identifies the person stays visible to anyone not blocked.
        expect(seen.username, label).toBe(owner.user.username);
        if (allowed) {
          expect((await viewer.call('friends.list', { userId: owner.id })).items.length, label).toBe(2);
          expect(
            (await viewer.call('pets.list', { ownerId: owner.id })).items.map((item) => item.id),
            label,
          ).toEqual([pet.id]);
          expect((await viewer.call('pets.get', { petId: pet.id })).pet.name, label).toBe('Luna');
        } else {
          expect((await viewer.refused('friends.list', { userId: owner.id })).code, label).toBe('FORBIDDEN');
          expect((await viewer.refused('pets.list', { ownerId: owner.id })).code, label).toBe('FORBIDDEN');
          expect((await viewer.refused('pets.get', { petId: pet.id })).code, label).toBe('NOT_FOUND');
        }
      }
      // The owner always sees everything, and the exact point.
      const own = await owner.call('profile.get', { userId: owner.id });
      expect(own.location).toEqual({ latitude: 19.432608, longitude: -99.133209, placeName: 'Centro' });
      expect(own.bio).toBe('Dos perros y un gato');
    }
  });

  test('privacy: location is nobody else’s by default, and removing it removes it', async () => {
    const { owner, friend } = await circle();
    await owner.call('profile.update', { location: { latitude: 40.4168, longitude: -3.7038, placeName: 'Madrid' } });
    expect((await friend.call('profile.get', { userId: owner.id })).location).toBeUndefined();
    await owner.call('privacy.update', { location: 'friends' });
    expect((await friend.call('profile.get', { userId: owner.id })).location).toEqual({
      latitude: 40.42,
      longitude: -3.7,
      placeName: 'Madrid',
    });
    await owner.call('profile.update', { location: null });
    expect((await friend.call('profile.get', { userId: owner.id })).location).toBeUndefined();
    expect((await owner.call('profile.get', { userId: owner.id })).location).toBeUndefined();
  });

  test("privacy: a pet's health notes are the owner's only by default, and follow their own audience", async () => {
    const { owner, friend, stranger } = await circle();
    const pet = await owner.call('pets.create', {
      name: 'Michi',
      species: 'cat',
      health: { notes: 'Allergic to chicken', vaccinations: 'Rabies 2026-03' },
    });
    expect(pet.health).toEqual({ notes: 'Allergic to chicken', vaccinations: 'Rabies 2026-03', audience: 'only_me' });
    expect((await friend.call('pets.get', { petId: pet.id })).pet.health).toBeUndefined();
    await owner.call('pets.update', { petId: pet.id, health: { audience: 'friends' } });
    expect((await friend.call('pets.get', { petId: pet.id })).pet.health?.notes).toBe('Allergic to chicken');
    expect((await stranger.call('pets.get', { petId: pet.id })).pet.health).toBeUndefined();
  });

  test('presence: someone allowed only now, resuming the topic from seq 0, gets a reset and none of the status history from before', async () => {
    const [owner, later] = await Promise.all([member(), member()]);
    await owner.call('presence.setStatus', { text: 'hidden from strangers' });
    await owner.call('presence.setStatus', { text: 'still hidden' });
    await befriend(env.node, owner, later);
    const topic = `presence:${owner.id}`;
    const epoch = env.node.platform.topics.epoch;
    const reply = await later.socket.request({ type: 'sub', topic, since: { epoch, seq: 0 } });
    expect(reply.type).toBe('reply');
    const reset = await later.socket.next((frame) => frame.type === 'reset' && frame.topic === topic);
    expect(reset.seq).toBe((reply.body as { seq: number }).seq);
    await owner.call('presence.setStatus', { text: 'live now' });
    await later.event('presence.changed', (body) => body.text === 'live now');
    expect(JSON.stringify(later.socket.frames)).not.toContain('hidden');
  });

  test('presence: friends see it, strangers do not; a user who hides it or unfriends ends live followers with a revoked frame', async () => {
    const { owner, friend, close, stranger } = await circle();
    expect((await friend.call('presence.get', { userId: owner.id })).status).toBe('online');
    expect((await stranger.refused('presence.get', { userId: owner.id })).code).toBe('FORBIDDEN');
    expect((await stranger.socket.request({ type: 'sub', topic: `presence:${owner.id}` })).code).toBe('FORBIDDEN');
    expect((await stranger.call('profile.get', { userId: owner.id })).canSeePresence).toBe(false);
    for (const viewer of [friend, close])
      expect((await viewer.socket.request({ type: 'sub', topic: `presence:${owner.id}` })).type).toBe('reply');

    await owner.call('privacy.update', { presence: 'close_friends' });
    const revoked = await friend.socket.next((frame) => frame.type === 'revoked');
    expect(revoked).toEqual({ type: 'revoked', topic: `presence:${owner.id}`, code: 'FORBIDDEN' });
    expect((await friend.refused('presence.get', { userId: owner.id })).code).toBe('FORBIDDEN');
    expect((await close.call('presence.get', { userId: owner.id })).status).toBe('online');

    await owner.call('friends.remove', { userId: close.id });
    expect(await close.socket.next((frame) => frame.type === 'revoked')).toMatchObject({ topic: `presence:${owner.id}` });
    // Presence changes after the revocation do not reach the former follower.
    await owner.call('presence.setStatus', { text: 'Out with Luna' });
    await Bun.sleep(300);
    expect(
      close.socket.frames.filter(
        (frame) =>
          frame.type === 'event' && frame.topic === `presence:${owner.id}` && (frame.body as { text?: string }).text === 'Out with Luna',
      ),
    ).toEqual([]);
  });

  test('privacy: the messages setting decides canMessage (everyone, friends, nobody)', async () => {
    const { owner, friend, stranger } = await circle();
    expect((await friend.call('profile.get', { userId: owner.id })).canMessage).toBe(true);
    expect((await stranger.call('profile.get', { userId: owner.id })).canMessage).toBe(false);
    await owner.call('privacy.update', { messages: 'everyone' });
    expect((await stranger.call('profile.get', { userId: owner.id })).canMessage).toBe(true);
    await owner.call('privacy.update', { messages: 'nobody' });
    expect((await friend.call('profile.get', { userId: owner.id })).canMessage).toBe(false);
  });

  test('profile: edits are validated at the edge and a refused edit changes nothing', async () => {
    const me = await member();
    await me.call('profile.update', { displayName: 'Ana', bio: 'Hola' });
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'INVALID_INPUT', 'timezone'],
      [{ locale: 'xx' }, 'INVALID_INPUT', 'locale'],
      [{ locale: 'es-mx' }, 'INVALID_INPUT', 'locale'],
      [{ bio: 'bell\u0007' }, 'INVALID_INPUT', 'bio'],
      [{ bio: 'x'.repeat(501) }, 'INVALID_BODY', 'bio'],
      [{ location: { latitude: 91, longitude: 0, placeName: '' } }, 'INVALID_BODY', 'location.latitude'],
      [{ avatarMediaId: 'not-a-uuid' }, 'INVALID_BODY', 'avatarMediaId'],
      [{ accountType: 'admin' }, 'INVALID_BODY', 'accountType'],
      [{ verified: true }, 'INVALID_BODY', 'verified'],
    ];
    for (const [body, code, field] of refusals) {
      const refused = await me.refused('profile.update', { displayName: 'Changed', ...body });
      expect(refused.code, JSON.stringify(body)).toBe(code);
      if (code === 'INVALID_INPUT') expect(refused.details?.field, JSON.stringify(body)).toBe(field);
    }
    const after = await me.call('profile.get', { userId: me.id });
    expect(after).toMatchObject({ displayName: 'Ana', bio: 'Hola', verified: false, timezone: 'UTC' });
  });

  test("profile: keys nested in location can't reach another user's row, the badge or an unchecked avatar (INVALID_BODY naming the key, nothing changes)", async () => {
    const [victim, attacker] = await Promise.all([member(), member()]);
    await victim.call('profile.update', { displayName: 'Victim', bio: 'mine' });
    const location = { latitude: 19.43, longitude: -99.13, placeName: 'CDMX' };
    const injected: [string, unknown][] = [
      ['userId', victim.id],
      ['displayName', 'pwned'],
      ['verifiedAt', new Date().toISOString()],
      ['avatarMediaId', '0192a1b2-0000-7000-8000-0000000000aa'],
    ];
    for (const [key, value] of injected) {
      const refused = await attacker.refused('profile.update', { bio: 'attacker', location: { ...location, [key]: value } });
      expect(refused, key).toMatchObject({ code: 'INVALID_BODY', details: { field: `location.${key}` } });
    }
    expect(await victim.call('profile.get', { userId: victim.id })).toMatchObject({ displayName: 'Victim', bio: 'mine', verified: false });
    const self = await attacker.call('profile.get', { userId: attacker.id });
    expect(self.bio).not.toBe('attacker');
    expect(self).toMatchObject({ verified: false, avatarMediaId: null });
    expect(self.location).toBeUndefined();
  });

  test('profile, privacy: the writes copy only the columns they name, even if a schema let an extra key through', async () => {
    const [victim, attacker] = await Promise.all([member(), member()]);
    await victim.call('profile.update', { displayName: 'Victim' });
    const { deps } = env.node.social;
    const smuggled = { latitude: 1, longitude: 2, placeName: 'x', userId: victim.id, displayName: 'pwned', verifiedAt: new Date() };
    await updateProfile(deps, attacker.id, { bio: 'ok', location: smuggled } as never);
    await updatePrivacy(deps.db, attacker.id, { pets: 'friends', userId: victim.id } as never);
    expect(await victim.call('profile.get', { userId: victim.id })).toMatchObject({ displayName: 'Victim', verified: false });
    expect(await attacker.call('profile.get', { userId: attacker.id })).toMatchObject({ bio: 'ok', verified: false });
    expect((await attacker.call('privacy.get', {})).pets).toBe('friends');
  });

  test('profile: only admins grant the verification badge, and followers of the profile hear of it', async () => {
    const [person, admin, watcher] = await Promise.all([member(), member(), member()]);
    expect((await person.refused('profile.setVerified', { userId: person.id, verified: true })).code).toBe('FORBIDDEN');
    await env.setRole(admin.id, 'admin');
    const adminSocket = await join(env, env.node, { ...admin.user, tokens: await reSignIn(admin) });
    pool.keep(adminSocket);
    expect((await watcher.socket.request({ type: 'sub', topic: `profile:${person.id}` })).type).toBe('reply');
    await adminSocket.call('profile.setVerified', { userId: person.id, verified: true });
    await watcher.event('profile.changed', (body) => body.userId === person.id);
    expect((await watcher.call('profile.get', { userId: person.id })).verified).toBe(true);
    expect((await watcher.call('people.search', { query: person.user.username })).items[0]?.verified).toBe(true);
  });

  test('requests: past FRIEND_REQUESTS_PER_HOUR (3 here) a user gets RATE_LIMITED, and the refused request is not stored', async () => {
    const spammer = await member();
    const targets = await Promise.all([member(), member(), member(), member()]);
    for (const target of targets.slice(0, 3)) await spammer.call('friends.request', { userId: target.id });
    const refused = await spammer.refused('friends.request', { userId: (targets[3] as Member).id });
    expect(refused.code).toBe('RATE_LIMITED');
    expect((await (targets[3] as Member).call('friends.requests', { direction: 'incoming' })).items).toEqual([]);
    expect((await spammer.call('friends.requests', { direction: 'outgoing' })).items).toHaveLength(3);
  });

  test('search: by username or display name prefix, ignoring case and accents', async () => {
    const me = await member();
    const target = await member();
    await target.call('profile.update', { displayName: 'Érika Peña' });
    for (const query of ['erika', 'ÉRIKA P', 'erika pena'])
      expect(
        (await me.call('people.search', { query })).items.map((item) => item.id),
        query,
      ).toContain(target.id);
    expect((await me.call('people.search', { query: target.user.username.toUpperCase() })).items.map((item) => item.id)).toEqual([
      target.id,
    ]);
    expect((await me.call('people.search', { query: '%' })).items.map((item) => item.id)).not.toContain(target.id);
  });
});

async function reSignIn(member: Member) {
  const response = await member.user.client.post<{ accessToken: string; refreshToken: string }>('/auth/login', {
    login: member.user.username,
    password: member.user.password,
  });
  if (response.status !== 200) throw new Error(`login failed ${response.status}`);
  return response.body as never;
}
