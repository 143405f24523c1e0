// Refunds: all that is left of a completed payment, or part of it, given back through the provider
// that took the money (a PayPal capture or, for a month of a plan, its sale; a Mercado Pago
// payment) or, for SPEI, recorded after staff sent the money back by transfer. By staff (audited
// with the admin and their reason), or by the system for the unused part of a month whose plan was
// replaced (proration.ts: source `proration`, a request id derived from the replaced subscription
// so a retry is the same refund at the provider). What was given back is applied at once
// (settlement.ts: treats taken back in proportion, a month's plan ended by a full refund), keyed by
// the provider's refund id, so the provider's own webhook of the same refund changes nothing more.
import { eq } from 'drizzle-orm';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Database } from '../platform/db/index.ts';
import { MethodUnavailableError } from './errors.ts';
import type { MercadoPagoGateway } from './mercadopago.ts';
import type { PayPalGateway } from './paypal.ts';
import { markRefunded, type ProrationRow } from './proration.ts';
import { payments } from './schema.ts';
import type { Row, Settlement } from './settlement.ts';

export interface RefundDeps {
  db: Database;
  settlement: Settlement;
  paypal: PayPalGateway | undefined;
  mercadoPago: MercadoPagoGateway | undefined;
}

export class Refunds {
  readonly #deps: RefundDeps;

  constructor(deps: RefundDeps) {
    this.#deps = deps;
  }

  /** Gives back `amountMinor` (all that is left when undefined) of a completed payment. */
  async refund(paymentId: string, request: { amountMinor?: number | undefined; reason: string }, adminId: string): Promise<Row> {
    const row = await this.#refundable(paymentId);
    const left = row.amountMinor - row.refundedMinor;
    const amountMinor = request.amountMinor ?? left;
    if (amountMinor > left) throw new InvalidInputError(`at most ${left} is left to refund`, { field: 'amountMinor' });
    const requestId = `refund-${row.id}-${row.refundedMinor}-${amountMinor}`;
    // SPEI: staff sent the money back by transfer; this records it.
    const made =
      row.method === 'spei' ? { refundId: requestId, totalMinor: undefined } : await this.#atProvider(row, amountMinor, requestId);
    const given = await this.#deps.settlement.giveBack(row.id, {
      ...made,
      refundMinor: amountMinor,
      currency: row.currency,
      reversed: false,
      source: 'admin',
      webhook: undefined,
      note: { by: adminId, reason: request.reason },
      // Staff refunding a payment whose unused part was owed (SPEI's, or one a provider kept refusing) settle it.
      claim: async (tx) => {
        await markRefunded(tx, { paymentId: row.id }, ['owed'], made.refundId);
        return true;
      },
    });
    return given ?? row;
  }

  /**
   * The unused part of a replaced subscription's month (a pending proration) given back at the
   * provider, once: the same request id on every attempt, and applied only while it is still
   * pending (or owed), in the transaction that marks it refunded.
   */
  async unused(proration: ProrationRow): Promise<Row | undefined> {
    const [row] = await this.#deps.db.select().from(payments).where(eq(payments.id, proration.paymentId));
    if (row === undefined) throw new NotFoundError('payment');
    const left = row.amountMinor - row.refundedMinor;
    if (row.status !== 'completed' || left <= 0) {
      // All of it given back meanwhile (staff, a chargeback): nothing is left to give.
      await this.#deps.db.transaction((tx) =>
        markRefunded(tx, { subscriptionId: proration.subscriptionId }, ['pending'], `covered-by-${row.status}`),
      );
      return row;
    }
    const amountMinor = Math.min(proration.amountMinor, left);
    const made = await this.#atProvider(row, amountMinor, `proration-${proration.subscriptionId}`);
    return this.#deps.settlement.giveBack(row.id, {
      ...made,
      refundMinor: amountMinor,
      currency: row.currency,
      reversed: false,
      source: 'proration',
      webhook: undefined,
      note: { by: 'proration', replaced: proration.subscriptionId, replacedBy: proration.replacedBy },
      claim: (tx) => markRefunded(tx, { subscriptionId: proration.subscriptionId }, ['pending', 'owed'], made.refundId),
    });
  }

  async #refundable(paymentId: string): Promise<Row> {
    const [row] = await this.#deps.db.select().from(payments).where(eq(payments.id, paymentId));
    if (row === undefined) throw new NotFoundError('payment');
    if (row.status !== 'completed' || row.captureId === null)
      throw new InvalidInputError(`a ${row.status} payment cannot be refunded`, { field: 'id' });
    return row;
  }

  /** The refund made at the payment's provider: its id, and the total refunded so far when the provider says. */
  async #atProvider(row: Row, amountMinor: number, requestId: string): Promise<{ refundId: string; totalMinor: number | undefined }> {
    if (row.method === 'paypal') {
      const paypal = this.#deps.paypal;
      if (paypal === undefined) throw new MethodUnavailableError('paypal');
      // A pack was a captured order; a month of a plan, a subscription's sale (its id is the payment's external id).
      return paypal.refund({
        kind: row.subscriptionId === null ? 'capture' : 'sale',
        id: row.subscriptionId === null ? (row.captureId as string) : (row.externalId ?? (row.captureId as string)),
        amountMinor,
        currency: row.currency,
        requestId,
      });
    }
    if (row.method === 'mercadopago') {
      const mercadoPago = this.#deps.mercadoPago;
      if (mercadoPago === undefined) throw new MethodUnavailableError('mercadopago');
      return mercadoPago.refund(row.captureId as string, amountMinor, requestId);
    }
    throw new MethodUnavailableError(row.method);
  }
}
