// The treats ledger against the real PostgreSQL: transfers balance, keys make them happen once,
// concurrent spends from one wallet never overspend, and (as a property over random histories)
// every person's balance is the sum of their entries, never below zero, chained entry by entry.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { NotEnoughTreatsError } from './errors.ts';
import { earned, Ledger, platform, wallet } from './ledger.ts';

let env: AccountsEnv;
let ledger: Ledger;
beforeAll(async () => {
  env = await startAccountsEnv('treats-ledger');
  ledger = new Ledger(env.node.platform.database.db);
});
afterAll(async () => {
  await env.close();
});

const db = () => env.node.platform.database.db;
const person = async () => (await env.register()).id;
const buy = (userId: string, treats: number, key = crypto.randomUUID()) =>
  ledger.transfer({
    kind: 'purchase',
    key: `test:${key}`,
    legs: [
      { ...platform('platform_sales'), amount: -treats },
      { ...wallet(userId), amount: treats },
    ],
  });
const tip = (from: string, to: string, treats: number, key = crypto.randomUUID()) => {
  const share = Math.ceil((treats * 70) / 100);
  return ledger.transfer({
    kind: 'tip',
    key: `test:${key}`,
    byUserId: from,
    legs: [
      { ...wallet(from), amount: -treats },
      { ...earned(to), amount: share },
      ...(treats - share > 0 ? [{ ...platform('platform_fees'), amount: treats - share }] : []),
    ],
  });
};
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** Each person account's entries in order: amounts sum to the last running balance, each step chained, none below zero. */
async function chainsHold(): Promise<void> {
  const rows = rowsOf<{ account_id: string; amount: string; balance_after: string }>(
    await db().execute(sql`
      select e.account_id, e.amount, e.balance_after from treat_entries e
      join treat_accounts a on a.id = e.account_id where a.owner_id is not null order by e.account_id, e.id`),
  );
  const running = new Map<string, number>();
  for (const row of rows) {
    const after = (running.get(row.account_id) ?? 0) + Number(row.amount);
    expect(Number(row.balance_after)).toBe(after);
    expect(after).toBeGreaterThanOrEqual(0);
    running.set(row.account_id, after);
  }
  const unbalanced = rowsOf(await db().execute(sql`select transfer_id from treat_entries group by transfer_id having sum(amount) <> 0`));
  expect(unbalanced).toEqual([]);
}

