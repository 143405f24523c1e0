// Payments as the buyer's calls see them: a pack of treats bought with PayPal or Mercado Pago. A
// checkout makes the payment row (the amount taken from the pack's price, never from the client)
// and the provider's order or preference; the buyer approves or pays it at the provider and comes
// back; `payments.capture` then asks the provider what happened and settles the payment
// (settlement.ts), as the provider's webhook does (webhooks.ts): whichever comes first, once.
import type { Static } from '@sinclair/typebox';
import { and, desc, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { paymentCalls } from '../../protocol/calls/payments.ts';
import { PAYMENT_LIMITS, TREAT_PACKS } from '../../protocol/lists.ts';
import type { RateLimiter } from '../accounts/rate-limits.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { decodeTypedCursor, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { clabeFor } from './clabe.ts';
import { MethodUnavailableError, NotApprovedError, ProviderError, TooManyPendingError } from './errors.ts';
import type { MercadoPagoGateway } from './mercadopago.ts';
import type { PayPalGateway } from './paypal.ts';
import { type PaymentMethod, payments } from './schema.ts';
import type { Captured, Payment, Row, Settlement } from './settlement.ts';
import { applyMercadoPago } from './webhooks.ts';

type Request<N extends keyof typeof paymentCalls> = Static<(typeof paymentCalls)[N]['request']>;

export interface PaymentsDeps {
  db: Database;
  limiter: RateLimiter;
  appUrl: string;
  settlement: Settlement;
  paypal: PayPalGateway | undefined;
  mercadoPago: MercadoPagoGateway | undefined;
  spei: SpeiSettings | undefined;
}

export type SpeiSettings = { clabePrefix: string; expiresMs: number };

/**
 * How long a CLABE stays its payment's. The 7-digit references come round again after 9,999,999
 * SPEI payments, and a transfer may still arrive for a lapsed payment (it completes it), so a
 * reference is issued again only when no payment holding it is still waiting or younger than this.
 */
const SPEI_CLABE_REUSE_DAYS = 365;
/** References skipped at most per checkout before SPEI is refused (every one of them recently issued). */
const SPEI_REFERENCE_TRIES = 50;

/** A SPEI payment's own CLABE, made of the next free reference (a transfer names the payment it pays), and its expiry. */
export async function speiInstructions(db: Database, spei: SpeiSettings) {
  for (let tries = 0; tries < SPEI_REFERENCE_TRIES; tries++) {
    const [next] = rowsOf<{ reference: number | string }>(await db.execute(sql`select nextval('spei_references') as reference`));
    const reference = Number(next?.reference);
    const speiClabe = clabeFor(spei.clabePrefix, reference);
    const [held] = await db
      .select({ id: payments.id })
      .from(payments)
      .where(
        and(
          eq(payments.speiClabe, speiClabe),
          or(eq(payments.status, 'created'), gt(payments.createdAt, sql`now() - make_interval(days => ${SPEI_CLABE_REUSE_DAYS})`)),
        ),
      )
      .limit(1);
    if (held === undefined) return { speiReference: reference, speiClabe, expiresAt: new Date(Date.now() + spei.expiresMs) };
  }
  throw new MethodUnavailableError('spei');
}

/** The methods a deployment offers: those it has the settings of (packs and plans alike). */
export const offeredMethods = (configured: Pick<PaymentsDeps, 'paypal' | 'mercadoPago' | 'spei'>): PaymentMethod[] => [
  ...(configured.paypal === undefined ? [] : (['paypal'] as const)),
  ...(configured.mercadoPago === undefined ? [] : (['mercadopago'] as const)),
  ...(configured.spei === undefined ? [] : (['spei'] as const)),
];

export class Payments {
  readonly #deps: PaymentsDeps;

  constructor(deps: PaymentsDeps) {
    this.#deps = deps;
  }

  /** The methods this deployment offers. */
  get methods(): PaymentMethod[] {
    return offeredMethods(this.#deps);
  }

  async checkout(userId: string, request: Request<'payments.checkout'>): Promise<Payment> {
    const { paypal, mercadoPago, spei } = this.#deps;
    if (!this.methods.includes(request.method)) throw new MethodUnavailableError(request.method);
    if (request.method === 'spei' && request.currency !== 'MXN')
      throw new InvalidInputError('SPEI transfers are in Mexican pesos (MXN)', { field: 'currency' });
    const pack = TREAT_PACKS[request.packId];
    const [pending] = await this.#deps.db
      .select({ count: sql<number>`count(*)::int` })
      .from(payments)
      .where(and(eq(payments.userId, userId), eq(payments.status, 'created')));
    if ((pending?.count ?? 0) >= PAYMENT_LIMITS.pending) throw new TooManyPendingError(PAYMENT_LIMITS.pending);
    await this.#deps.limiter.hit({ name: 'payments-checkout', max: PAYMENT_LIMITS.checkoutsPerHour, windowMs: 3_600_000 }, userId);
    const id = Bun.randomUUIDv7();
    const amountMinor = pack.prices[request.currency];
    const values = {
      id,
      userId,
      method: request.method,
      status: 'created' as const,
      amountMinor,
      currency: request.currency,
      packId: request.packId,
      treats: pack.treats,
    };
    if (request.method === 'spei' && spei !== undefined)
      return this.#deps.settlement.view(await this.#deps.settlement.open({ ...values, ...(await speiInstructions(this.#deps.db, spei)) }));
    const row = await this.#deps.settlement.open(values);
    const returnUrl = `${this.#deps.appUrl}/payments/${id}/return`;
    const title = `PetAmigos: ${pack.treats} treats`;
    // The order is made after the row, which a refused order leaves FAILED (and audited).
    try {
      const made =
        request.method === 'paypal'
          ? await (paypal as PayPalGateway)
              .createOrder({
                id,
                amountMinor,
                currency: request.currency,
                description: title,
                returnUrl,
                cancelUrl: `${this.#deps.appUrl}/payments/${id}/cancel`,
              })
              .then((order) => ({ externalId: order.orderId, approveUrl: order.approveUrl }))
          : await (mercadoPago as MercadoPagoGateway)
              .createPreference({
                id,
                amountMinor,
                currency: request.currency,
                title,
                returnUrl,
                notificationUrl: `${this.#deps.appUrl}/webhooks/mercadopago`,
              })
              .then((preference) => ({ externalId: preference.preferenceId, approveUrl: preference.approveUrl }));
      const [updated] = await this.#deps.db
        .update(payments)
        .set({ ...made, updatedAt: new Date() })
        .where(eq(payments.id, id))
        .returning();
      return this.#deps.settlement.view(updated ?? row);
    } catch (error) {
      await this.#deps.settlement.change(id, 'failed', 'order_refused', 'api', {
        issue: error instanceof ProviderError ? error.issue : 'UNKNOWN',
      });
      throw error;
    }
  }

  /** The buyer is back from the provider: asks it what happened and settles the payment (once, however often asked). */
  async capture(userId: string, paymentId: string): Promise<Payment> {
    const row = await this.#own(userId, paymentId);
    if (row.status !== 'created' || row.externalId === null) return this.#deps.settlement.view(row);
    await this.#deps.limiter.hit({ name: 'payments-capture', max: PAYMENT_LIMITS.capturesPerMinute, windowMs: 60_000 }, userId);
    if (row.method === 'mercadopago') {
      const gateway = this.#deps.mercadoPago;
      if (gateway === undefined) return this.#deps.settlement.view(row);
      const found = await gateway.paymentsOf(row.id);
      // The approved one if any (a buyer may have tried a declined card first), else the newest.
      const chosen = found.find((each) => each.status === 'approved') ?? found[0];
      if (chosen === undefined) throw new NotApprovedError();
      const after = await applyMercadoPago(this.#deps.settlement, row, chosen, 'api');
      if (after.status === 'created' && chosen.status !== 'pending' && chosen.status !== 'in_process') throw new NotApprovedError();
      return this.#deps.settlement.view(after);
    }
    const gateway = this.#deps.paypal;
    if (gateway === undefined) return this.#deps.settlement.view(row);
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
    return this.#deps.settlement.view((await this.#deps.settlement.settle(row.id, captured, 'api')) ?? row);
  }

  async get(userId: string, paymentId: string): Promise<Payment> {
    const [payment] = await this.#deps.settlement.views([await this.#own(userId, paymentId)]);
    if (payment === undefined) throw new NotFoundError('payment');
    return payment;
  }

  async list(userId: string, request: Request<'payments.list'>): Promise<{ items: Payment[]; nextCursor: string | null }> {
    const after = decodeTypedCursor(request.cursor, ['uuid']);
    const rows = await this.#deps.db
      .select()
      .from(payments)
      .where(and(eq(payments.userId, userId), after === undefined ? undefined : lt(payments.id, after[0] as string)))
      .orderBy(desc(payments.id))
      .limit(PAYMENT_LIMITS.page + 1);
    const page = pageOf(
      rows,
      PAYMENT_LIMITS.page,
      (row) => [row.id],
      (row) => row,
    );
    return { items: await this.#deps.settlement.views(page.items), nextCursor: page.nextCursor };
  }

  async #own(userId: string, paymentId: string): Promise<Row> {
    const [row] = await this.#deps.db
      .select()
      .from(payments)
      .where(and(eq(payments.id, paymentId), eq(payments.userId, userId)));
    if (row === undefined) throw new NotFoundError('payment');
    return row;
  }
}
