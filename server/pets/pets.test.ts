// Pets through the protocol: create, change, delete only one's own; every field validated at the
// edge with nothing changed on refusal; followers of the owner's profile hear of each change.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { memberPool } from '../../test/harness/social.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('pets');
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const member = () => pool.member();

describe('pets', () => {
  test('pets: an owner creates, changes and deletes a pet; followers of the profile see each change live', async () => {
    const owner = await member();
    const watcher = await member();
    expect((await watcher.socket.request({ type: 'sub', topic: `profile:${owner.id}` })).type).toBe('reply');
    const pet = await owner.call('pets.create', {
      name: '  Luna ',
      species: 'dog',
      breed: 'Xoloitzcuintle',
      sex: 'female',
      birthDate: '2021-04-02',
      size: 'medium',
      traits: ['Playful', 'playful', 'loyal'],
      openToPlaydates: true,
    });
    expect(pet).toMatchObject({ name: 'Luna', traits: ['playful', 'loyal'], lost: null, birthDate: '2021-04-02', ownerId: owner.id });
    expect(await watcher.event('pet.changed')).toEqual({ userId: owner.id, at: expect.any(Number) });
    const changed = await owner.call('pets.update', { petId: pet.id, temperament: 'Calm at home', size: 'large' });
    expect(changed).toMatchObject({ temperament: 'Calm at home', size: 'large', breed: 'Xoloitzcuintle' });
    await watcher.event('pet.changed');
    expect((await watcher.call('pets.get', { petId: pet.id })).pet.temperament).toBe('Calm at home');
    expect(await owner.call('pets.delete', { petId: pet.id })).toEqual({});
    expect(await watcher.event('pet.changed')).toEqual({ userId: owner.id, at: expect.any(Number) });
    expect((await watcher.refused('pets.get', { petId: pet.id })).code).toBe('NOT_FOUND');
  });

  test('pets: a stranger following the profile of an owner whose pets are friends-only learns nothing of a new pet from the event', async () => {
    const owner = await member();
    const stranger = await member();
    await owner.call('privacy.update', { pets: 'friends' });
    await stranger.follow(`profile:${owner.id}`);
    const pet = await owner.call('pets.create', { name: 'Secreto', species: 'cat' });
    expect(await stranger.event('pet.changed')).toEqual({ userId: owner.id, at: expect.any(Number) });
    const seen = JSON.stringify(stranger.socket.frames);
    expect(seen).not.toContain(pet.id);
    expect(seen).not.toContain('Secreto');
    expect((await stranger.refused('pets.get', { petId: pet.id })).code).toBe('NOT_FOUND');
  });

  test("pets: nobody changes or deletes someone else's pet", async () => {
    const owner = await member();
    const other = await member();
    const pet = await owner.call('pets.create', { name: 'Michi', species: 'cat' });
    expect((await other.refused('pets.update', { petId: pet.id, name: 'Mine now' })).code).toBe('NOT_FOUND');
    expect((await other.refused('pets.delete', { petId: pet.id })).code).toBe('NOT_FOUND');
    expect((await owner.call('pets.get', { petId: pet.id })).pet.name).toBe('Michi');
  });

  test('pets: invalid fields are refused with their names, and nothing changes', async () => {
    const owner = await member();
    const pet = await owner.call('pets.create', { name: 'Rex', species: 'dog' });
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ birthDate: nextYear }, 'INVALID_INPUT', 'birthDate'],
      [{ birthDate: '2023-02-30' }, 'INVALID_BODY', 'birthDate'],
      [{ birthDate: '1800-01-01' }, 'INVALID_INPUT', 'birthDate'],
      [{ name: '   ' }, 'INVALID_INPUT', 'name'],
      [{ species: 'dragon' }, 'INVALID_BODY', 'species'],
      [{ traits: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'INVALID_BODY', 'traits'],
      [{ photoMediaIds: ['x'] }, 'INVALID_BODY', 'photoMediaIds.0'],
      [{ health: { audience: 'everyone' } }, 'INVALID_BODY', 'health.audience'],
      [{ ownerId: owner.id }, 'INVALID_BODY', undefined],
    ];
    for (const [body, code, field] of cases) {
      const refused = await owner.refused('pets.update', { petId: pet.id, temperament: 'changed', ...body });
      expect(refused.code, JSON.stringify(body)).toBe(code);
      if (field !== undefined) expect(refused.details?.field, JSON.stringify(body)).toBe(field);
    }
    expect((await owner.call('pets.get', { petId: pet.id })).pet).toMatchObject({ name: 'Rex', temperament: '', birthDate: null });
  });

  test('pets: a page of pets pages by creation with no duplicates', async () => {
    const owner = await member();
    const created: string[] = [];
    for (let i = 0; i < 22; i++) created.push((await owner.call('pets.create', { name: `Pet ${i}`, species: 'fish' })).id);
    const first = await owner.call('pets.list', { ownerId: owner.id });
    expect(first.items).toHaveLength(20);
    const second = await owner.call('pets.list', { ownerId: owner.id, cursor: first.nextCursor as string });
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual(created);
  });
});
