// Names others see are stored without bidi controls and zero-width characters, wherever they are
// written: profile display names, pet names, group names (on creation and on rename).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, memberPool } from '../../test/harness/social.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
beforeAll(async () => {
  env = await startAccountsEnv('names');
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

// "Ana" followed by a right-to-left override that would show "exe.gnp" reversed, zero-width
// spaces and joiners, an isolate, the BOM and the Arabic letter mark.
const SPOOFED = '\u200BAna\u202Egnp.exe\u200C\u2066\u2069\uFEFF\u061C\u2060';
const CLEAN = 'Anagnp.exe';

describe('names', () => {
  test('names: a display name loses its bidi controls and zero-width characters', async () => {
    const ana = await pool.member();
    const profile = await ana.call('profile.update', { displayName: SPOOFED });
    expect(profile.displayName).toBe(CLEAN);
    expect((await ana.call('profile.get', { userId: ana.id })).displayName).toBe(CLEAN);
  });

  test('names: a pet name loses them too, and one made only of them is refused', async () => {
    const ana = await pool.member();
    const pet = await ana.call('pets.create', { name: SPOOFED, species: 'dog' });
    expect(pet.name).toBe(CLEAN);
    const renamed = await ana.call('pets.update', { petId: pet.id, name: `Rex\u202D\u200B` });
    expect(renamed.name).toBe('Rex');
    expect(await ana.refused('pets.create', { name: '\u200B\u202E', species: 'cat' })).toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'name' },
    });
  });

  test('names: a group name loses them when the group is made and when it is renamed', async () => {
    const [ana, bruno] = await Promise.all([pool.member(), pool.member()]);
    await befriend(env.node, ana, bruno);
    const group = await ana.call('chats.createGroup', { name: SPOOFED, userIds: [bruno.id] });
    expect(group.name).toBe(CLEAN);
    const renamed = await ana.call('chats.update', { conversationId: group.id, name: '\u2067Paseos\u2069\u200F' });
    expect(renamed.name).toBe('Paseos');
    expect(await ana.refused('chats.update', { conversationId: group.id, name: '\u200F' })).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
