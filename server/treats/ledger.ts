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
import { type TreatAccountKind, type TreatTransferKind, treatAccounts, treatEntries, treatTransfers } from './schema.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** A person's account, or one of the platform's (`ownerId` null). */
export interface AccountRef {
  ownerId: string | null;
  kind: TreatAccountKind;
}

export interface Leg extends AccountRef {
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

  constructor(db: Database) {
    this.#db = db;
  }

  /** Moves treats: all legs or none. Throws NotEnoughTreatsError (nothing moved) when a person's account would go below zero. */
  transfer(request: TransferRequest, tx?: Tx): Promise<Transfer> {
    checkLegs(request.legs);
    return tx === undefined ? this.#db.transaction((own) => this.#transfer(own, request)) : this.#transfer(tx, request);
  }

  async #transfer(tx: Tx, request: TransferRequest): Promise<Transfer> {
    const id = Bun.randomUUIDv7();
    const [inserted] = await tx
      .insert(treatTransfers)
      .values({ id, kind: request.kind, key: request.key, byUserId: request.byUserId ?? null, memo: request.memo ?? {} })
      .onConflictDoNothing({ target: treatTransfers.key })
      .returning({ id: treatTransfers.id, createdAt: treatTransfers.createdAt });
    if (inserted === undefined) {
      const [earlier] = await tx.select().from(treatTransfers).where(eq(treatTransfers.key, request.key));
      if (earlier === undefined) throw new Error(`transfer ${request.key} is neither new nor stored`);
      return { id: earlier.id, kind: earlier.kind, key: earlier.key, createdAt: earlier.createdAt, created: false };
    }
    const accounts = await this.#accounts(tx, request.legs);
    const people = request.legs.filter((leg) => leg.ownerId !== null).map((leg) => accounts.get(refKey(leg)) as string);
    // Locked in id order: spends from one wallet take turns; no two transfers wait on each other in a circle.
    if (people.length > 0)
      await tx.execute(
        sql`select id from treat_accounts where id in (${sql.join(
          people.map((each) => sql`${each}::uuid`),
          sql`, `,
        )}) order by id for update`,
      );
    const balances = new Map<string, number>();
    for (const accountId of people) balances.set(accountId, await this.#balanceOf(tx, accountId));
    const entries = request.legs.map((leg) => {
      const accountId = accounts.get(refKey(leg)) as string;
      if (leg.ownerId === null) return { transferId: id, accountId, amount: leg.amount, balanceAfter: null };
      const after = (balances.get(accountId) ?? 0) + leg.amount;
      if (after < 0) throw new NotEnoughTreatsError(balances.get(accountId) ?? 0, -leg.amount);
      return { transferId: id, accountId, amount: leg.amount, balanceAfter: after };
    });
    await tx.insert(treatEntries).values(entries);
    return { id, kind: request.kind, key: request.key, createdAt: inserted.createdAt, created: true };
  }

  /** The accounts of the legs by refKey, created when first used. */
  async #accounts(tx: Tx, legs: AccountRef[]): Promise<Map<string, string>> {
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
    const found = new Map(rows.map((row) => [refKey(row), row.id]));
    for (const leg of legs) if (!found.has(refKey(leg))) throw new Error(`treat account ${refKey(leg)} was not created`);
    return found;
  }

  /** A person's account's balance: the running balance of its last entry. */
  async #balanceOf(tx: Pick<Database, 'execute'>, accountId: string): Promise<number> {
    const [last] = rowsOf<{ balance_after: string | number }>(
      await tx.execute(sql`select balance_after from treat_entries where account_id = ${accountId} order by id desc limit 1`),
    );
    return last === undefined ? 0 : Number(last.balance_after);
  }

  /** A person's balances (0 for an account never used). */
  async balances(ownerId: string): Promise<Record<'wallet' | 'earned', number>> {
    const rows = rowsOf<{ kind: 'wallet' | 'earned'; balance: string | number | null }>(
      await this.#db.execute(sql`
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
