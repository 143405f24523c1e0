// Payments: a pack of treats bought with PayPal. A checkout makes the payment row (the amount
// taken from the pack's price, never from the client) and PayPal's order; the buyer approves it
// at PayPal; then whichever comes first, the buyer's capture call or PayPal's verified
// PAYMENT.CAPTURE.COMPLETED webhook, settles it: under a lock of the payment row, once. What
// PayPal reports must be the amount and currency asked for; otherwise the payment is
// FRAUD_SUSPECTED and grants nothing. A completed payment credits its treats through the ledger
// (key `payment:<id>`) in the same transaction. Every change writes a `transactions` row.
import type { Static } from '@sinclair/typebox';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { paymentCalls } from '../../protocol/calls/payments.ts';
import { PAYMENT_LIMITS, TREAT_PACKS } from '../../protocol/lists.ts';
import type { RateLimiter } from '../accounts/rate-limits.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import { decodeCursor, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import { NotEnoughTreatsError } from '../treats/errors.ts';
import { Ledger, platform, wallet } from '../treats/ledger.ts';
import { MethodUnavailableError, NotApprovedError, ProviderError, TooManyPendingError } from './errors.ts';
import { type Captured, minorOf, type PayPalEvent, type PayPalGateway } from './paypal.ts';
import { type PaymentStatus, payments, transactions, webhookEvents } from './schema.ts';

type Request<N extends keyof typeof paymentCalls> = Static<(typeof paymentCalls)[N]['request']>;
type Payment = Static<(typeof paymentCalls)['payments.get']['response']>;
type Row = typeof payments.$inferSelect;
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface PaymentsDeps {
  db: Database;
  topics: TopicLog;
  log: Logger;
  limiter: RateLimiter;
  appUrl: string;
  paypal: PayPalGateway | undefined;
}

