// Every change of a payment's state, made once: under a lock of the payment's row, with its
// `transactions` audit row and the treats it moves in the same database transaction, and the
// user told after the commit. The calls (payments.ts) and the providers' webhooks (webhooks.ts)
// both end here, whichever comes first: a payment no longer in the state a change expects is
// left as it is. Amounts are checked here: a provider reporting another amount or currency than
// the one asked for makes the payment FRAUD_SUSPECTED, and it credits nothing.
import type { Static } from '@sinclair/typebox';
import { and, eq, inArray } from 'drizzle-orm';
import type { paymentCalls } from '../../protocol/calls/payments.ts';
import type { TREAT_PACKS } from '../../protocol/lists.ts';
import { NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import { NotEnoughTreatsError } from '../treats/errors.ts';
import { Ledger, platform, wallet } from '../treats/ledger.ts';
import { audit, type Source, type Tx } from './audit.ts';
import { NotSettledYetError } from './errors.ts';
import { endedByRefund, type PeriodPaid, paidPeriod } from './periods.ts';
import type { ProrationRow } from './proration.ts';
import { type PaymentMethod, type PaymentStatus, payments, prorations, webhookEvents } from './schema.ts';

export type Payment = Static<(typeof paymentCalls)['payments.get']['response']>;
export type Row = typeof payments.$inferSelect;

/** What a provider reports of money received, amounts in minor units. */
export interface Captured {
  /** The provider's id of it (a PayPal capture, a Mercado Pago payment). */
  captureId: string;
  /** COMPLETED once the money is in. */
  status: string;
  amountMinor: number;
  currency: string;
}

/** A webhook event being handled: recorded in the transaction that handles it, so it is handled once. */
export interface HandledEvent {
  provider: PaymentMethod;
  id: string;
  type: string;
}

/** Money given back: one refund (or a chargeback: `reversed`), and the total refunded so far when the provider says. */
export interface GivenBack {
  refundId: string;
  refundMinor: number;
  totalMinor: number | undefined;
  currency: string;
  reversed: boolean;
  source: Source;
  webhook: HandledEvent | undefined;
  /** Who gave it back and why (an admin's refund), for the audit line. */
  note?: Record<string, string>;
  /**
   * Run first in the transaction that applies it (a proration marked refunded): false when it was
   * applied already, and then nothing changes (undefined), as for a webhook event seen before.
   */
  claim?: (tx: Tx) => Promise<boolean>;
}

/** What SPEI instructions name besides the payment's own CLABE and reference. */
interface SpeiLabels {
  beneficiary: string;
  bankName: string;
}

type Credit = Pick<ProrationRow, 'amountMinor' | 'status'>;

const view = (row: Row, spei: SpeiLabels | undefined, proration: Credit | undefined): Payment => ({
  id: row.id,
  method: row.method,
  status: row.status,
  amountMinor: row.amountMinor,
  currency: row.currency,
  packId: row.packId as keyof typeof TREAT_PACKS | null,
  treats: row.treats,
  plan: row.plan,
  subscriptionId: row.subscriptionId,
  refundedMinor: row.refundedMinor,
  proration: proration === undefined ? null : { amountMinor: proration.amountMinor, status: proration.status },
  spei:
    row.status === 'created' && row.speiClabe !== null && row.speiReference !== null && row.expiresAt !== null
      ? {
          clabe: row.speiClabe,
          reference: String(row.speiReference).padStart(7, '0'),
          beneficiary: spei?.beneficiary ?? '',
          bank: spei?.bankName ?? '',
          expiresAt: row.expiresAt.toISOString(),
        }
      : null,
  approveUrl: row.status === 'created' ? row.approveUrl : null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

interface SettlementDeps {
  db: Database;
  topics: TopicLog;
  log: Logger;
  spei: SpeiLabels | undefined;
  /** After the commit of a payment just completed (once: only the settle that completed it calls it): its receipt is mailed. */
  onCompleted?: (row: Row) => Promise<void>;
}

export class Settlement {
  readonly #deps: SettlementDeps;
  readonly #ledger: Ledger;
  /** Told after the commit when a payment moved a subscription (paid a period, or ended it by a full refund): set by subscriptions.ts. */
  afterPeriod: ((change: PeriodPaid, why: 'paid' | 'refunded') => Promise<void>) | undefined;

  constructor(deps: SettlementDeps) {
    this.#deps = deps;
    this.#ledger = new Ledger(deps.db);
  }

  /** A payment as the wire shows it (`proration`: the unused part of its month given back, when its plan was replaced). */
  view(row: Row, proration?: Credit): Payment {
    return view(row, this.#deps.spei, proration);
  }

  /** Payments as the wire shows them, with the unused parts of replaced plans' months read for them. */
  async views(rows: Row[]): Promise<Payment[]> {
    const months = rows.filter((row) => row.subscriptionId !== null).map((row) => row.id);
    const credits =
      months.length === 0
        ? []
        : await this.#deps.db
            .select({ paymentId: prorations.paymentId, amountMinor: prorations.amountMinor, status: prorations.status })
            .from(prorations)
            .where(inArray(prorations.paymentId, months));
    const byPayment = new Map(credits.map((credit) => [credit.paymentId, credit]));
    return rows.map((row) => this.view(row, byPayment.get(row.id)));
  }

  /** A new payment, waiting for the buyer, with its first audit line. */
  async open(values: typeof payments.$inferInsert): Promise<Row> {
    return this.#deps.db.transaction(async (tx) => {
      const [row] = await tx.insert(payments).values(values).returning();
      if (row === undefined) throw new Error('payment not stored');
      await audit(tx, {
        paymentId: row.id,
        userId: row.userId,
        type: 'created',
        from: null,
        to: 'created',
        source: 'api',
        detail: row.plan === null ? { packId: row.packId } : { plan: row.plan, subscriptionId: row.subscriptionId },
      });
      return row;
    });
  }

  /**
   * A period's money that the provider charged by itself (a PayPal subscription's cycle, a Mercado
   * Pago preapproval's charge): its payment row, keyed by the provider's id of the money, made once
   * however often it is reported, then settled like any payment (its amount checked against the
   * subscription's price).
   */
  async recordPeriod(
    subscription: Pick<PeriodPaid['subscription'], 'id' | 'userId' | 'plan' | 'method' | 'currency' | 'amountMinor'>,
    captured: Captured,
    source: Source,
    webhook?: HandledEvent,
  ): Promise<Row | undefined> {
    const values = {
      id: Bun.randomUUIDv7(),
      userId: subscription.userId,
      method: subscription.method,
      status: 'created' as const,
      amountMinor: subscription.amountMinor,
      currency: subscription.currency,
      packId: null,
      treats: 0,
      subscriptionId: subscription.id,
      plan: subscription.plan,
      externalId: captured.captureId,
    };
    const row = await this.#deps.db.transaction(async (tx) => {
      const [made] = await tx.insert(payments).values(values).onConflictDoNothing().returning();
      if (made !== undefined)
        await audit(tx, {
          paymentId: made.id,
          subscriptionId: subscription.id,
          userId: made.userId,
          type: 'created',
          from: null,
          to: 'created',
          source,
          detail: { plan: subscription.plan, subscriptionId: subscription.id, charged: captured.captureId },
        });
      if (made !== undefined) return made;
      const [found] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.method, subscription.method), eq(payments.externalId, captured.captureId)));
      return found;
    });
    // The provider's id of money already recorded for another subscription: never moved over.
    if (row === undefined || row.subscriptionId !== subscription.id) return undefined;
    return this.settle(row.id, captured, source, webhook);
  }

  /**
   * Settles a payment from what its provider reported, once: under a lock of its row, a payment
   * no longer `created` is left as it is; a webhook event already handled (undefined) changes
   * nothing. Money in of the amount and currency asked for completes it and credits its treats;
   * any other amount or currency is FRAUD_SUSPECTED.
   */
  async settle(
    paymentId: string,
    captured: Captured,
    source: Source,
    webhook?: HandledEvent,
    note: Record<string, string> = {},
  ): Promise<Row | undefined> {
    const outcome = await this.#deps.db.transaction(async (tx) => {
      // The event is recorded as handled in the transaction that handles it: if this fails, its redelivery is not a duplicate.
      if (webhook !== undefined) {
        const [fresh] = await tx
          .insert(webhookEvents)
          .values({ provider: webhook.provider, eventId: webhook.id, eventType: webhook.type })
          .onConflictDoNothing()
          .returning();
        if (fresh === undefined) return undefined;
      }
      const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
      if (row === undefined) throw new NotFoundError('payment');
      // A payment failed (lapsed, a declined first card) still completes when its money comes
      // after all (a late SPEI transfer, a PayPal eCheck, cash paid late, a second card): the money is in.
      const open = row.status === 'created' || row.status === 'failed';
      if (!open || captured.status !== 'COMPLETED') return { row, changed: false };
      const matches = captured.amountMinor === row.amountMinor && captured.currency === row.currency;
      const to: PaymentStatus = matches ? 'completed' : 'fraud_suspected';
      const [updated] = await tx
        .update(payments)
        .set({ status: to, captureId: captured.captureId, updatedAt: new Date() })
        .where(eq(payments.id, paymentId))
        .returning();
      await audit(tx, {
        paymentId,
        userId: row.userId,
        type: matches ? 'captured' : 'fraud_suspected',
        from: row.status,
        to,
        source,
        amountMinor: Number.isFinite(captured.amountMinor) ? captured.amountMinor : null,
        currency: captured.currency.slice(0, 3),
        detail: { ...note, captureId: captured.captureId, expectedMinor: row.amountMinor, expectedCurrency: row.currency },
      });
      // A pack credits its treats; a period of a plan moves its subscription on instead.
      const period = matches ? await paidPeriod(tx, updated ?? row, source, to) : undefined;
      const credited =
        !matches || row.subscriptionId !== null
          ? undefined
          : await this.#ledger.transfer(
              {
                kind: 'purchase',
                key: `payment:${row.id}`,
                memo: { paymentId: row.id, packId: row.packId ?? '' },
                legs: [
                  { ...platform('platform_sales'), amount: -row.treats },
                  { ...wallet(row.userId), amount: row.treats },
                ],
              },
              tx,
            );
      return { row: updated ?? row, changed: true, transferId: credited?.id, period };
    });
    if (outcome === undefined) return undefined;
    if (outcome.changed) {
      if (outcome.period !== undefined) await this.afterPeriod?.(outcome.period, 'paid');
      if (outcome.row.status === 'fraud_suspected')
        this.#deps.log.error(
          { paymentId, reported: captured },
          `payments.settle() | fraud suspected: reported ${captured.amountMinor} ${captured.currency} [payment:${paymentId}]`,
        );
      await this.#announce(outcome.row, outcome.transferId, 'purchase');
      if (outcome.row.status === 'completed') await this.#deps.onCompleted?.(outcome.row);
    }
    return outcome.row;
  }

  /**
   * Money given back on a completed payment: the refunded total grows (never past the amount),
   * the treats it bought are taken back in proportion as far as the wallet still holds them (the
   * rest is recorded as unrecovered: a wallet never goes below zero), and the payment becomes
   * `refunded` (or `reversed`) once all of it is back. A webhook event already handled changes
   * nothing (undefined).
   */
  async giveBack(paymentId: string, back: GivenBack): Promise<Row | undefined> {
    const outcome = await this.#deps.db.transaction(async (tx) => {
      if (back.webhook !== undefined) {
        const [fresh] = await tx
          .insert(webhookEvents)
          .values({ provider: back.webhook.provider, eventId: back.webhook.id, eventType: back.webhook.type })
          .onConflictDoNothing()
          .returning();
        if (fresh === undefined) return undefined;
      }
      if (back.claim !== undefined && !(await back.claim(tx))) return undefined;
      const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
      if (row === undefined) throw new NotFoundError('payment');
      // Money given back on a payment not settled yet (its capture still pending, its webhook
      // not seen): not recorded as handled, so the provider delivers it again once it can apply.
      if (row.status === 'created') throw new NotSettledYetError(paymentId);
      if (!['completed', 'fraud_suspected', 'refunded', 'reversed'].includes(row.status) || back.currency !== row.currency)
        return { row, changed: false };
      const reported = back.totalMinor ?? row.refundedMinor + back.refundMinor;
      const refundedMinor = back.reversed
        ? row.amountMinor
        : Math.min(row.amountMinor, Math.max(row.refundedMinor, Number.isFinite(reported) ? reported : 0));
      // Treats were credited only by a completed payment; what is owed back follows the share refunded.
      const owed = row.status === 'fraud_suspected' ? 0 : Math.floor((row.treats * refundedMinor) / row.amountMinor);
      const due = Math.max(0, owed - row.treatsReversed);
      const { taken: recovered, transferId } =
        due === 0 ? { taken: 0, transferId: undefined } : await this.#takeTreats(tx, row, due, back.refundId);
      const to: PaymentStatus = refundedMinor < row.amountMinor ? row.status : back.reversed ? 'reversed' : 'refunded';
      const [updated] = await tx
        .update(payments)
        .set({ status: to, refundedMinor, treatsReversed: row.treatsReversed + due, updatedAt: new Date() })
        .where(eq(payments.id, paymentId))
        .returning();
      // All of a period's money given back: the plan it paid for ends now.
      const ended =
        row.subscriptionId !== null && refundedMinor === row.amountMinor && row.refundedMinor < row.amountMinor
          ? await endedByRefund(tx, row, back.source)
          : undefined;
      await audit(tx, {
        paymentId,
        userId: row.userId,
        type: back.reversed ? 'reversed' : 'refunded',
        from: row.status,
        to,
        source: back.source,
        amountMinor: Number.isFinite(back.refundMinor) ? back.refundMinor : null,
        currency: back.currency.slice(0, 3),
        detail: { ...back.note, refundId: back.refundId, refundedMinor, treatsTakenBack: recovered, treatsUnrecovered: due - recovered },
      });
      return { row: updated ?? row, changed: true, recovered, transferId, ended };
    });
    if (outcome === undefined) return undefined;
    if (outcome.changed) {
      if (outcome.ended !== undefined) await this.afterPeriod?.(outcome.ended, 'refunded');
      await this.#announce(outcome.row, outcome.transferId, 'reversal');
    }
    return outcome.row;
  }

  /** After the commit: the payment as it is now, and the balances when treats moved. */
  async #announce(row: Row, transferId: string | undefined, kind: 'purchase' | 'reversal'): Promise<void> {
    const [payment] = await this.views([row]);
    await emit(this.#deps, 'user', row.userId, 'payments.changed', { payment: payment ?? this.view(row) });
    if (transferId === undefined) return;
    const balances = await this.#ledger.balances(row.userId);
    await emit(this.#deps, 'user', row.userId, 'treats.changed', { ...balances, transferId, kind });
  }

  /** Takes up to `due` treats back from the buyer's wallet (as many as it holds): how many it took. */
  async #takeTreats(tx: Tx, row: Row, due: number, refundId: string): Promise<{ taken: number; transferId: string | undefined }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      // Read on this transaction's own connection: another from the pool could wait on a full pool.
      const take = Math.min(due, (await this.#ledger.balances(row.userId, tx)).wallet);
      if (take === 0) return { taken: 0, transferId: undefined };
      try {
        // A savepoint: a spend that got there first fails only this, and the next try takes less.
        const moved = await tx.transaction((inner) =>
          this.#ledger.transfer(
            {
              kind: 'reversal',
              key: `refund:${row.id}:${refundId}`,
              memo: { paymentId: row.id, refundId },
              legs: [
                { ...wallet(row.userId), amount: -take },
                { ...platform('platform_sales'), amount: take },
              ],
            },
            inner,
          ),
        );
        // The same refund seen before (under another event id) moves nothing again.
        return moved.created ? { taken: take, transferId: moved.id } : { taken: 0, transferId: undefined };
      } catch (error) {
        if (!(error instanceof NotEnoughTreatsError)) throw error;
      }
    }
    return { taken: 0, transferId: undefined };
  }

  /** A payment still waiting (or failed) that ends without money credited (an order refused, a card declined, money given back before it settled): its row and audit line together. */
  async change(
    paymentId: string,
    to: PaymentStatus,
    type: string,
    source: Source,
    detail: Record<string, string>,
  ): Promise<Row | undefined> {
    const changed = await this.#deps.db.transaction(async (tx) => {
      const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
      if (row === undefined || (row.status !== 'created' && row.status !== 'failed') || row.status === to) return undefined;
      const [updated] = await tx.update(payments).set({ status: to, updatedAt: new Date() }).where(eq(payments.id, paymentId)).returning();
      await audit(tx, { paymentId, userId: row.userId, type, from: row.status, to, source, detail });
      return updated;
    });
    if (changed !== undefined) await emit(this.#deps, 'user', changed.userId, 'payments.changed', { payment: this.view(changed) });
    return changed;
  }
}
