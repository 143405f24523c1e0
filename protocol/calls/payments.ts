// Calls of payments: buying a pack of treats with PayPal (Mercado Pago, SPEI and the plans come
// next). The amount is the pack's price in the currency asked for, decided by the server; the
// buyer approves it at the provider (`approveUrl`), comes back, and `payments.capture` settles it.
// PayPal's own webhook settles it too, should the buyer never come back: whichever is first, once.
import { CURRENCIES, PAID_PLAN_IDS, PAYMENT_LIMITS, PAYMENT_METHODS, PAYMENT_STATUSES, PRORATION_STATUSES, TREAT_PACKS } from '../lists.ts';
import { type CallSpec, Cursor, OneOf, Page, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const PACK_IDS = Object.keys(TREAT_PACKS) as (keyof typeof TREAT_PACKS)[];

export const Payment = T.Object({
  id: Uuid,
  method: OneOf(PAYMENT_METHODS),
  status: OneOf(PAYMENT_STATUSES, {
    description:
      '`created`: waiting for the buyer at the provider; `completed`: paid, its treats credited (also when partly refunded: see `refundedMinor`); `failed`: refused or abandoned; `fraud_suspected`: the provider reported another amount or currency, nothing was credited and staff look into it; `refunded`: all of it given back; `reversed`: taken back by the buyer’s bank or the provider (a chargeback)',
  }),
  amountMinor: T.Integer({ minimum: 1, description: 'The price, in minor units of `currency` (cents, centavos)' }),
  currency: OneOf(CURRENCIES),
  packId: T.Union([OneOf(PACK_IDS), T.Null()], { description: 'The pack of treats it buys; null for a period of a plan' }),
  treats: T.Integer({ minimum: 0, description: 'Treats the payment credits once completed (0 for a period of a plan)' }),
  plan: T.Union([OneOf(PAID_PLAN_IDS), T.Null()], { description: 'The plan a month of which it pays; null for a pack' }),
  subscriptionId: T.Union([Uuid, T.Null()], { description: 'The subscription it pays a period of; null for a pack' }),
  refundedMinor: T.Integer({
    minimum: 0,
    description:
      'Minor units given back so far (refunds, a chargeback). Treats are taken back in proportion, as far as the wallet still holds them (`treats.history` shows a `reversal`)',
  }),
  proration: T.Union(
    [
      T.Object({
        amountMinor: T.Integer({ minimum: 1, description: 'The unused part of the month, in minor units of `currency`' }),
        status: OneOf(PRORATION_STATUSES, {
          description:
            '`pending`: being refunded through the provider that took the money; `refunded`: given back (and counted in `refundedMinor`); `owed`: to be sent back by bank transfer by our staff (SPEI)',
        }),
      }),
      T.Null(),
    ],
    {
      description:
        'A month of a plan that was replaced by a higher plan before it ended: the unused part of it (its price × the time left ÷ the month’s length, rounded down) given back; null otherwise',
    },
  ),
  spei: T.Union(
    [
      T.Object({
        clabe: T.String({
          pattern: '^\\d{18}$',
          description: "The CLABE to transfer to: this payment's own (18 digits, check digit included)",
        }),
        reference: T.String({ pattern: '^\\d{7}$', description: 'The numeric reference to give with the transfer (7 digits)' }),
        beneficiary: T.String({ description: 'The beneficiary name to enter' }),
        bank: T.String({ description: 'The receiving bank' }),
        expiresAt: T.String({ format: 'date-time', description: 'The instructions stand until then' }),
      }),
      T.Null(),
    ],
    {
      description:
        'A SPEI payment: where to transfer `amountMinor` (MXN) from any Mexican bank, while it is `created`; null otherwise. The payment completes when the transfer is received (confirmed by the SPEI provider or an admin); an amount other than the one asked for is `fraud_suspected`',
    },
  ),
  approveUrl: T.Union([T.String(), T.Null()], {
    description: 'Where the buyer approves it at the provider, while it is `created`; null otherwise',
  }),
  createdAt: T.String({ format: 'date-time' }),
  updatedAt: T.String({ format: 'date-time' }),
});

const examplePayment = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000fa11',
  method: 'paypal' as const,
  status: 'created' as const,
  amountMinor: 499,
  currency: 'USD' as const,
  packId: 'treats_550' as const,
  treats: 550,
  plan: null,
  subscriptionId: null,
  refundedMinor: 0,
  proration: null,
  spei: null,
  approveUrl: 'https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T',
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
};