const view = (row: Row): Payment => ({
  id: row.id,
  method: row.method,
  status: row.status,
  amountMinor: row.amountMinor,
  currency: row.currency,
  packId: row.packId as keyof typeof TREAT_PACKS,
  treats: row.treats,
  refundedMinor: row.refundedMinor,
  approveUrl: row.status === 'created' ? row.approveUrl : null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export class Payments {
  readonly #deps: PaymentsDeps;
  readonly #ledger: Ledger;

  constructor(deps: PaymentsDeps) {
    this.#deps = deps;
    this.#ledger = new Ledger(deps.db);
  }

  /** The methods this deployment offers. */
  get methods(): ('paypal' | 'mercadopago' | 'spei')[] {
    return this.#deps.paypal === undefined ? [] : ['paypal'];
  }

  async checkout(userId: string, request: Request<'payments.checkout'>): Promise<Payment> {
    const gateway = this.#deps.paypal;
    if (request.method !== 'paypal' || gateway === undefined) throw new MethodUnavailableError(request.method);
    const pack = TREAT_PACKS[request.packId];
    const [pending] = await this.#deps.db
      .select({ count: sql<number>`count(*)::int` })
      .from(payments)
      .where(and(eq(payments.userId, userId), eq(payments.status, 'created')));
    if ((pending?.count ?? 0) >= PAYMENT_LIMITS.pending) throw new TooManyPendingError(PAYMENT_LIMITS.pending);
    await this.#deps.limiter.hit({ name: 'payments-checkout', max: PAYMENT_LIMITS.checkoutsPerHour, windowMs: 3_600_000 }, userId);
    const id = Bun.randomUUIDv7();
    const amountMinor = pack.prices[request.currency];
    const [row] = await this.#deps.db.transaction(async (tx) => {
      const made = await tx
        .insert(payments)
        .values({
          id,
          userId,
          method: 'paypal',
          status: 'created',
          amountMinor,
          currency: request.currency,
          packId: request.packId,
          treats: pack.treats,
        })
        .returning();
      await this.#audit(tx, {
        paymentId: id,
        userId,
        type: 'created',
        from: null,
        to: 'created',
        source: 'api',
        detail: { packId: request.packId },
      });
      return made;
    });
    // The order is made after the row, which a failed order leaves FAILED (and audited).
    try {
      const order = await gateway.createOrder({
        id,
        amountMinor,
        currency: request.currency,
        description: `PetAmigos: ${pack.treats} treats`,
        returnUrl: `${this.#deps.appUrl}/payments/${id}/return`,
        cancelUrl: `${this.#deps.appUrl}/payments/${id}/cancel`,
      });
      const [updated] = await this.#deps.db
        .update(payments)
        .set({ externalId: order.orderId, approveUrl: order.approveUrl, updatedAt: new Date() })
        .where(eq(payments.id, id))
        .returning();
      return view(updated ?? (row as Row));
    } catch (error) {
      await this.#change(id, 'failed', 'order_refused', 'api', { issue: error instanceof ProviderError ? error.issue : 'UNKNOWN' });
      throw error;
    }
  }

  /** The buyer is back from PayPal: captures the order and settles the payment (once, however often asked). */
  async capture(userId: string, paymentId: string): Promise<Payment> {
    const row = await this.#own(userId, paymentId);
    const gateway = this.#deps.paypal;
    if (row.status !== 'created' || row.externalId === null || gateway === undefined) return view(row);
    let captured: Captured;
    try {
      captured = await gateway.capture(row.externalId, row.id);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.issue === 'ORDER_NOT_APPROVED') throw new NotApprovedError();
      // Captured already (by an earlier attempt whose answer was lost): read the capture back.
      if (error.issue !== 'ORDER_ALREADY_CAPTURED') throw error;
      const order = await gateway.order(row.externalId);
      if (order.capture === undefined) throw error;
      captured = order.capture;
    }
    // Undefined only for a webhook event already handled; none is given here.
    return view((await this.#settle(row.id, captured, 'api')) ?? row);
  }

  async get(userId: string, paymentId: string): Promise<Payment> {
    return view(await this.#own(userId, paymentId));
  }

  async list(userId: string, request: Request<'payments.list'>): Promise<{ items: Payment[]; nextCursor: string | null }> {
    const after = decodeCursor(request.cursor, 1);
    if (after !== undefined && !/^[0-9a-f-]{36}$/.test(after[0] as string))
      throw new InvalidInputError('the cursor is not one this server gave', { field: 'cursor', code: 'INVALID_CURSOR' });
    const rows = await this.#deps.db
      .select()
      .from(payments)
      .where(and(eq(payments.userId, userId), after === undefined ? undefined : lt(payments.id, after[0] as string)))
      .orderBy(desc(payments.id))
      .limit(PAYMENT_LIMITS.page + 1);
    return pageOf(rows, PAYMENT_LIMITS.page, (row) => [row.id], view);
  }

  /**
   * A webhook from PayPal: believed only once PayPal confirms it sent it; handled once per event
   * id. Returns what was done; throws nothing for an event that is verified but not ours.
   */
  async paypalWebhook(headers: Headers, body: Record<string, unknown>): Promise<'unverified' | 'duplicate' | 'handled' | 'ignored'> {
    const gateway = this.#deps.paypal;
    if (gateway === undefined) return 'unverified';
    const event = await gateway.verified(headers, body);
    if (event === undefined) {
      this.#deps.log.warn({ id: body.id }, `payments.webhook() | refused: not verified by PayPal [id:${String(body.id)}]`);
      return 'unverified';
    }
    if (event.type === 'PAYMENT.CAPTURE.REFUNDED' || event.type === 'PAYMENT.CAPTURE.REVERSED') return this.#refunded(event);
    if (event.type !== 'PAYMENT.CAPTURE.COMPLETED') {
      const [fresh] = await this.#deps.db
        .insert(webhookEvents)
        .values({ provider: 'paypal', eventId: event.id, eventType: event.type })
        .onConflictDoNothing()
        .returning();
      return fresh === undefined ? 'duplicate' : 'ignored';
    }
    const resource = event.resource;
    const paymentId = typeof resource.custom_id === 'string' ? resource.custom_id : undefined;
    const orderId = (resource.supplementary_data as { related_ids?: { order_id?: string } } | undefined)?.related_ids?.order_id;
    const [row] =
      paymentId === undefined || !/^[0-9a-f-]{36}$/.test(paymentId)
        ? []
        : await this.#deps.db
            .select()
            .from(payments)
            .where(and(eq(payments.id, paymentId), eq(payments.method, 'paypal')));
    if (row === undefined || (orderId !== undefined && row.externalId !== orderId)) {
      this.#deps.log.warn(
        { eventId: event.id, paymentId, orderId },
        `payments.webhook() | a capture of no payment of ours [event:${event.id}]`,
      );
      return 'ignored';
    }
    const amount = resource.amount as { value?: unknown; currency_code?: unknown } | undefined;
    const settled = await this.#settle(
      row.id,
      {
        captureId: String(resource.id),
        status: String(resource.status),
        amountMinor: minorOf(amount?.value),
        currency: String(amount?.currency_code),
        customId: paymentId,
      },
      'webhook',
      event,
    );
    return settled === undefined ? 'duplicate' : 'handled';
  }

  /** A refund or a chargeback PayPal reports (a verified event): the payment it names gives back what it credited, once. */
  async #refunded(event: PayPalEvent): Promise<'duplicate' | 'handled' | 'ignored'> {
    const refund = event.resource;
    const captureId = (refund.links as { rel?: string; href?: string }[] | undefined)
      ?.find((link) => link.rel === 'up')
      ?.href?.split('/')
      .pop();
    const paymentId = typeof refund.custom_id === 'string' && /^[0-9a-f-]{36}$/.test(refund.custom_id) ? refund.custom_id : undefined;
    const [row] = await this.#deps.db
      .select()
      .from(payments)
      .where(
        and(eq(payments.method, 'paypal'), paymentId === undefined ? eq(payments.captureId, captureId ?? '') : eq(payments.id, paymentId)),
      );
    if (row === undefined || (captureId !== undefined && row.captureId !== captureId)) {
      this.#deps.log.warn(
        { eventId: event.id, paymentId, captureId },
        `payments.webhook() | a refund of no payment of ours [event:${event.id}]`,
      );
      return 'ignored';
    }
    const amount = refund.amount as { value?: unknown; currency_code?: unknown } | undefined;
    const total = (refund.seller_payable_breakdown as { total_refunded_amount?: { value?: unknown } } | undefined)?.total_refunded_amount;
    const taken = await this.#giveBack(row.id, {
      refundId: String(refund.id),
      refundMinor: minorOf(amount?.value),
      totalMinor: total === undefined ? undefined : minorOf(total.value),
      currency: String(amount?.currency_code),
      reversed: event.type === 'PAYMENT.CAPTURE.REVERSED',
      webhook: event,
    });
    return taken === undefined ? 'duplicate' : 'handled';
  }

  /**
   * Money given back on a completed payment: the refunded total grows (never past the amount),
   * the treats it bought are taken back in proportion as far as the wallet still holds them (the
   * rest is recorded as unrecovered: a wallet never goes below zero), and the payment becomes
   * `refunded` (or `reversed`) once all of it is back. A webhook event already handled changes
   * nothing (undefined).
   */
  async #giveBack(
    paymentId: string,
    back: {
      refundId: string;
      refundMinor: number;
      totalMinor: number | undefined;
      currency: string;
      reversed: boolean;
      webhook: PayPalEvent;
    },
  ): Promise<Row | undefined> {
    const outcome = await this.#deps.db.transaction(async (tx) => {
      const [fresh] = await tx
        .insert(webhookEvents)
        .values({ provider: 'paypal', eventId: back.webhook.id, eventType: back.webhook.type })
        .onConflictDoNothing()
        .returning();
      if (fresh === undefined) return undefined;
      const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
      if (row === undefined) throw new NotFoundError('payment');
      if (!['completed', 'fraud_suspected', 'refunded', 'reversed'].includes(row.status) || back.currency !== row.currency)
        return { row, changed: false };
      const reported = back.totalMinor ?? row.refundedMinor + back.refundMinor;
      const refundedMinor = back.reversed
        ? row.amountMinor
        : Math.min(row.amountMinor, Math.max(row.refundedMinor, Number.isFinite(reported) ? reported : 0));
      // Treats were credited only by a completed payment; what is owed back follows the share refunded.
      const owed = row.status === 'fraud_suspected' ? 0 : Math.floor((row.treats * refundedMinor) / row.amountMinor);
      const due = Math.max(0, owed - row.treatsReversed);
      const recovered = due === 0 ? 0 : await this.#takeTreats(tx, row, due, back.refundId);
      const to: PaymentStatus = refundedMinor < row.amountMinor ? row.status : back.reversed ? 'reversed' : 'refunded';
      const [updated] = await tx
        .update(payments)
        .set({ status: to, refundedMinor, treatsReversed: row.treatsReversed + due, updatedAt: new Date() })
        .where(eq(payments.id, paymentId))
        .returning();
      await this.#audit(tx, {
        paymentId,
        userId: row.userId,
        type: back.reversed ? 'reversed' : 'refunded',
        from: row.status,
        to,
        source: 'webhook',
        amountMinor: Number.isFinite(back.refundMinor) ? back.refundMinor : null,
        currency: back.currency.slice(0, 3),
        detail: { refundId: back.refundId, refundedMinor, treatsTakenBack: recovered, treatsUnrecovered: due - recovered },
      });
      return { row: updated ?? row, changed: true, recovered };
    });
    if (outcome === undefined) return undefined;
    if (outcome.changed) {
      await emit(this.#deps, 'user', outcome.row.userId, 'payments.changed', { payment: view(outcome.row) });
      if ((outcome.recovered ?? 0) > 0) {
        const balances = await this.#ledger.balances(outcome.row.userId);
        await emit(this.#deps, 'user', outcome.row.userId, 'treats.changed', { ...balances, transferId: outcome.row.id, kind: 'reversal' });
      }
    }
    return outcome.row;
  }

  /** Takes up to `due` treats back from the buyer's wallet (as many as it holds): how many it took. */
  async #takeTreats(tx: Tx, row: Row, due: number, refundId: string): Promise<number> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const take = Math.min(due, (await this.#ledger.balances(row.userId)).wallet);
      if (take === 0) return 0;
      try {
        // A savepoint: a spend that got there first fails only this, and the next try takes less.
        await tx.transaction((inner) =>
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
        return take;
      } catch (error) {
        if (!(error instanceof NotEnoughTreatsError)) throw error;
      }
    }
    return 0;
  }

  async #own(userId: string, paymentId: string): Promise<Row> {
    const [row] = await this.#deps.db
      .select()
      .from(payments)
      .where(and(eq(payments.id, paymentId), eq(payments.userId, userId)));
    if (row === undefined) throw new NotFoundError('payment');
    return row;
  }

  /**
   * Settles a payment from what PayPal reported, once: under a lock of its row, a payment no
   * longer `created` is left as it is; a webhook event already handled (undefined) changes nothing. A completed capture of the amount and currency asked for
   * completes it and credits its treats; any other amount or currency is FRAUD_SUSPECTED.
   */
  async #settle(
    paymentId: string,
    captured: Captured,
    source: 'api' | 'webhook',
    webhook?: { id: string; type: string },
  ): Promise<Row | undefined> {
    const outcome = await this.#deps.db.transaction(async (tx) => {
      // The event is recorded as handled in the transaction that handles it: if this fails, its redelivery is not a duplicate.
      if (webhook !== undefined) {
        const [fresh] = await tx
          .insert(webhookEvents)
          .values({ provider: 'paypal', eventId: webhook.id, eventType: webhook.type })
          .onConflictDoNothing()
          .returning();
        if (fresh === undefined) return undefined;
      }
      const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
      if (row === undefined) throw new NotFoundError('payment');
      if (row.status !== 'created' || captured.status !== 'COMPLETED') return { row, changed: false };
      const matches = captured.amountMinor === row.amountMinor && captured.currency === row.currency;
      const to: PaymentStatus = matches ? 'completed' : 'fraud_suspected';
      const [updated] = await tx
        .update(payments)
        .set({ status: to, captureId: captured.captureId, updatedAt: new Date() })
        .where(eq(payments.id, paymentId))
        .returning();
      await this.#audit(tx, {
        paymentId,
        userId: row.userId,
        type: matches ? 'captured' : 'fraud_suspected',
        from: row.status,
        to,
        source,
        amountMinor: Number.isFinite(captured.amountMinor) ? captured.amountMinor : null,
        currency: captured.currency.slice(0, 3),
        detail: { captureId: captured.captureId, expectedMinor: row.amountMinor, expectedCurrency: row.currency },
      });
      if (matches)
        await this.#ledger.transfer(
          {
            kind: 'purchase',
            key: `payment:${row.id}`,
            memo: { paymentId: row.id, packId: row.packId },
            legs: [
              { ...platform('platform_sales'), amount: -row.treats },
              { ...wallet(row.userId), amount: row.treats },
            ],
          },
          tx,
        );
      return { row: updated ?? row, changed: true };
    });
    if (outcome === undefined) return undefined;
    if (outcome.changed) {
      if (outcome.row.status === 'fraud_suspected')
        this.#deps.log.error(
          { paymentId, reported: captured },
          `payments.settle() | fraud suspected: reported ${captured.amountMinor} ${captured.currency} [payment:${paymentId}]`,
        );
      await emit(this.#deps, 'user', outcome.row.userId, 'payments.changed', { payment: view(outcome.row) });
      if (outcome.row.status === 'completed') {
        const balances = await this.#ledger.balances(outcome.row.userId);
        await emit(this.#deps, 'user', outcome.row.userId, 'treats.changed', { ...balances, transferId: outcome.row.id, kind: 'purchase' });
      }
    }
    return outcome.row;
  }

  /** A change outside a settle (an order refused): the row and its audit line together. */
  async #change(paymentId: string, to: PaymentStatus, type: string, source: 'api', detail: Record<string, string>): Promise<void> {
    await this.#deps.db.transaction(async (tx) => {
      const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
      if (row === undefined || row.status !== 'created') return;
      await tx.update(payments).set({ status: to, updatedAt: new Date() }).where(eq(payments.id, paymentId));
      await this.#audit(tx, { paymentId, userId: row.userId, type, from: row.status, to, source, detail });
    });
  }

  async #audit(
    tx: Tx,
    entry: {
      paymentId: string;
      userId: string;
      type: string;
      from: PaymentStatus | null;
      to: PaymentStatus;
      source: 'api' | 'webhook';
      amountMinor?: number | null;
      currency?: string | null;
      detail: Record<string, string | number | boolean | null>;
    },
  ): Promise<void> {
    await tx.insert(transactions).values({
      paymentId: entry.paymentId,
      userId: entry.userId,
      type: entry.type,
      fromStatus: entry.from,
      toStatus: entry.to,
      amountMinor: entry.amountMinor ?? null,
      currency: entry.currency ?? null,
      source: entry.source,
      detail: entry.detail,
    });
  }
}
