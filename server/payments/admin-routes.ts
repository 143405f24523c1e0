// Staff endpoints of payments: the payments list with filters (the fraud queue is `status =
// fraud_suspected`, the SPEI queue `method = spei, status = created`, the unused parts of replaced
// plans' months to send back by transfer `proration = owed`), confirming by hand a SPEI
// transfer seen in the bank account (v1, without a provider webhook), refunds (refunds.ts), and a
// plan's subscribers. Admins only; every confirmation and refund is settled like any other (its
// amount checked) and audited with who made it.

import type { Static } from '@sinclair/typebox';
import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { Elysia } from 'elysia';
import { Payment } from '../../protocol/calls/payments.ts';
import { Subscription } from '../../protocol/calls/subscriptions.ts';
import { PAID_PLAN_IDS, PAYMENT_METHODS, PAYMENT_STATUSES, PRORATION_STATUSES, SUBSCRIPTION_STATUSES } from '../../protocol/lists.ts';
import { Uuid } from '../../protocol/spec.ts';
import { T } from '../../protocol/typebox.ts';
import type { AccountsDeps } from '../accounts/context.ts';
import { accountsGuard } from '../accounts/guard.ts';
import { users } from '../accounts/schema.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';
import type { PaymentsModule } from './index.ts';
import { payments, prorations, subscriptions } from './schema.ts';
import { subscriptionView } from './subscriptions.ts';

const PAGE = 50;

export function paymentAdminRoutes(
  deps: AccountsDeps,
  peerAddress: (request: Request) => string | undefined,
  { settlement, refunds }: Pick<PaymentsModule, 'settlement' | 'refunds'>,
) {
  return new Elysia({ name: 'payment-admin-routes', prefix: '/admin/payments' })
    .use(accountsGuard(deps, peerAddress))
    .get(
      '/',
      async ({ query }) => {
        const where: SQL[] = [];
        if (query.status !== undefined) where.push(eq(payments.status, query.status));
        if (query.method !== undefined) where.push(eq(payments.method, query.method));
        if (query.userId !== undefined) where.push(eq(payments.userId, query.userId));
        if (query.proration !== undefined)
          where.push(
            inArray(
              payments.id,
              deps.db.select({ id: prorations.paymentId }).from(prorations).where(eq(prorations.status, query.proration)),
            ),
          );
        if (query.before !== undefined) where.push(lt(payments.id, query.before));
        // The payer's username in the same query: the staff screens show people by name.
        const rows = await deps.db
          .select({ payment: payments, username: users.username })
          .from(payments)
          .innerJoin(users, eq(users.id, payments.userId))
          .where(and(...where))
          .orderBy(desc(payments.id))
          .limit(PAGE);
        const views = await settlement.views(rows.map((row) => row.payment));
        return {
          items: rows.map((row, at) => ({
            ...(views[at] ?? settlement.view(row.payment)),
            userId: row.payment.userId,
            username: row.username,
          })),
          before: rows.length === PAGE ? (rows.at(-1)?.payment.id ?? null) : null,
        };
      },
      {
        role: 'admin',
        query: t.Object({
          status: t.Optional(t.Union(PAYMENT_STATUSES.map((status) => t.Literal(status)))),
          method: t.Optional(t.Union(PAYMENT_METHODS.map((method) => t.Literal(method)))),
          userId: t.Optional(t.String({ format: 'uuid' })),
          proration: t.Optional(
            t.Union(
              PRORATION_STATUSES.map((status) => t.Literal(status)),
              {
                description:
                  'Months of replaced plans whose unused part is in this state (owed: SPEI, to send back by transfer, then record with /refund)',
              },
            ),
          ),
          before: t.Optional(t.String({ format: 'uuid', description: 'From the previous page' })),
        }),
        response: {
          200: t.Object({
            items: t.Array(
              t.Unsafe<Static<typeof Payment> & { userId: string; username: string }>(
                T.Object({ ...Payment.properties, userId: Uuid, username: T.String({ description: 'The payer’s username' }) }),
              ),
            ),
            before: t.Union([t.String({ format: 'uuid' }), t.Null()], {
              description: 'Pass as `before` for the next page; null at the end',
            }),
          }),
        },
        detail: {
          tags: ['admin'],
          summary: `Payments, newest first, ${PAGE} a page, by status, method, user or proration, each with the payer's username (the fraud queue: status=fraud_suspected; SPEI to confirm: method=spei&status=created; unused parts of replaced plans to send back by transfer: proration=owed)`,
        },
      },
    )
    .post(
      '/:id/spei',
      async ({ params, body, principal }) => {
        const [row] = await deps.db.select().from(payments).where(eq(payments.id, params.id));
        if (row === undefined) throw new NotFoundError('payment');
        if (row.method !== 'spei') throw new InvalidInputError('not a SPEI payment', { field: 'id' });
        const settled = await settlement.settle(
          row.id,
          { captureId: body.trackingKey, status: 'COMPLETED', amountMinor: body.amountMinor, currency: 'MXN' },
          'admin',
          undefined,
          { confirmedBy: principal.userId },
        );
        deps.log.info(
          { payment: row.id, by: principal.userId, amountMinor: body.amountMinor },
          `admin.spei() | transfer confirmed [payment:${row.id}] [by:${principal.userId}] [status:${settled?.status}]`,
        );
        return { payment: settlement.view(settled ?? row) };
      },
      {
        role: 'admin',
        params: t.Object({ id: t.String({ format: 'uuid' }) }),
        body: t.Object({
          amountMinor: t.Integer({ minimum: 1, maximum: 100_000_000, description: 'What the bank account received, in centavos' }),
          trackingKey: t.String({
            minLength: 1,
            maxLength: 30,
            pattern: '^[A-Za-z0-9]+$',
            description: 'The transfer’s tracking key (clave de rastreo)',
          }),
        }),
        response: { 200: t.Object({ payment: t.Unsafe<Static<typeof Payment>>(Payment) }) },
        detail: {
          tags: ['admin'],
          summary:
            'Confirm a SPEI transfer seen in the account: completes the payment once (fraud_suspected if the amount differs); audited with the admin',
          ...refusals({ 400: ['INVALID_INPUT'], 404: ['NOT_FOUND'] }),
        },
      },
    )
    .post(
      '/:id/refund',
      async ({ params, body, principal }) => {
        const refunded = await refunds.refund(params.id, body, principal.userId);
        deps.log.info(
          { payment: params.id, by: principal.userId, amountMinor: body.amountMinor ?? 'all' },
          `admin.refund() | payment refunded [payment:${params.id}] [by:${principal.userId}] [status:${refunded.status}]`,
        );
        return { payment: settlement.view(refunded) };
      },
      {
        role: 'admin',
        params: t.Object({ id: t.String({ format: 'uuid' }) }),
        body: t.Object({
          amountMinor: t.Optional(
            t.Integer({ minimum: 1, maximum: 100_000_000, description: 'Minor units to give back; all that is left when absent' }),
          ),
          reason: t.String({ minLength: 3, maxLength: 500, description: 'Why, for the audit log' }),
        }),
        response: { 200: t.Object({ payment: t.Unsafe<Static<typeof Payment>>(Payment) }) },
        detail: {
          tags: ['admin'],
          summary:
            'Refund a completed payment, all or part, through its provider (SPEI: record money sent back by transfer); it settles a proration of it owed by staff (proration=owed): treats taken back in proportion, a month of a plan refunded in full ends the plan; audited with the admin and reason',
          ...refusals({ 400: ['INVALID_INPUT'], 404: ['NOT_FOUND'], 502: ['PAYMENT_PROVIDER_ERROR'], 503: ['PAYMENT_METHOD_UNAVAILABLE'] }),
        },
      },
    );
}

