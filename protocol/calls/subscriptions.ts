// Calls of plans and subscriptions: the four plans with their prices and what each entitles to,
// the caller's plan now, subscribing to a paid plan with PayPal (a PayPal subscription, charged
// monthly by PayPal), Mercado Pago (a preapproval, charged monthly by Mercado Pago) or SPEI (a
// transfer a month: no automatic renewal, the next transfer's instructions come before the period
// ends), and cancelling at the end of the period. Each period's money is a payment
// (payments.list shows it, with its receipt).
import {
  CURRENCIES,
  ENTITLEMENTS,
  PAID_PLAN_IDS,
  PAYMENT_METHODS,
  PLAN_IDS,
  PLANS,
  SUBSCRIPTION_LIMITS,
  SUBSCRIPTION_STATUSES,
} from '../lists.ts';
import { type CallSpec, OneOf, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';
import { Payment } from './payments.ts';

const Prices = T.Object(
  Object.fromEntries(CURRENCIES.map((currency) => [currency, T.Integer({ minimum: 0 })])) as Record<
    (typeof CURRENCIES)[number],
    ReturnType<typeof T.Integer>
  >,
  { description: 'A month of the plan in each currency, in minor units (cents, centavos)' },
);

const Standing = {
  plan: OneOf(PLAN_IDS, { description: 'The plan the person has now (free without a live subscription)' }),
  entitlements: T.Array(OneOf(ENTITLEMENTS), {
    description:
      '`adFree`: no ads; `verification`: may ask for the verified mark (verification.request); `badges`: the plan’s badge shows by their name; `creatorAnalytics`: the full reel analytics; `prioritySupport`: their helpdesk conversations go first; `apiTokens`: personal API tokens (tokens.*)',
  }),
  monthlyTreats: T.Integer({
    minimum: 0,
    description: 'Treats the plan grants each calendar month (UTC), claimed with treats.claimAllowance',
  }),
};

export const Subscription = T.Object({
  id: Uuid,
  plan: OneOf(PAID_PLAN_IDS),
  method: OneOf(PAYMENT_METHODS),
  currency: OneOf(CURRENCIES),
  amountMinor: T.Integer({ minimum: 1, description: 'The price of a month, in minor units of `currency`, fixed when subscribing' }),
  status: OneOf(SUBSCRIPTION_STATUSES, {
    description: `\`pending\`: waiting for the buyer's approval or first payment (it expires after ${SUBSCRIPTION_LIMITS.pendingDays} days); \`active\`: paid up to \`currentPeriodEnd\`; \`past_due\`: the renewal was not paid, the plan holds until \`holdsUntil\` (${SUBSCRIPTION_LIMITS.graceDays} days of grace); \`canceled\`: ended at the end of a cancelled period, or by a full refund; \`expired\`: never paid, or unpaid past its grace; \`replaced\`: ended by a subscription to another plan`,
  }),
  currentPeriodStart: T.Union([T.String({ format: 'date-time' }), T.Null()], {
    description: 'The period paid for; null until the first payment',
  }),
  currentPeriodEnd: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  cancelAtPeriodEnd: T.Boolean({ description: 'Cancelled: it ends at `currentPeriodEnd` and is not renewed' }),
  holdsUntil: T.Union([T.String({ format: 'date-time' }), T.Null()], {
    description: 'While live: when the plan stops unless paid again (the period end, plus the grace unless cancelled)',
  }),
  approveUrl: T.Union([T.String(), T.Null()], {
    description: 'While pending with PayPal or Mercado Pago: where the buyer approves it; null otherwise',
  }),
  createdAt: T.String({ format: 'date-time' }),
  updatedAt: T.String({ format: 'date-time' }),
});

const exampleSubscription = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000cafe',
  plan: 'premium' as const,
  method: 'paypal' as const,
  currency: 'USD' as const,
  amountMinor: 999,
  status: 'active' as const,
  currentPeriodStart: '2026-12-07T10:00:00.000Z',
  currentPeriodEnd: '2027-01-07T10:00:00.000Z',
  cancelAtPeriodEnd: false,
  holdsUntil: '2027-01-10T10:00:00.000Z',
  approveUrl: null,
  createdAt: '2026-12-07T09:58:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
};

const Mine = T.Object({
  ...Standing,
  subscription: T.Union([Subscription, T.Null()], {
    description: 'The live subscription, or else the newest one still pending; null when there is neither',
  }),
});

const exampleMine = {
  plan: 'premium' as const,
  entitlements: [...PLANS.premium.entitlements],
  monthlyTreats: 100,
  subscription: exampleSubscription,
};

