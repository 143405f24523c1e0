// Treats spent from ONE wallet by 100 concurrent spenders (the worst case of the ledger: every
// transfer locks the same account row), each a tip of 1–9 treats split 70/30 between the person
// tipped and the platform, through server/treats/ledger.ts; next to the bare way of doing it in the
// same run: `update … set balance = balance - x where balance >= x` on one row. Both sides run
// the same number of spends on the same pool and must end exact: the wallet's balance is what it
// started with less what was spent, the ledger's chain of running balances is whole, and every
// transfer sums to zero; any difference fails the run.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../server/platform/db/rows.ts';
import { earned, Ledger, platform, wallet } from '../server/treats/ledger.ts';
import { startSeededNode } from './seed-social.ts';
import { percentile, row } from './stats.ts';

const SPENDERS = 100;
const SPENDS = Number(process.env.BENCH_TREAT_SPENDS ?? 5_000);
const START = 1_000_000_000;

const node = await startSeededNode({ users: 200, posts: 0, reactions: 0 }, 'bench-treats', process.env.BENCH_DATABASE_URL, 'treats');
const db = node.platform.database.db;
let failed = false;
try {
  const people = rowsOf<{ id: string }>(await db.execute(sql`select id from users order by id limit 101`)).map((each) => each.id);
  const [payer, ...payees] = people as [string, ...string[]];
  const ledger = new Ledger(db);
  const run = crypto.randomUUID();
  await ledger.transfer({
    kind: 'purchase',
    key: `bench:${run}:start`,
    legs: [
      { ...platform('platform_sales'), amount: -START },
      { ...wallet(payer), amount: START },
    ],
  });
  const walletBefore = (await ledger.balances(payer)).wallet;
  await db.execute(sql`create table if not exists bench_wallets (id uuid primary key, balance bigint not null check (balance >= 0))`);
  await db.execute(
    sql`insert into bench_wallets (id, balance) values (${payer}, ${START}) on conflict (id) do update set balance = ${START}`,
  );

  // The same amounts for both sides: 1–9 treats, to payees in turn.
  const amounts = Array.from({ length: SPENDS }, (_, i) => 1 + ((i * 7) % 9));
  const spent = amounts.reduce((sum, each) => sum + each, 0);

  const measure = async (once: (i: number) => Promise<unknown>) => {
    const samples: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: SPENDERS }, async () => {
        while (next < SPENDS) {
          const i = next++;
          const t0 = performance.now();
          await once(i);
          samples.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    samples.sort((a, b) => a - b);
    return { 'spends/s': SPENDS / seconds, 'p50 ms': percentile(samples, 50), 'p99 ms': percentile(samples, 99) };
  };

  const bare = await measure(async (i) => {
    const amount = amounts[i] as number;
    const updated = rowsOf(
      await db.execute(
        sql`update bench_wallets set balance = balance - ${amount} where id = ${payer} and balance >= ${amount} returning balance`,
      ),
    );
    if (updated.length !== 1) throw new Error('the bare wallet refused a spend it could pay');
  });
  const ours = await measure((i) => {
    const amount = amounts[i] as number;
    const share = Math.ceil((amount * 70) / 100);
    return ledger.transfer({
      kind: 'tip',
      key: `bench:${run}:${i}`,
      byUserId: payer,
      legs: [
        { ...wallet(payer), amount: -amount },
        { ...earned(payees[i % payees.length] as string), amount: share },
        ...(amount - share > 0 ? [{ ...platform('platform_fees'), amount: amount - share }] : []),
      ],
    });
  });

  const [bareLeft] = rowsOf<{ balance: string }>(await db.execute(sql`select balance from bench_wallets where id = ${payer}`));
  const ledgerLeft = (await ledger.balances(payer)).wallet;
  const summed = await ledger.sumOf(wallet(payer));
  const unbalanced = rowsOf(
    await db.execute(sql`select transfer_id from treat_entries group by transfer_id having sum(amount) <> 0 limit 1`),
  );
  const checks = {
    'bare wallet exact': Number(bareLeft?.balance) === START - spent,
    'ledger wallet exact': ledgerLeft === walletBefore - spent && summed === ledgerLeft,
    'every transfer balanced': unbalanced.length === 0,
  };
  for (const [check, ok] of Object.entries(checks))
    if (!ok) {
      failed = true;
      console.error(
        `bench/treats.ts: ${check} failed (bare ${bareLeft?.balance}, ledger ${ledgerLeft}, entries sum ${summed}, spent ${spent})`,
      );
    }
  console.log(`${SPENDS} spends of 1–9 treats from one wallet, ${SPENDERS} at a time, pool of 10 connections`);
  console.log(row('one wallet: bare UPDATE (baseline)', bare));
  console.log(row('one wallet: treats ledger', ours));
  console.log(
    row('ledger / bare UPDATE', {
      'throughput ratio': bare['spends/s'] / ours['spends/s'],
      'p50 ratio': ours['p50 ms'] / bare['p50 ms'],
      exact: Object.values(checks).every(Boolean) ? 'yes' : 'NO',
    }),
  );
} finally {
  await node.stop();
}
if (failed) process.exit(1);
