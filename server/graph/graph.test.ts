// The social graph through the protocol: requests, friends, follows, blocks, suggestions, lists,
// each change seen live by both users; and the two-node case (request on node A, recipient on B).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, memberPool } from '../../test/harness/social.ts';
import type { RunningNode } from '../node.ts';

let env: AccountsEnv;
let nodeB: RunningNode;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('graph', { NODE_ID: 'graph-a', LOCATION_CHANGES_PER_DAY: '5' });
  pool = memberPool(env);
  nodeB = await env.peer('graph-b');
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const member = (node?: RunningNode) => pool.member(node);

const stateOf = (body: Record<string, unknown>) => (body.relation as { state: string }).state;

describe('graph', () => {
  test('graph: a friend request sent on node A reaches the user on node B live, with a notification; accepting makes both friends, seen by both', async () => {
    const ana = await member(env.node);
    const bruno = await member(nodeB);
    const sent = await ana.call('friends.request', { userId: bruno.id });
    expect(sent.relation.state).toBe('request_sent');
    const seen = await bruno.event('relation.changed', (body) => body.userId === ana.id);
    expect(stateOf(seen)).toBe('request_received');
    const note = await bruno.event('notification.new');
    expect(note).toMatchObject({ unread: 1, notification: { type: 'friend.request', actor: { id: ana.id }, read: false } });
    const incoming = await bruno.call('friends.requests', { direction: 'incoming' });
    expect(incoming.items.map((item) => item.person.id)).toEqual([ana.id]);

    const accepted = await bruno.call('friends.accept', { userId: ana.id });
    expect(accepted.relation.state).toBe('friends');
    expect(stateOf(await ana.event('relation.changed', (body) => body.userId === bruno.id && stateOf(body) === 'friends'))).toBe('friends');
    expect(await ana.event('notification.new')).toMatchObject({ notification: { type: 'friend.accepted', actor: { id: bruno.id } } });
    // The request's own notification is gone from Bruno's inbox once answered.
    expect(await bruno.event('notifications.unread')).toEqual({ unread: 0 });
    const friends = await ana.call('friends.list', { userId: ana.id });
    expect(friends.items.map((item) => item.id)).toEqual([bruno.id]);
    expect((await bruno.call('friends.requests', { direction: 'incoming' })).items).toEqual([]);
  });

  test('graph: crossing requests become one friendship', async () => {
    const a = await member();
    const b = await member();
    await Promise.all([a.call('friends.request', { userId: b.id }), b.call('friends.request', { userId: a.id })]);
    expect((await a.call('profile.get', { userId: b.id })).relation.state).toBe('friends');
    expect((await b.call('profile.get', { userId: a.id })).relation.state).toBe('friends');
    expect((await a.call('friends.requests', { direction: 'outgoing' })).items).toEqual([]);
  });

  test('graph: decline ends a request without telling the sender; cancel takes it out of the recipient inbox', async () => {
    const a = await member();
    const b = await member();
    await a.call('friends.request', { userId: b.id });
    await b.event('notification.new');
    expect((await b.call('friends.decline', { userId: a.id })).relation.state).toBe('none');
    expect((await a.call('profile.get', { userId: b.id })).relation.state).toBe('none');
    expect(a.socket.frames.some((frame) => frame.name === 'notification.new')).toBe(false);
    expect((await b.refused('friends.accept', { userId: a.id })).code).toBe('NOT_FOUND');

    await a.call('friends.request', { userId: b.id });
    expect((await b.event('notification.new')).unread).toBe(1);
    await a.call('friends.cancel', { userId: b.id });
    expect(await b.event('notifications.unread', (body) => body.unread === 0)).toEqual({ unread: 0 });
    expect((await b.call('notifications.list', {})).items).toEqual([]);
  });

  test('graph: unfriending ends the friendship on both sides, close-friend mark included', async () => {
    const a = await member();
    const b = await member();
    await befriend(env.node, a, b);
    await a.call('friends.setClose', { userId: b.id, close: true });
    expect((await a.call('friends.list', { userId: a.id, closeOnly: true })).items.map((item) => item.id)).toEqual([b.id]);
    await b.call('friends.remove', { userId: a.id });
    expect((await a.call('profile.get', { userId: b.id })).relation).toMatchObject({ state: 'none', closeFriend: false });
    expect((await a.call('friends.list', { userId: a.id })).items).toEqual([]);
    expect((await a.refused('friends.setClose', { userId: b.id, close: true })).code).toBe('NOT_FOUND');
  });

  test("graph: requests obey the target's setting: nobody refuses all, friends_of_friends needs a mutual friend", async () => {
    const closed = await member();
    const picky = await member();
    const stranger = await member();
    const mutual = await member();
    await closed.call('privacy.update', { friendRequests: 'nobody' });
    await picky.call('privacy.update', { friendRequests: 'friends_of_friends' });
    expect((await stranger.refused('friends.request', { userId: closed.id })).code).toBe('REQUESTS_NOT_ALLOWED');
    expect((await stranger.call('profile.get', { userId: closed.id })).canSendRequest).toBe(false);
    expect((await stranger.refused('friends.request', { userId: picky.id })).code).toBe('REQUESTS_NOT_ALLOWED');
    await befriend(env.node, stranger, mutual);
    await befriend(env.node, picky, mutual);
    expect((await stranger.call('profile.get', { userId: picky.id })).canSendRequest).toBe(true);
    expect((await stranger.call('friends.request', { userId: picky.id })).relation.state).toBe('request_sent');
    expect((await stranger.refused('friends.request', { userId: stranger.id })).code).toBe('INVALID_INPUT');
  });

  test('graph: only public profiles and business pages can be followed; followers see themselves listed', async () => {
    const fan = await member();
    const open = await member();
    const shy = await member();
    const shop = await member();
    await shy.call('privacy.update', { profileDetails: 'friends', friendsList: 'public' });
    await shop.call('privacy.update', { profileDetails: 'friends', friendsList: 'public' });
    await shop.call('profile.update', { accountType: 'business' });
    expect((await fan.call('follows.follow', { userId: open.id })).relation.following).toBe(true);
    expect(await open.event('notification.new')).toMatchObject({ notification: { type: 'follow.new' } });
    expect((await fan.refused('follows.follow', { userId: shy.id })).code).toBe('NOT_FOLLOWABLE');
    expect((await fan.call('follows.follow', { userId: shop.id })).relation.following).toBe(true);
    const followers = await fan.call('follows.list', { userId: shop.id, direction: 'followers' });
    expect(followers.items.map((item) => item.id)).toEqual([fan.id]);
    expect((await fan.call('profile.get', { userId: shop.id })).followers).toBe(1);
    await fan.call('follows.unfollow', { userId: shop.id });
    expect((await fan.call('profile.get', { userId: shop.id })).followers).toBe(0);
  });

  test('block: hides both users from each other everywhere and ends friendship, follows, requests and notifications between them', async () => {
    const blocker = await member();
    const blocked = await member();
    const common = await member();
    await befriend(env.node, blocker, blocked);
    await befriend(env.node, blocker, common);
    await befriend(env.node, blocked, common);
    await blocked.call('follows.follow', { userId: blocker.id });
    await blocker.call('pets.create', { name: 'Luna', species: 'dog' });
    const pet = (await blocker.call('pets.create', { name: 'Michi', species: 'cat' })).id;
    const before = await blocker.call('notifications.list', {});
    expect(before.items.some((item) => item.actor?.id === blocked.id)).toBe(true);

    const reply = await blocker.call('blocks.block', { userId: blocked.id });
    expect(reply.relation).toMatchObject({ state: 'none', blocked: true, following: false, followedBy: false });
    const theirs = await blocked.event('relation.changed', (body) => body.userId === blocker.id && stateOf(body) === 'none');
    expect(theirs.relation).toMatchObject({ blocked: false }); // the blocked user is not told of the block

    for (const [viewer, other] of [
      [blocker, blocked],
      [blocked, blocker],
    ] as const) {
      expect((await viewer.refused('profile.get', { userId: other.id })).code).toBe('NOT_FOUND');
      expect((await viewer.refused('friends.request', { userId: other.id })).code).toBe('NOT_FOUND');
      expect((await viewer.refused('friends.list', { userId: other.id })).code).toBe('NOT_FOUND');
      expect((await viewer.refused('pets.list', { ownerId: other.id })).code).toBe('NOT_FOUND');
      expect((await viewer.refused('presence.get', { userId: other.id })).code).toBe('FORBIDDEN');
      expect((await viewer.user.client.get(`/users/by-username/${other.user.username}`, viewer.user.tokens.accessToken)).status).toBe(404);
      const found = await viewer.call('people.search', { query: other.user.username });
      expect(found.items).toEqual([]);
      // A friend in common lists each of them, but not to the other.
      const commonFriends = await viewer.call('friends.list', { userId: common.id });
      expect(commonFriends.items.map((item) => item.id)).not.toContain(other.id);
      expect((await viewer.call('notifications.list', {})).items.some((item) => item.actor?.id === other.id)).toBe(false);
      expect((await viewer.call('friends.suggestions', {})).items.map((item) => item.person.id)).not.toContain(other.id);
    }
    expect((await blocked.refused('pets.get', { petId: pet })).code).toBe('NOT_FOUND');
    expect((await blocked.refused('follows.follow', { userId: blocker.id })).code).toBe('NOT_FOUND');
    expect((await blocker.call('friends.list', { userId: blocker.id })).items.map((item) => item.id)).toEqual([common.id]);
    expect((await blocker.call('blocks.list', {})).items.map((item) => item.person.id)).toEqual([blocked.id]);

    await blocker.call('blocks.unblock', { userId: blocked.id });
    const after = await blocker.call('profile.get', { userId: blocked.id });
    expect(after.relation).toMatchObject({ state: 'none', blocked: false, followedBy: false });
    expect((await blocker.call('blocks.list', {})).items).toEqual([]);
  });

  test('graph: a block during a pending request cancels it, and a request to someone who blocked you is NOT_FOUND', async () => {
    const a = await member();
    const b = await member();
    await a.call('friends.request', { userId: b.id });
    await b.call('blocks.block', { userId: a.id });
    expect((await a.call('friends.requests', { direction: 'outgoing' })).items).toEqual([]);
    expect((await b.call('friends.requests', { direction: 'incoming' })).items).toEqual([]);
    expect((await a.refused('friends.request', { userId: b.id })).code).toBe('NOT_FOUND');
  });

  test('graph: friends lists page by username, 20 at a time, with no gap or duplicate', async () => {
    const hub = await member();
    const friends = await Promise.all(Array.from({ length: 23 }, () => env.register()));
    for (const friend of friends) await befriend(env.node, hub, friend);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await hub.call('friends.list', { userId: hub.id, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.items.map((item) => item.username));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(2);
    expect(seen).toEqual(friends.map((friend) => friend.username).sort());
    expect((await hub.refused('friends.list', { userId: hub.id, cursor: 'not-a-cursor' })).code).toBe('INVALID_CURSOR');
  });

  test('suggestions: friends of friends by mutual count, owners of the same species, people nearby who share location; never friends, pending, blocked or refusing', async () => {
    const me = await member();
    const [f1, f2, twoMutual, oneMutual, dogOwner, neighbour, farAway, pending, refusing, blockedOne] = await Promise.all(
      Array.from({ length: 10 }, () => member()),
    );
    if (blockedOne === undefined || refusing === undefined || pending === undefined || farAway === undefined) throw new Error('setup');
    if (neighbour === undefined || dogOwner === undefined || oneMutual === undefined || twoMutual === undefined) throw new Error('setup');
    if (f1 === undefined || f2 === undefined) throw new Error('setup');
    await befriend(env.node, me, f1);
    await befriend(env.node, me, f2);
    await befriend(env.node, f1, twoMutual);
    await befriend(env.node, f2, twoMutual);
    await befriend(env.node, f1, oneMutual);
    await befriend(env.node, f1, pending);
    await befriend(env.node, f1, refusing);
    await befriend(env.node, f1, blockedOne);
    await me.call('friends.request', { userId: pending.id });
    await refusing.call('privacy.update', { friendRequests: 'nobody' });
    await me.call('blocks.block', { userId: blockedOne.id });
    await me.call('pets.create', { name: 'Rex', species: 'dog' });
    await dogOwner.call('pets.create', { name: 'Firulais', species: 'dog' });
    // CDMX: me at the Zócalo; the neighbour about 4 km away shares location publicly; the other is 300 km away.
    await me.call('profile.update', { location: { latitude: 19.4326, longitude: -99.1332, placeName: 'Centro' } });
    await neighbour.call('profile.update', { location: { latitude: 19.4, longitude: -99.1, placeName: 'Iztacalco' } });
    await neighbour.call('privacy.update', { location: 'public' });
    await farAway.call('profile.update', { location: { latitude: 21.1619, longitude: -86.8515, placeName: 'Cancún' } });
    await farAway.call('privacy.update', { location: 'public' });

    const { items } = await me.call('friends.suggestions', { limit: 20 });
    const ids = items.map((item) => item.person.id);
    expect(ids.slice(0, 2)).toEqual([twoMutual.id, oneMutual.id]);
    expect(items[0]).toMatchObject({ mutualFriends: 2, sharedSpecies: [], distanceBand: null, score: 6 });
    expect(items.find((item) => item.person.id === dogOwner.id)).toMatchObject({ sharedSpecies: ['dog'], mutualFriends: 0 });
    const near = items.find((item) => item.person.id === neighbour.id);
    expect(near).toMatchObject({ distanceBand: '1-5km', score: 1.6 });
    for (const excluded of [f1, f2, pending, refusing, blockedOne, farAway, me]) expect(ids).not.toContain(excluded.id);
  });

  test('suggestions: nearness is a band between the two rounded locations; tiny steps of the caller and 300 m moves of the other within their cell show nothing finer', async () => {
    const attacker = await member();
    const victim = await member();
    await victim.call('privacy.update', { location: 'public' });
    const seen: unknown[] = [];
    const look = async () => {
      const { items } = await attacker.call('friends.suggestions', { limit: 50 });
      const found = items.find((item) => item.person.id === victim.id);
      expect(Object.keys(found ?? {}).sort()).toEqual(['distanceBand', 'mutualFriends', 'person', 'score', 'sharedSpecies']);
      seen.push({ distanceBand: found?.distanceBand, score: found?.score });
    };
    // The victim at two points 300 m apart, both in the rounded cell 19.40, -99.10.
    await victim.call('profile.update', { location: { latitude: 19.4012, longitude: -99.1012, placeName: '' } });
    // The attacker steps 200 m at a time through the cell 19.44, -99.10 (3.9 to 4.8 km from the
    // victim's exact point; 4.4 km between the rounded cells).
    for (const latitude of [19.436, 19.438, 19.44, 19.442, 19.444]) {
      await attacker.call('profile.update', { location: { latitude, longitude: -99.1012, placeName: '' } });
      await look();
    }
    await victim.call('profile.update', { location: { latitude: 19.4039, longitude: -99.1012, placeName: '' } });
    await look();
    expect(seen).toHaveLength(6);
    for (const answer of seen) expect(answer).toEqual({ distanceBand: '1-5km', score: 1.6 });
  });

  test('suggestions: the band comes from the rounded locations: 900 m apart across two cells is 1-5km, 1.04 km apart within one cell is 0-1km', async () => {
    const viewer = await member();
    const [across, sameCell] = await Promise.all([member(), member()]);
    for (const other of [across, sameCell]) await other.call('privacy.update', { location: 'public' });
    // Viewer at 10.4049 (rounds to 10.40); `across` 900 m north at 10.4130 (rounds to 10.41, 1.1 km away).
    await viewer.call('profile.update', { location: { latitude: 10.4049, longitude: 20.5, placeName: '' } });
    await across.call('profile.update', { location: { latitude: 10.413, longitude: 20.5, placeName: '' } });
    await sameCell.call('profile.update', { location: { latitude: 10.396, longitude: 20.503, placeName: '' } });
    const { items } = await viewer.call('friends.suggestions', { limit: 50 });
    const bandOf = (id: string) => items.find((item) => item.person.id === id)?.distanceBand;
    expect(bandOf(across.id)).toBe('1-5km');
    expect(bandOf(sameCell.id)).toBe('0-1km');
  });

  test('profile: a new location counts against LOCATION_CHANGES_PER_DAY: the sixth in a day is RATE_LIMITED and changes nothing; the same point again and removing it are free', async () => {
    const walker = await member();
    const at = (latitude: number) => ({ location: { latitude, longitude: 2.17, placeName: 'Barcelona' } });
    for (const latitude of [41.381, 41.382, 41.383, 41.384, 41.385]) await walker.call('profile.update', at(latitude));
    await walker.call('profile.update', at(41.385));
    const refused = await walker.refused('profile.update', at(41.386));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details?.retryAfterMs).toBeGreaterThan(0);
    expect((await walker.call('profile.get', { userId: walker.id })).location?.latitude).toBe(41.385);
    await walker.call('profile.update', { location: null });
    expect((await walker.call('profile.get', { userId: walker.id })).location).toBeUndefined();
    expect((await walker.refused('profile.update', at(41.385))).code).toBe('RATE_LIMITED');
  });
});
