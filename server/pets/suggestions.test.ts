// Pets to meet on Explore: pets of friends of friends first (by shared friends), then of the
// caller's species, then new ones; only what the owner's `pets` audience shows the caller, never
// their own or their friends' pets, nothing across a block, each owner at most twice, bounded.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('pet-suggestions');
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const member = (): Promise<Member> => pool.member();
const pet = (owner: Member, name: string, species: 'dog' | 'cat' | 'bird' = 'dog') =>
  owner.call('pets.create', { name, species, clientId: crypto.randomUUID() });

describe('pet suggestions', () => {
  test("pets: suggestions rank friends of friends, then the same species, then new pets; never own, friends', hidden or blocked ones; two per owner at most", async () => {
    const people = await Promise.all(Array.from({ length: 10 }, () => member()));
    const [me, friend, otherFriend, fof, catPerson, newcomer, hidden, blocker, blocked, prolific] = people as [
      Member,
      Member,
      Member,
      Member,
      Member,
      Member,
      Member,
      Member,
      Member,
      Member,
    ];
    await befriend(env.node, me, friend);
    await befriend(env.node, me, otherFriend);
    await befriend(env.node, friend, fof);
    await befriend(env.node, otherFriend, fof);
    await pet(me, 'Mine', 'cat');
    await pet(friend, 'Known');
    const fofo = await pet(fof, 'Fofo');
    const misu = await pet(catPerson, 'Misu', 'cat');
    const newbie = await pet(newcomer, 'Newbie', 'bird');
    await pet(hidden, 'Secret');
    await hidden.call('privacy.update', { pets: 'friends' });
    await pet(blocker, 'Blocker pet');
    await blocker.call('blocks.block', { userId: me.id });
    await pet(blocked, 'Blocked pet');
    await me.call('blocks.block', { userId: blocked.id });
    for (const name of ['P1', 'P2', 'P3']) await pet(prolific, name, 'bird');

    const { items } = await me.call('pets.suggestions', { limit: 30 });
    const names = items.map((item) => item.pet.name);
    expect(names[0]).toBe('Fofo');
    expect(items[0]).toMatchObject({
      reason: 'friends_of_friends',
      mutualFriends: 2,
      owner: { id: fof.id },
      pet: { id: fofo.id, lost: false },
    });
    expect(names[1]).toBe('Misu');
    expect(items[1]).toMatchObject({ reason: 'same_species', mutualFriends: 0, pet: { id: misu.id, species: 'cat' } });
    expect(items.find((item) => item.pet.id === newbie.id)?.reason).toBe('new');
    for (const absent of ['Mine', 'Known', 'Secret', 'Blocker pet', 'Blocked pet']) expect(names, absent).not.toContain(absent);
    expect(names.filter((name) => name.startsWith('P') && name.length === 2)).toHaveLength(2);
    // Health notes and other private fields are not part of a suggestion.
    expect(Object.keys(items[0]?.pet ?? {}).sort()).toEqual(['breed', 'id', 'lost', 'name', 'photoMediaIds', 'species']);

    // A friend of friends who takes no friend requests: the pet may come, but not as a friend of
    // friends, and without the number of shared friends.
    await fof.call('privacy.update', { friendRequests: 'nobody' });
    const quiet = (await me.call('pets.suggestions', { limit: 30 })).items.find((item) => item.pet.id === fofo.id);
    expect(quiet).toMatchObject({ mutualFriends: 0 });
    expect(quiet?.reason).not.toBe('friends_of_friends');
    await fof.call('privacy.update', { friendRequests: 'everyone' });

    // The hidden pet shows once its owner is a friend... and then it is a friend's pet, not a suggestion.
    await befriend(env.node, me, hidden);
    expect((await me.call('pets.suggestions', {})).items.map((item) => item.pet.name)).not.toContain('Secret');
    expect((await me.call('pets.suggestions', { limit: 1 })).items).toHaveLength(1);
  });

  test('pets: suggestions refuse a limit out of range or an extra field with INVALID_BODY', async () => {
    const me = await member();
    for (const body of [{ limit: 0 }, { limit: 31 }, { limit: 5, ownerId: me.id }, { limit: '5' }])
      expect((await me.refused('pets.suggestions', body)).code, JSON.stringify(body)).toBe('INVALID_BODY');
  });
});
