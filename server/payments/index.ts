// The payments module's wiring: the providers this deployment is configured for, and the services
// the calls and the webhook routes share (one Settlement, so both settle a payment the same way).
import { RateLimiter } from '../accounts/rate-limits.ts';
import type { MailOutbox } from '../mail/outbox.ts';
import type { Platform } from '../platform/index.ts';
import { Entitlements } from './entitlements.ts';
import { MercadoPagoGateway } from './mercadopago.ts';
import { Payments } from './payments.ts';
import { PayPalGateway } from './paypal.ts';
import { Prorations } from './proration.ts';
import { Receipts } from './receipts.ts';
import { PaymentReconciler } from './reconcile.ts';
import { Refunds } from './refunds.ts';
import { ReminderMail } from './reminder-mail.ts';
import { SubscriptionRenewals } from './renewals.ts';
import { Settlement } from './settlement.ts';
import { Subscriptions } from './subscriptions.ts';
import { PaymentWebhooks } from './webhooks.ts';

export interface PaymentsModule {
  payments: Payments;
  webhooks: PaymentWebhooks;
  /** For the admin routes (SPEI confirmed by hand). */
  settlement: Settlement;
  /** Started and stopped by the node, like the story cleanup. */
  reconciler: PaymentReconciler;
  subscriptions: Subscriptions;
  /** The daily round of subscriptions: started and stopped by the node. */
  renewals: SubscriptionRenewals;
  /** What a person's plan entitles them to (the social modules read it as deps.entitlements). */
  entitlements: Entitlements;
  /** Refunds by staff (the admin routes). */
  refunds: Refunds;
  /** The buyers' receipts: the PDF route, and the mail of a payment that completes. */
  receipts: Receipts;
}

export function createPayments(platform: Platform, outbox: MailOutbox): PaymentsModule {
  const { paypal, mercadoPago, spei, billing } = platform.config.payments;
  const db = platform.database.db;
  const receipts = new Receipts({ db, outbox, log: platform.log, appUrl: platform.config.accounts.appUrl, seller: billing });
  const settlement = new Settlement({
    db,
    topics: platform.topics,
    log: platform.log,
    spei: spei === undefined ? undefined : { beneficiary: spei.beneficiary, bankName: spei.bankName },
    onCompleted: (row) => receipts.completed(row),
  });
  const entitlements = new Entitlements(db);
  const limiter = new RateLimiter(platform.cache);
  const gateways = {
    paypal: paypal === undefined ? undefined : new PayPalGateway(paypal, platform.log),
    mercadoPago: mercadoPago === undefined ? undefined : new MercadoPagoGateway(mercadoPago, platform.log),
  };
  const refunds = new Refunds({ db, settlement, ...gateways });
  const prorations = new Prorations({ db, log: platform.log, refunds });
  const subscriptions = new Subscriptions({
    db,
    topics: platform.topics,
    log: platform.log,
    limiter,
    appUrl: platform.config.accounts.appUrl,
    settlement,
    entitlements,
    spei,
    reminderMail:
      spei === undefined ? undefined : new ReminderMail({ db, outbox, log: platform.log, appUrl: platform.config.accounts.appUrl, spei }),
    prorations,
    ...gateways,
  });
  return {
    payments: new Payments({
      db,
      limiter,
      appUrl: platform.config.accounts.appUrl,
      settlement,
      spei,
      ...gateways,
    }),
    webhooks: new PaymentWebhooks({ db, log: platform.log, settlement, subscriptions, speiSecret: spei?.webhookSecret, ...gateways }),
    settlement,
    reconciler: new PaymentReconciler({
      db,
      log: platform.log,
      node: platform.config.nodeId,
      everyMs: platform.config.payments.reconcileEveryMs,
      settlement,
      prorations,
      ...gateways,
    }),
    subscriptions,
    renewals: new SubscriptionRenewals({ db, log: platform.log, node: platform.config.nodeId, subscriptions }),
    entitlements,
    receipts,
    refunds,
  };
}