describe('treats ledger', () => {
  test('treats ledger: a purchase and a tip each balance to zero; the tipped person earns 70 % (rounded up), the platform the rest', async () => {
    const [ana, bruno] = [await person(), await person()];
    await buy(ana, 100);
    await tip(ana, bruno, 15);
    expect(await ledger.balances(ana)).toEqual({ wallet: 85, earned: 0 });
    expect(await ledger.balances(bruno)).toEqual({ wallet: 0, earned: 11 });
    expect(await ledger.sumOf(wallet(ana))).toBe(85);
    expect(await ledger.sumOf(earned(bruno))).toBe(11);
    await chainsHold();
  });

  test('treats ledger: a spend larger than the wallet is NOT_ENOUGH_TREATS with the numbers, and moves nothing', async () => {
    const [ana, bruno] = [await person(), await person()];
    await buy(ana, 10);
    const before = await ledger.sumOf(platform('platform_fees'));
    const error = await refusal(tip(ana, bruno, 11));
    expect(error).toBeInstanceOf(NotEnoughTreatsError);
    expect((error as NotEnoughTreatsError).details()).toEqual({ balance: 10, needed: 11 });
    expect(await ledger.balances(ana)).toEqual({ wallet: 10, earned: 0 });
    expect(await ledger.balances(bruno)).toEqual({ wallet: 0, earned: 0 });
    expect(await ledger.sumOf(platform('platform_fees'))).toBe(before);
  });

  test('treats ledger: the same key twice moves treats once, also when both arrive at the same moment', async () => {
    const ana = await person();
    const key = crypto.randomUUID();
    const [first, second] = await Promise.all([buy(ana, 50, key), buy(ana, 50, key)]);
    expect(first.id).toBe(second.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const third = await buy(ana, 50, key);
    expect(third).toMatchObject({ id: first.id, created: false });
    expect(await ledger.balances(ana)).toEqual({ wallet: 50, earned: 0 });
  });

  test('treats ledger: 60 concurrent spends of 7 from a wallet of 100 — exactly 14 go through, the rest are refused, 2 treats are left', async () => {
    const [ana, bruno] = [await person(), await person()];
    await buy(ana, 100);
    const results = await Promise.all(Array.from({ length: 60 }, () => refusal(tip(ana, bruno, 7))));
    expect(results.filter((result) => result === undefined)).toHaveLength(14);
    expect(results.filter((result) => result instanceof NotEnoughTreatsError)).toHaveLength(46);
    expect(await ledger.balances(ana)).toEqual({ wallet: 2, earned: 0 });
    expect(await ledger.balances(bruno)).toEqual({ wallet: 0, earned: 14 * 5 });
    await chainsHold();
  });

  test('treats ledger: the database itself refuses an entry that would leave a person below zero', async () => {
    const ana = await person();
    await buy(ana, 5);
    const [account] = rowsOf<{ id: string }>(
      await db().execute(sql`select id from treat_accounts where owner_id = ${ana} and kind = 'wallet'`),
    );
    const [transfer] = rowsOf<{ transfer_id: string }>(
      await db().execute(sql`select transfer_id from treat_entries where account_id = ${account?.id} limit 1`),
    );
    await expect(
      db().execute(
        sql`insert into treat_entries (transfer_id, account_id, amount, balance_after) values (${transfer?.transfer_id}, ${account?.id}, -6, -1)`,
      ),
    ).rejects.toMatchObject({ cause: { constraint_name: 'treat_entries_not_negative' } });
  });

  test('treats ledger (property): any history of purchases and tips among four people, run concurrently, keeps every balance the sum of its entries and never below zero', async () => {
    const people = [await person(), await person(), await person(), await person()];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('buy' as const), who: fc.nat(3), treats: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('tip' as const), who: fc.nat(3), to: fc.nat(3), treats: fc.integer({ min: 1, max: 40 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const before = await Promise.all(people.map((each) => ledger.balances(each)));
        const outcomes = await Promise.all(
          steps.map((each) =>
            refusal(
              each.kind === 'buy'
                ? buy(people[each.who] as string, each.treats)
                : each.who === each.to
                  ? buy(people[each.who] as string, each.treats)
                  : tip(people[each.who] as string, people[each.to] as string, each.treats),
            ),
          ),
        );
        for (const outcome of outcomes) if (outcome !== undefined) expect(outcome).toBeInstanceOf(NotEnoughTreatsError);
        const after = await Promise.all(people.map((each) => ledger.balances(each)));
        for (const [i, each] of people.entries()) {
          expect(after[i]?.wallet).toBe(await ledger.sumOf(wallet(each)));
          expect(after[i]?.earned).toBe(await ledger.sumOf(earned(each)));
        }
        // Treats neither appear nor vanish: what the people gained came from sales.
        const gained = after.reduce(
          (sum, each, i) => sum + each.wallet + each.earned - (before[i]?.wallet ?? 0) - (before[i]?.earned ?? 0),
          0,
        );
        const bought = steps.filter((each, i) => outcomes[i] === undefined && (each.kind === 'buy' || each.who === each.to));
        const tipped = steps.filter((each, i) => outcomes[i] === undefined && each.kind === 'tip' && each.who !== each.to);
        const fees = tipped.reduce((sum, each) => sum + each.treats - Math.ceil((each.treats * 70) / 100), 0);
        expect(gained).toBe(bought.reduce((sum, each) => sum + each.treats, 0) - fees);
      }),
      { numRuns: 15 },
    );
    await chainsHold();
  });
});
