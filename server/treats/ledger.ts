// The treats ledger: every movement of treats is one transfer of balanced entries (they sum to
// zero), written once per key, in one transaction. A person's accounts are locked (in id order, so
// two transfers never wait on each other in a circle) and their running balance is read from their
// last entry, so concurrent spends from one wallet take turns and none can take it below zero; the
// database's check on `balance_after` refuses it too, should code ever try. The platform's accounts
// are neither locked nor checked (see schema.ts).
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { NotEnoughTreatsError } from './errors.ts';
import { type TreatAccountKind, type TreatTransferKind, treatAccounts, treatTransfers } from './schema.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** A person's account, or one of the platform's (`ownerId` null). */
export interface AccountRef {
  ownerId: string | null;
  kind: TreatAccountKind;
}

interface Leg extends AccountRef {
  /** Treats in (positive) or out (negative). */
  amount: number;
}

export interface TransferRequest {
  kind: TreatTransferKind;
  /** Makes the transfer happen once: the same key again gives back the first one, changing nothing. */
  key: string;
  byUserId?: string | null;
  memo?: Record<string, string | number>;
  legs: Leg[];
}

export interface Transfer {
  id: string;
  kind: TreatTransferKind;
  key: string;
  createdAt: Date;
  /** False when the key had already been used: this is that earlier transfer, and nothing moved now. */
  created: boolean;
}

export const wallet = (ownerId: string): AccountRef => ({ ownerId, kind: 'wallet' });
export const earned = (ownerId: string): AccountRef => ({ ownerId, kind: 'earned' });
export const platform = (kind: 'platform_sales' | 'platform_grants' | 'platform_fees'): AccountRef => ({ ownerId: null, kind });

const refKey = (ref: AccountRef) => `${ref.ownerId ?? ''}:${ref.kind}`;

/** A programming error, not the user's: legs that do not balance, a zero or fractional amount. */
class UnbalancedTransferError extends Error {}

function checkLegs(legs: Leg[]): void {
  if (legs.length < 2) throw new UnbalancedTransferError('a transfer has at least two entries');
  for (const leg of legs)
    if (!Number.isSafeInteger(leg.amount) || leg.amount === 0)
      throw new UnbalancedTransferError(`not a whole, non-zero amount: ${leg.amount}`);
  if (legs.reduce((sum, leg) => sum + leg.amount, 0) !== 0) throw new UnbalancedTransferError('entries do not sum to zero');
  if (new Set(legs.map(refKey)).size !== legs.length || legs.some((leg) => (leg.ownerId === null) !== leg.kind.startsWith('platform_')))
    throw new UnbalancedTransferError('each account once, and platform accounts only without an owner');
}

export class Ledger {
  readonly #db: Database;
  /** Account ids by owner and kind: an account, once made, is never removed or changed. */
  readonly #known = new Map<string, string>();

  constructor(db: Database) {
    this.#db = db;
  }

  /** Moves treats: all legs or none. Throws NotEnoughTreatsError (nothing moved) when a person's account would go below zero. */
  async transfer(request: TransferRequest, tx?: Tx): Promise<Transfer> {
    checkLegs(request.legs);
    if (tx !== undefined) return this.#transfer(tx, request, await this.#accounts(tx, request.legs, false));
    // Made (and committed) before the transfer's own transaction, so they can be remembered.
    const accounts = await this.#accounts(this.#db, request.legs, true);
    return this.#db.transaction((own) => this.#transfer(own, request, accounts));
  }

