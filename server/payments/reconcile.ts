// Catching what webhooks missed: one node at a time (platform/periodic.ts), every
// PAYMENTS_RECONCILE_EVERY_MS, each payment still waiting is asked of its provider. PayPal: an
// order the buyer approved but nobody captured (they closed the tab) is captured, a captured one
// settled; Mercado Pago: the payments of our reference are applied as a webhook would. Through
// settlement.ts, so a round racing a webhook or the buyer settles once. A payment still waiting
// past its lapse (PayPal's approval link and a preference: 3 days; SPEI: its instructions'
// expiry) is FAILED as lapsed: a transfer that still comes later completes it anyway. Each round
// also retries the refunds of unused parts of replaced plans' months still pending (proration.ts):
// the provider was down, or the node died between the commit and the refund.
import { and, eq, gt, isNotNull, lt, or } from 'drizzle-orm';
import type { Database } from '../platform/db/index.ts';
import type { Logger } from '../platform/log.ts';
import { PeriodicJob } from '../platform/periodic.ts';
import { ProviderError } from './errors.ts';
import type { MercadoPagoGateway } from './mercadopago.ts';
import type { PayPalGateway } from './paypal.ts';
import type { Prorations } from './proration.ts';
import { payments } from './schema.ts';
import type { Row, Settlement } from './settlement.ts';
import { applyMercadoPago } from './webhooks.ts';

/** A buyer may still be at the provider's page this long after checkout: not asked about yet. */
const QUIET_MS = 15 * 60_000;
/** PayPal's approval links and our preferences lapse after this long. */
const PROVIDER_LAPSE_MS = 3 * 86_400_000;
/** Payments read per page of a round. */
const PER_PAGE = 200;

export interface ReconcileDeps {
  db: Database;
  log: Logger;
  node: string;
  everyMs: number;
  settlement: Settlement;
  prorations: Prorations;
  paypal: PayPalGateway | undefined;
  mercadoPago: MercadoPagoGateway | undefined;
}

export interface Reconciled {
  asked: number;
  /** Asked, and no longer waiting (settled now, or by a webhook or another round meanwhile). */
  settled: number;
  lapsed: number;
  /** Unused parts of replaced plans' months refunded this round (their first attempt had failed). */
  prorated: number;
}

export class PaymentReconciler {
  readonly #deps: ReconcileDeps;
  readonly job: PeriodicJob<Reconciled>;

  constructor(deps: ReconcileDeps) {
    this.#deps = deps;
    this.job = new PeriodicJob({ ...deps, name: 'payments.reconcile', round: (stopping) => this.round(stopping) });
  }

  /** One round (safe to run twice, or beside a webhook). */
  async round(stopping: () => boolean = () => false, now = Date.now()): Promise<Reconciled> {
    const outcome: Reconciled = { asked: 0, settled: 0, lapsed: 0, prorated: 0 };
    // Every waiting payment, a page at a time (oldest first): none can be starved by others.
    let after: { createdAt: Date; id: string } | undefined;
    while (!stopping()) {
      const waiting = await this.#deps.db
        .select()
        .from(payments)
        .where(
          and(
            eq(payments.status, 'created'),
            lt(payments.createdAt, new Date(now - QUIET_MS)),
            or(isNotNull(payments.externalId), isNotNull(payments.speiClabe)),
            after === undefined
              ? undefined
              : or(gt(payments.createdAt, after.createdAt), and(eq(payments.createdAt, after.createdAt), gt(payments.id, after.id))),
          ),
        )
        .orderBy(payments.createdAt, payments.id)
        .limit(PER_PAGE);
      for (const row of waiting) {
        if (stopping()) break;
        outcome.asked++;
        let asked: Row = row;
        try {
          asked = await this.#ask(row);
        } catch (error) {
          // One provider failing must not stop the round, nor keep a payment past its lapse.
          this.#deps.log.warn(
            { err: error, paymentId: row.id },
            `payments.reconcile() | could not ask [payment:${row.id}] [method:${row.method}]`,
          );
        }
        if (asked.status !== 'created') outcome.settled++;
        else if (this.#lapsed(row, now) && (await this.#deps.settlement.change(row.id, 'failed', 'lapsed', 'job', {})) !== undefined)
          outcome.lapsed++;
      }
      const last = waiting.at(-1);
      if (waiting.length < PER_PAGE || last === undefined) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    if (!stopping()) outcome.prorated = await this.#deps.prorations.retryDue(new Date(now));
    if (outcome.asked > 0 || outcome.prorated > 0)
      this.#deps.log.info(
        outcome,
        `payments.reconcile() | round [asked:${outcome.asked}] [settled:${outcome.settled}] [lapsed:${outcome.lapsed}] [prorated:${outcome.prorated}]`,
      );
    return outcome;
  }

  #lapsed(row: Row, now: number): boolean {
    if (row.method === 'spei') return row.expiresAt !== null && row.expiresAt.getTime() < now;
    return row.createdAt.getTime() < now - PROVIDER_LAPSE_MS;
  }

  /** What the provider says of one waiting payment, applied; the row as it is after. */
  async #ask(row: Row): Promise<Row> {
    const { paypal, mercadoPago, settlement } = this.#deps;
    if (row.method === 'mercadopago' && mercadoPago !== undefined) {
      const found = await mercadoPago.paymentsOf(row.id);
      const chosen = found.find((each) => each.status === 'approved') ?? found[0];
      return chosen === undefined ? row : applyMercadoPago(settlement, row, chosen, 'job');
    }
    if (row.method === 'paypal' && paypal !== undefined && row.externalId !== null) {
      const order = await paypal.order(row.externalId);
      if (order.capture !== undefined) return (await settlement.settle(row.id, order.capture, 'job')) ?? row;
      if (order.status !== 'APPROVED') return row;
      try {
        return (await settlement.settle(row.id, await paypal.capture(row.externalId, row.id), 'job')) ?? row;
      } catch (error) {
        if (error instanceof ProviderError) return row;
        throw error;
      }
    }
    // SPEI: nobody to ask; only the lapse applies.
    return row;
  }
}
