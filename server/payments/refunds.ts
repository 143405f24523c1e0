// Refunds by staff: all that is left of a completed payment, or part of it, given back through the
// provider that took the money (a PayPal capture or, for a month of a plan, its sale; a Mercado
// Pago payment) or, for SPEI, recorded after staff sent the money back by transfer. What was given
// back is applied at once (settlement.ts: treats taken back in proportion, a month's plan ended by
// a full refund), keyed by the provider's refund id, so the provider's own webhook of the same
// refund changes nothing more. Audited with the admin and their reason.
import { eq } from 'drizzle-orm';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Database } from '../platform/db/index.ts';
import { MethodUnavailableError } from './errors.ts';
import type { MercadoPagoGateway } from './mercadopago.ts';
import type { PayPalGateway } from './paypal.ts';
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
    const [row] = await this.#deps.db.select().from(payments).where(eq(payments.id, paymentId));
    if (row === undefined) throw new NotFoundError('payment');
    if (row.status !== 'completed' || row.captureId === null)
      throw new InvalidInputError(`a ${row.status} payment cannot be refunded`, { field: 'id' });
    const left = row.amountMinor - row.refundedMinor;
    const amountMinor = request.amountMinor ?? left;
    if (amountMinor > left) throw new InvalidInputError(`at most ${left} is left to refund`, { field: 'amountMinor' });
    const requestId = `refund-${row.id}-${row.refundedMinor}-${amountMinor}`;
    let refundId: string;
    let totalMinor: number | undefined;
    if (row.method === 'paypal') {
      const paypal = this.#deps.paypal;
      if (paypal === undefined) throw new MethodUnavailableError('paypal');
      // A pack was a captured order; a month of a plan, a subscription's sale (its id is the payment's external id).
      const made = await paypal.refund({
        kind: row.subscriptionId === null ? 'capture' : 'sale',
        id: row.subscriptionId === null ? row.captureId : (row.externalId ?? row.captureId),
        amountMinor,
        currency: row.currency,
        requestId,
      });
      refundId = made.refundId;
      totalMinor = made.totalMinor;
    } else if (row.method === 'mercadopago') {
      const mercadoPago = this.#deps.mercadoPago;
      if (mercadoPago === undefined) throw new MethodUnavailableError('mercadopago');
      refundId = (await mercadoPago.refund(row.captureId, amountMinor, requestId)).refundId;
    } else {
      // SPEI: staff sent the money back by transfer; this records it.
      refundId = requestId;
    }
    const given = await this.#deps.settlement.giveBack(row.id, {
      refundId,
      refundMinor: amountMinor,
      totalMinor,
      currency: row.currency,
      reversed: false,
      source: 'admin',
      webhook: undefined,
      note: { by: adminId, reason: request.reason },
    });
    return given ?? row;
  }
}