  async #transfer(tx: Tx, request: TransferRequest, accounts: Map<string, string>): Promise<Transfer> {
    const id = Bun.randomUUIDv7();
    const people = request.legs.filter((leg) => leg.ownerId !== null).map((leg) => accounts.get(refKey(leg)) as string);
    const legs = request.legs.map((leg) => sql`(${accounts.get(refKey(leg))}::uuid, ${leg.amount}::bigint, ${leg.ownerId !== null})`);
    // Three statements sent at once (pipelined on the transaction's connection), run in turn: the
    // transfer, the lock of the people's accounts (in id order: spends from one wallet take turns,
    // no two transfers wait on each other in a circle), then the entries, whose running balances are
    // read by a statement that starts once the lock is held, so it sees every earlier spend. A key
    // already used inserts no transfer, and then no entries. The table's check would refuse a
    // balance below zero too, should this code ever try.
    const inserting = tx
      .insert(treatTransfers)
      .values({ id, kind: request.kind, key: request.key, byUserId: request.byUserId ?? null, memo: request.memo ?? {} })
      .onConflictDoNothing({ target: treatTransfers.key })
      .returning({ createdAt: treatTransfers.createdAt });
    const locking =
      people.length === 0
        ? Promise.resolve()
        : tx.execute(
            sql`select id from treat_accounts where id in (${sql.join(
              people.map((each) => sql`${each}::uuid`),
              sql`, `,
            )}) order by id for update`,
          );
    // Each leg with the balance it leaves; the entries are written only when none is below zero
    // (and only for a new transfer). Every leg comes back either way, to say which one was short.
    const entering = tx.execute(sql`
      with leg as (
        select leg.account_id, leg.amount, leg.person,
          case when leg.person then coalesce((select e.balance_after from treat_entries e
            where e.account_id = leg.account_id order by e.id desc limit 1), 0) + leg.amount end as after
        from (values ${sql.join(legs, sql`, `)}) as leg (account_id, amount, person)
      ), written as (
        insert into treat_entries (transfer_id, account_id, amount, balance_after)
        select ${id}::uuid, account_id, amount, after from leg
        where not exists (select 1 from leg where after < 0) and exists (select 1 from treat_transfers t where t.id = ${id}::uuid)
        returning 1
      )
      select account_id, amount, after, (select count(*) from written)::int as written from leg`);
    const [[inserted], , written] = await Promise.all([inserting, locking, entering]);
    const outcome = rowsOf<{ account_id: string; amount: string | number; after: string | number | null; written: number }>(written);
    const short = outcome.find((leg) => leg.after !== null && Number(leg.after) < 0);
    if (inserted !== undefined && short !== undefined)
      throw new NotEnoughTreatsError(Number(short.after) - Number(short.amount), -Number(short.amount));
    if (inserted === undefined) {
      const [earlier] = await tx.select().from(treatTransfers).where(eq(treatTransfers.key, request.key));
      if (earlier === undefined) throw new Error(`transfer ${request.key} is neither new nor stored`);
      return { id: earlier.id, kind: earlier.kind, key: earlier.key, createdAt: earlier.createdAt, created: false };
    }
    return { id, kind: request.kind, key: request.key, createdAt: inserted.createdAt, created: true };
  }

  /** The accounts of the legs (and maybe more) by refKey, created when first used. */
  async #accounts(tx: Tx | Database, legs: AccountRef[], remember: boolean): Promise<Map<string, string>> {
    if (legs.every((leg) => this.#known.has(refKey(leg)))) return this.#known;
    await tx
      .insert(treatAccounts)
      .values(legs.map((leg) => ({ id: Bun.randomUUIDv7(), ownerId: leg.ownerId, kind: leg.kind })))
      .onConflictDoNothing();
    const owners = legs.flatMap((leg) => (leg.ownerId === null ? [] : [leg.ownerId]));
    const rows = await tx
      .select({ id: treatAccounts.id, ownerId: treatAccounts.ownerId, kind: treatAccounts.kind })
      .from(treatAccounts)
      .where(
        owners.length === 0
          ? and(
              isNull(treatAccounts.ownerId),
              inArray(
                treatAccounts.kind,
                legs.map((leg) => leg.kind),
              ),
            )
          : sql`(${treatAccounts.ownerId} is null and ${inArray(
              treatAccounts.kind,
              legs.map((leg) => leg.kind),
            )}) or ${inArray(treatAccounts.ownerId, owners)}`,
      );
    // Remembered only once committed: an account made inside a caller's transaction may yet be rolled back.
    const found = new Map(rows.map((row) => [refKey(row), row.id]));
    if (remember) for (const [key, id] of found) this.#known.set(key, id);
    for (const leg of legs) if (!found.has(refKey(leg))) throw new Error(`treat account ${refKey(leg)} was not created`);
    return found;
  }

  /** A person's balances (0 for an account never used); `tx` reads on that transaction's connection. */
  async balances(ownerId: string, tx?: Pick<Database, 'execute'>): Promise<Record<'wallet' | 'earned', number>> {
    const rows = rowsOf<{ kind: 'wallet' | 'earned'; balance: string | number | null }>(
      await (tx ?? this.#db).execute(sql`
        select a.kind, (select e.balance_after from treat_entries e where e.account_id = a.id order by e.id desc limit 1) as balance
        from treat_accounts a where a.owner_id = ${ownerId}`),
    );
    const balances = { wallet: 0, earned: 0 };
    for (const row of rows) balances[row.kind] = Number(row.balance ?? 0);
    return balances;
  }

  /** The sum of an account's entries: the balance of the platform's accounts, and a check on a person's. */
  async sumOf(ref: AccountRef): Promise<number> {
    const [row] = rowsOf<{ total: string | number | null }>(
      await this.#db.execute(sql`
        select sum(e.amount) as total from treat_entries e join treat_accounts a on a.id = e.account_id
        where a.kind = ${ref.kind} and ${ref.ownerId === null ? sql`a.owner_id is null` : sql`a.owner_id = ${ref.ownerId}`}`),
    );
    return Number(row?.total ?? 0);
  }
}