export const paymentCalls = {
  'payments.options': {
    description:
      'What can be bought here: the packs of treats with their prices in every currency (minor units), and the payment methods this deployment offers.',
    role: 'user',
    errors: [],
    request: T.Object({}),
    response: T.Object({
      packs: T.Array(
        T.Object({
          id: OneOf(PACK_IDS),
          treats: T.Integer(),
          prices: T.Object(
            Object.fromEntries(CURRENCIES.map((currency) => [currency, T.Integer({ minimum: 1 })])) as Record<
              (typeof CURRENCIES)[number],
              ReturnType<typeof T.Integer>
            >,
          ),
        }),
      ),
      methods: T.Array(OneOf(PAYMENT_METHODS)),
    }),
    example: {
      request: {},
      response: { packs: [{ id: 'treats_550', treats: 550, prices: { USD: 499, MXN: 9900 } }], methods: ['paypal'] },
    },
  },
  'payments.checkout': {
    description: `Starts buying a pack: makes the payment and the provider's order, and answers it with \`approveUrl\`, where the buyer approves it; they come back to <APP_URL>/payments/<id>/return (or /cancel). SPEI (MXN only; another currency is INVALID_INPUT with \`details.field\` currency) answers \`spei\`: the transfer's instructions instead. A method not offered here is PAYMENT_METHOD_UNAVAILABLE; at most ${PAYMENT_LIMITS.pending} payments may wait for approval (TOO_MANY_PENDING) and ${PAYMENT_LIMITS.checkoutsPerHour} checkouts be started an hour (RATE_LIMITED); a provider's refusal is PAYMENT_PROVIDER_ERROR and leaves the payment \`failed\`.`,
    role: 'user',
    errors: ['PAYMENT_METHOD_UNAVAILABLE', 'TOO_MANY_PENDING', 'PAYMENT_PROVIDER_ERROR', 'INVALID_INPUT'],
    request: T.Object({ packId: OneOf(PACK_IDS), method: OneOf(PAYMENT_METHODS), currency: OneOf(CURRENCIES) }),
    response: Payment,
    example: { request: { packId: 'treats_550', method: 'paypal', currency: 'USD' }, response: examplePayment },
  },
  'payments.capture': {
    description: `Settles one of the caller's payments once the buyer approved it at the provider: completed (its treats credited) or fraud_suspected. Safe to repeat: a payment already settled (by an earlier call or the provider's webhook) is answered as it is. Not approved yet: PAYMENT_NOT_APPROVED. Someone else's payment is NOT_FOUND. Each call on a waiting payment asks the provider: at most ${PAYMENT_LIMITS.capturesPerMinute} a minute (RATE_LIMITED).`,
    role: 'user',
    errors: ['NOT_FOUND', 'PAYMENT_NOT_APPROVED', 'PAYMENT_PROVIDER_ERROR'],
    request: T.Object({ paymentId: Uuid }),
    response: Payment,
    example: { request: { paymentId: examplePayment.id }, response: { ...examplePayment, status: 'completed', approveUrl: null } },
  },
  'payments.get': {
    description: "One of the caller's payments (someone else's is NOT_FOUND).",
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ paymentId: Uuid }),
    response: Payment,
    example: { request: { paymentId: examplePayment.id }, response: examplePayment },
  },
  'payments.list': {
    description: `The caller's payments, newest first, ${PAYMENT_LIMITS.page} a page: the billing history.`,
    role: 'user',
    errors: ['INVALID_CURSOR'],
    request: T.Object({ cursor: Cursor }),
    response: Page(Payment),
    example: { request: {}, response: { items: [examplePayment], nextCursor: null } },
  },
} satisfies Record<string, CallSpec>;

export const paymentUserEvents = {
  'payments.changed': {
    description:
      'One of the user’s payments changed (completed, failed, fraud suspected): the payment now. A completed one also brings `treats.changed`.',
    body: T.Object({ payment: Payment }),
    example: { payment: { ...examplePayment, status: 'completed', approveUrl: null } },
  },
};
