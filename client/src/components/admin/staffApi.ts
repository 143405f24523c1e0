// The staff HTTP API (server/payments/admin-routes.ts, server/verification/admin-routes.ts) as the
// staff screens call it: each list a page at a time in usePages' shape, each action answering
// the changed row. The server checks the role on every call; the screens only avoid asking.
import type { Static } from '@sinclair/typebox';
import type { Payment as PaymentSchema } from '../../../../protocol/calls/payments.ts';
import type { Subscription as SubscriptionSchema } from '../../../../protocol/calls/subscriptions.ts';
import type { VerificationRequest } from '../../../../protocol/calls/verification.ts';
import type { PAID_PLAN_IDS, PAYMENT_METHODS, PAYMENT_STATUSES, SUBSCRIPTION_STATUSES } from '../../../../protocol/lists.ts';
import { api } from '../../api/http.ts';
import { actions } from '../../state/store.ts';
import type { PageOf } from '../usePages.ts';

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type PaidPlan = (typeof PAID_PLAN_IDS)[number];
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

type Payment = Static<typeof PaymentSchema>;
type Request = Static<typeof VerificationRequest>;

export type StaffPayment = Payment & { userId: string; username: string };
export type StaffSubscription = Static<typeof SubscriptionSchema> & { userId: string; username: string };
export type QueuedRequest = Request & { user: { id: string; username: string } };

export interface PaymentFilters {
  status?: PaymentStatus | undefined;
  method?: PaymentMethod | undefined;
  userId?: string | undefined;
}

const query = (fields: Record<string, string | undefined>) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined && value !== '') params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
};

const call = async <T>(method: string, path: string, body?: unknown) => api<T>(method, path, body, await actions.token());

export async function listPayments(filters: PaymentFilters, before: string | undefined): Promise<PageOf<StaffPayment>> {
  const page = await call<{ items: StaffPayment[]; before: string | null }>('GET', `/admin/payments${query({ ...filters, before })}`);
  return { items: page.items, nextCursor: page.before };
}

export const confirmSpei = async (id: string, amountMinor: number, trackingKey: string) =>
  (await call<{ payment: Payment }>('POST', `/admin/payments/${id}/spei`, { amountMinor, trackingKey })).payment;

export const refund = async (id: string, reason: string, amountMinor?: number) =>
  (
    await call<{ payment: Payment }>('POST', `/admin/payments/${id}/refund`, {
      reason,
      ...(amountMinor === undefined ? {} : { amountMinor }),
    })
  ).payment;

export async function listSubscriptions(
  filters: { plan?: PaidPlan | undefined; status?: SubscriptionStatus | undefined },
  before: string | undefined,
): Promise<PageOf<StaffSubscription>> {
  const page = await call<{ items: StaffSubscription[]; before: string | null }>(
    'GET',
    `/admin/subscriptions${query({ ...filters, before })}`,
  );
  return { items: page.items, nextCursor: page.before };
}

export async function verificationQueue(after: string | undefined): Promise<PageOf<QueuedRequest>> {
  const page = await call<{ items: QueuedRequest[]; after: string | null }>('GET', `/admin/verification${query({ after })}`);
  return { items: page.items, nextCursor: page.after };
}

export const approve = async (id: string) => (await call<{ request: Request }>('POST', `/admin/verification/${id}/approve`)).request;

export const reject = async (id: string, reason: string) =>
  (await call<{ request: Request }>('POST', `/admin/verification/${id}/reject`, { reason })).request;
