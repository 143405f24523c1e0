// The audit log of money (`transactions`): one line per change of a payment or a subscription,
// written in the database transaction that makes the change, never updated or deleted.
import type { Database } from '../platform/db/index.ts';
import type { PaymentStatus, SubscriptionStatus } from './schema.ts';
import { transactions } from './schema.ts';

export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Who made a change: the buyer's call, a provider's webhook, an admin, a job's round, or the system giving back the unused part of a replaced plan. */
export type Source = 'api' | 'webhook' | 'admin' | 'job' | 'proration';

export interface AuditEntry {
  paymentId?: string | null;
  subscriptionId?: string | null;
  userId: string;
  type: string;
  from: PaymentStatus | SubscriptionStatus | null;
  to: PaymentStatus | SubscriptionStatus;
  source: Source;
  amountMinor?: number | null;
  currency?: string | null;
  detail: Record<string, string | number | boolean | null>;
}

export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(transactions).values({
    paymentId: entry.paymentId ?? null,
    subscriptionId: entry.subscriptionId ?? null,
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