export const subscriptionCalls = {
  'subscriptions.plans': {
    description:
      'The plans: what a month of each costs in every currency (minor units), the treats each grants a month and what each entitles to; the methods this deployment takes for subscriptions; and the caller’s plan now.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({
      plans: T.Array(
        T.Object({
          id: OneOf(PLAN_IDS),
          prices: Prices,
          monthlyTreats: T.Integer({ minimum: 0 }),
          entitlements: T.Array(OneOf(ENTITLEMENTS)),
        }),
      ),
      methods: T.Array(OneOf(PAYMENT_METHODS)),
      mine: Mine,
    }),
    example: {
      request: {},
      response: {
        plans: [
          { id: 'free', prices: { USD: 0, MXN: 0 }, monthlyTreats: 50, entitlements: [] },
          { id: 'basic', prices: { USD: 499, MXN: 9900 }, monthlyTreats: 100, entitlements: ['adFree'] },
        ],
        methods: ['paypal', 'mercadopago', 'spei'],
        mine: exampleMine,
      },
    },
  },
  'subscriptions.mine': {
    description: 'The caller’s plan now, what it entitles to, and their subscription.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: Mine,
    example: { request: {}, response: exampleMine },
  },
  'subscriptions.checkout': {
    description: `Subscribes the caller to a paid plan, priced by the server. PayPal and Mercado Pago answer \`subscription.approveUrl\`, where the buyer approves the monthly charge; they come back to <APP_URL>/subscriptions/<id>/return, and subscriptions.sync (or the provider's webhook) makes it active once the first month is paid. SPEI (MXN only; another currency is INVALID_INPUT with \`details.field\` currency) answers \`payment\`: the first transfer's instructions; it becomes active when the transfer is received. A plan the caller already has, or a lower one while a higher one is live, is ALREADY_SUBSCRIBED; a higher one replaces the live subscription once its first month is paid: the old one is cancelled at its provider and the unused part of its month (its price × the time left ÷ the month's length, rounded down to the minor unit, at most what is left unrefunded) is refunded through the provider that took it (PayPal, Mercado Pago; shown as the old month's payment's \`proration\`, and in \`refundedMinor\` once given back), or, for SPEI, sent back by bank transfer by our staff. At most ${SUBSCRIPTION_LIMITS.checkoutsPerHour} checkouts an hour (RATE_LIMITED); a method not offered here is PAYMENT_METHOD_UNAVAILABLE; a provider's refusal is PAYMENT_PROVIDER_ERROR and leaves the subscription \`expired\`.`,
    role: 'user',
    errors: ['ALREADY_SUBSCRIBED', 'PAYMENT_METHOD_UNAVAILABLE', 'PAYMENT_PROVIDER_ERROR', 'TOO_MANY_PENDING', 'INVALID_INPUT'],
    request: T.Object({ plan: OneOf(PAID_PLAN_IDS), method: OneOf(PAYMENT_METHODS), currency: OneOf(CURRENCIES) }),
    response: T.Object({
      subscription: Subscription,
      payment: T.Union([Payment, T.Null()], {
        description: 'SPEI: the first month’s payment with its transfer instructions; null otherwise',
      }),
    }),
    example: {
      request: { plan: 'premium', method: 'paypal', currency: 'USD' },
      response: {
        subscription: {
          ...exampleSubscription,
          status: 'pending',
          currentPeriodStart: null,
          currentPeriodEnd: null,
          holdsUntil: null,
          approveUrl: 'https://www.sandbox.paypal.com/webapps/billing/subscriptions?ba_token=BA-2M539689T3856352J',
        },
        payment: null,
      },
    },
  },
  'subscriptions.sync': {
    description: `Asks the provider about one of the caller's subscriptions (after they come back from approving it) and applies what it says: months paid, a cancellation at the provider. Safe to repeat. Someone else's subscription is NOT_FOUND. At most ${SUBSCRIPTION_LIMITS.syncsPerMinute} a minute (RATE_LIMITED).`,
    role: 'user',
    errors: ['NOT_FOUND', 'PAYMENT_PROVIDER_ERROR'],
    request: T.Object({ subscriptionId: Uuid }),
    response: Subscription,
    example: { request: { subscriptionId: exampleSubscription.id }, response: exampleSubscription },
  },
  'subscriptions.cancel': {
    description:
      "Cancels one of the caller's subscriptions: a live one keeps its plan until `currentPeriodEnd` and is not renewed (cancelled at PayPal or Mercado Pago at once, so nothing more is charged; no more SPEI reminders); a pending one expires. Cancelling twice changes nothing. Someone else's is NOT_FOUND.",
    role: 'user',
    errors: ['NOT_FOUND', 'PAYMENT_PROVIDER_ERROR'],
    request: T.Object({ subscriptionId: Uuid }),
    response: Subscription,
    example: {
      request: { subscriptionId: exampleSubscription.id },
      response: { ...exampleSubscription, cancelAtPeriodEnd: true, holdsUntil: exampleSubscription.currentPeriodEnd },
    },
  },
} satisfies Record<string, CallSpec>;

export const subscriptionUserEvents = {
  'subscriptions.changed': {
    description:
      'The user’s subscription or plan changed (paid, renewed, past due, cancelled, ended, refunded): the subscription now, and the plan and entitlements that hold now.',
    body: T.Object({ subscription: Subscription, ...Standing }),
    example: { subscription: exampleSubscription, plan: 'premium', entitlements: [...PLANS.premium.entitlements], monthlyTreats: 100 },
  },
};
