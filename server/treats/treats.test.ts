// Treats over the protocol: balances, history and tips on a real node, and what an attacker with a
// normal account gets: someone else's friends-only post, a blocked author, their own post, a
// replayed clientId, extra fields, amounts out of range, a wallet too small, too many tips.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TREAT_LIMITS } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import { platform, wallet } from './ledger.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
beforeAll(async () => {
  env = await startAccountsEnv('treats');
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const ledger = () => env.node.social.treats.ledger;
/** Treats put in a wallet as a purchase would (payments come with their own tests). */
const fund = (member: Member, treats: number) =>
  ledger().transfer({
    kind: 'purchase',
    key: `test:${crypto.randomUUID()}`,
    legs: [
      { ...platform('platform_sales'), amount: -treats },
      { ...wallet(member.id), amount: treats },
    ],
  });
const post = async (author: Member, visibility: 'public' | 'friends' = 'public') =>
  (await author.call('posts.create', { text: 'Luna en la playa', visibility })).id;
const tip = (from: Member, postId: string, treats: number, extra: Record<string, unknown> = {}) =>
  from.call('treats.tip', { postId, treats, clientId: crypto.randomUUID(), ...extra });

describe('treats', () => {
  test('treats: a tip moves treats from the wallet to the author’s earnings (70 %, rounded up) and the platform; both hear their balances; history shows it on both sides', async () => {
    const [ana, bruno] = [await pool.member(), await pool.member()];
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
    await fund(ana, 100);
    const postId = await post(bruno);
    const sent = await tip(ana, postId, 25, { note: '¡Qué ola!' });
    expect(sent.balances).toEqual({ wallet: 75, earned: 0 });
    expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 0, earned: 18 });
    expect(await ana.event('treats.changed')).toEqual({ wallet: 75, earned: 0, transferId: sent.transferId, kind: 'tip' });
    expect(await bruno.event('treats.changed')).toEqual({ wallet: 0, earned: 18, transferId: sent.transferId, kind: 'tip' });

    const [mine] = (await ana.call('treats.history', {})).items;
    expect(mine).toMatchObject({
      transferId: sent.transferId,
      account: 'wallet',
      kind: 'tip',
      amount: -25,
      balanceAfter: 75,
      postId,
      note: '¡Qué ola!',
    });
    expect(mine?.counterpart?.id).toBe(bruno.id);
    const theirs = await bruno.call('treats.history', { account: 'earned' });
    expect(theirs.items).toHaveLength(1);
    expect(theirs.items[0]).toMatchObject({ account: 'earned', kind: 'tip', amount: 18, balanceAfter: 18 });
    expect(theirs.items[0]?.counterpart?.id).toBe(ana.id);
    // What the author does not have: none of Ana's wallet movements.
    expect((await bruno.call('treats.history', { account: 'wallet' })).items).toEqual([]);
  });

  test('treats: a tip retried with its clientId moves treats once and answers the same transfer, also when both arrive at once', async () => {
    const [ana, bruno] = [await pool.member(), await pool.member()];
    await fund(ana, 50);
    const postId = await post(bruno);
    const clientId = crypto.randomUUID();
    const [first, second] = await Promise.all([
      ana.call('treats.tip', { postId, treats: 10, clientId }),
      ana.call('treats.tip', { postId, treats: 10, clientId }),
    ]);
    expect(second.transferId).toBe(first.transferId);
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 40, earned: 0 });
    expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 0, earned: 7 });
  });

  test('treats: a post the tipper may not see (friends only, blocked either way, deleted) is NOT_FOUND, their own is INVALID_INPUT, and nothing moves', async () => {
    const [ana, bruno, carla] = [await pool.member(), await pool.member(), await pool.member()];
    await fund(ana, 100);
    const friendsOnly = await post(bruno, 'friends');
    expect((await ana.refused('treats.tip', { postId: friendsOnly, treats: 5, clientId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    await befriend(env.node, ana, bruno);
    expect((await tip(ana, friendsOnly, 5)).balances.wallet).toBe(95);

    const blocking = await post(carla);
    await carla.call('blocks.block', { userId: ana.id });
    expect((await ana.refused('treats.tip', { postId: blocking, treats: 5, clientId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    await carla.call('blocks.unblock', { userId: ana.id });
    await ana.call('blocks.block', { userId: carla.id });
    expect((await ana.refused('treats.tip', { postId: blocking, treats: 5, clientId: crypto.randomUUID() })).code).toBe('NOT_FOUND');

    const gone = await post(bruno);
    await bruno.call('posts.delete', { postId: gone });
    expect((await ana.refused('treats.tip', { postId: gone, treats: 5, clientId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    expect((await ana.refused('treats.tip', { postId: crypto.randomUUID(), treats: 5, clientId: crypto.randomUUID() })).code).toBe(
      'NOT_FOUND',
    );

    const own = await post(ana);
    expect(await ana.refused('treats.tip', { postId: own, treats: 5, clientId: crypto.randomUUID() })).toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'postId' },
    });
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 95, earned: 0 });
    expect(await carla.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
  });

  test('treats: extra fields, amounts out of range, a long note or a missing clientId are INVALID_BODY; a short wallet is NOT_ENOUGH_TREATS with its numbers; nothing moves', async () => {
    const [ana, bruno] = [await pool.member(), await pool.member()];
    await fund(ana, 30);
    const postId = await post(bruno);
    const clientId = crypto.randomUUID();
    for (const body of [
      { postId, treats: 5, clientId, toUserId: ana.id },
      { postId, treats: 0, clientId },
      { postId, treats: -5, clientId },
      { postId, treats: 2.5, clientId },
      { postId, treats: TREAT_LIMITS.maxTip + 1, clientId },
      { postId, treats: 5, clientId, note: 'x'.repeat(TREAT_LIMITS.tipNoteChars + 1) },
      { postId, treats: 5 },
      { postId, treats: 5, clientId, memo: { nested: { deeper: [1, 2, 3] } } },
    ])
      expect((await ana.refused('treats.tip', body)).code).toBe('INVALID_BODY');
    expect(await ana.refused('treats.tip', { postId, treats: 31, clientId })).toMatchObject({
      code: 'NOT_ENOUGH_TREATS',
      details: { balance: 30, needed: 31 },
    });
    expect(await ana.call('treats.balance', {})).toEqual({ wallet: 30, earned: 0 });
    expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 0, earned: 0 });
    // The key of the refused tip still works for a tip the wallet can pay.
    expect((await ana.call('treats.tip', { postId, treats: 30, clientId })).balances.wallet).toBe(0);
    expect((await ana.refused('treats.history', { cursor: 'bm90IGEgY3Vyc29y' })).code).toBe('INVALID_CURSOR');
    expect((await ana.refused('treats.history', { account: 'platform_fees' })).code).toBe('INVALID_BODY');
  });

  test(`treats: past ${TREAT_LIMITS.tipsPerMinute} tips a minute the next is RATE_LIMITED and moves nothing`, async () => {
    const [ana, bruno] = [await pool.member(), await pool.member()];
    await fund(ana, 1000);
    const postId = await post(bruno);
    for (let i = 0; i < TREAT_LIMITS.tipsPerMinute; i++) await tip(ana, postId, 1);
    expect((await ana.refused('treats.tip', { postId, treats: 1, clientId: crypto.randomUUID() })).code).toBe('RATE_LIMITED');
    expect((await ana.call('treats.balance', {})).wallet).toBe(1000 - TREAT_LIMITS.tipsPerMinute);
  });

  test('treats: history pages newest first with a cursor, and hides the other person of a tip once a block stands between them', async () => {
    const [ana, bruno] = [await pool.member(), await pool.member()];
    await fund(ana, 100);
    const postId = await post(bruno);
    // 100, then 29 purchases of 1, then 2 tips of 1: 32 movements.
    for (let i = 0; i < TREAT_LIMITS.historyPage - 1; i++) await fund(ana, 1);
    for (let i = 0; i < 2; i++) await tip(ana, postId, 1);
    const first = await ana.call('treats.history', { account: 'wallet' });
    expect(first.items).toHaveLength(TREAT_LIMITS.historyPage);
    expect(first.items.slice(0, 3).map((item) => [item.kind, item.balanceAfter])).toEqual([
      ['tip', 127],
      ['tip', 128],
      ['purchase', 129],
    ]);
    const second = await ana.call('treats.history', { account: 'wallet', cursor: first.nextCursor ?? undefined });
    expect(second.items.map((item) => [item.kind, item.amount, item.balanceAfter])).toEqual([
      ['purchase', 1, 101],
      ['purchase', 100, 100],
    ]);
    expect(second.nextCursor).toBeNull();
    await bruno.call('blocks.block', { userId: ana.id });
    expect((await ana.call('treats.history', { account: 'wallet' })).items[0]?.counterpart).toBeNull();
    expect((await bruno.call('treats.history', {})).items[0]?.counterpart).toBeNull();
  });
});