export function subscriptionAdminRoutes(deps: AccountsDeps, peerAddress: (request: Request) => string | undefined) {
  return new Elysia({ name: 'subscription-admin-routes', prefix: '/admin/subscriptions' }).use(accountsGuard(deps, peerAddress)).get(
    '/',
    async ({ query }) => {
      const where: SQL[] = [];
      if (query.plan !== undefined) where.push(eq(subscriptions.plan, query.plan));
      if (query.status !== undefined) where.push(eq(subscriptions.status, query.status));
      if (query.before !== undefined) where.push(lt(subscriptions.id, query.before));
      const rows = await deps.db
        .select({ subscription: subscriptions, username: users.username })
        .from(subscriptions)
        .innerJoin(users, eq(users.id, subscriptions.userId))
        .where(and(...where))
        .orderBy(desc(subscriptions.id))
        .limit(PAGE);
      return {
        items: rows.map((row) => ({ ...subscriptionView(row.subscription), userId: row.subscription.userId, username: row.username })),
        before: rows.length === PAGE ? (rows.at(-1)?.subscription.id ?? null) : null,
      };
    },
    {
      role: 'admin',
      query: t.Object({
        plan: t.Optional(t.Union(PAID_PLAN_IDS.map((plan) => t.Literal(plan)))),
        status: t.Optional(t.Union(SUBSCRIPTION_STATUSES.map((status) => t.Literal(status)))),
        before: t.Optional(t.String({ format: 'uuid', description: 'From the previous page' })),
      }),
      response: {
        200: t.Object({
          items: t.Array(
            t.Unsafe<Static<typeof Subscription> & { userId: string; username: string }>(
              T.Object({ ...Subscription.properties, userId: Uuid, username: T.String({ description: 'The subscriber’s username' }) }),
            ),
          ),
          before: t.Union([t.String({ format: 'uuid' }), t.Null()], { description: 'Pass as `before` for the next page; null at the end' }),
        }),
      },
      detail: {
        tags: ['admin'],
        summary: `A plan's subscribers: subscriptions newest first, ${PAGE} a page, by plan and status (active, past_due…), each with the subscriber's username`,
      },
    },
  );
}
