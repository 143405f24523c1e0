// The providers' webhooks over HTTP. A webhook carries no user credential: each is checked before
// anything is believed (webhooks.ts), and an event is handled once.
import { Elysia } from 'elysia';
import { InvalidInputError } from '../errors.ts';
import { rawBodyOf } from '../http/body.ts';
import { answers, refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';
import type { PaymentWebhooks, WebhookOutcome } from './webhooks.ts';

const Outcome = t.Object({ outcome: t.Union([t.Literal('handled'), t.Literal('duplicate'), t.Literal('ignored')]) });
const answered = (outcome: WebhookOutcome, provider: string) => {
  if (outcome === 'unverified') throw new InvalidInputError(`the event is not one ${provider} sent`, { code: 'WEBHOOK_NOT_VERIFIED' });
  return { outcome };
};

export function paymentRoutes(webhooks: PaymentWebhooks) {
  return new Elysia({ name: 'payment-routes', prefix: '/webhooks' })
    .post('/spei', async ({ request }) => answered(await webhooks.spei(request.headers, rawBodyOf(request)), 'the SPEI provider'), {
      body: t.Record(t.String(), t.Unknown(), {
        description: 'The provider’s notice (its signature is checked over the bytes as received)',
      }),
      detail: {
        tags: ['payments'],
        summary: 'SPEI provider webhook (a transfer received; X-Signature: sha256=<HMAC-SHA256 of the body> with SPEI_WEBHOOK_SECRET)',
        description:
          'JSON `{ id, type: "spei.received", data: { clabe, amount, currency: "MXN", tracking_key } }`, `amount` a decimal string. The CLABE names the payment (each has its own); it is settled once, its amount checked. Without SPEI_WEBHOOK_SECRET every notice is refused and an admin confirms transfers instead.',
        ...answers({ 200: { description: 'Signed: `handled`, `duplicate` or `ignored`', schema: Outcome } }),
        ...refusals({ 400: ['WEBHOOK_NOT_VERIFIED'], 413: ['BODY_TOO_LARGE'] }),
      },
    })
    .post('/paypal', async ({ body, request }) => answered(await webhooks.paypal(request.headers, body, rawBodyOf(request)), 'PayPal'), {
      body: t.Record(t.String(), t.Unknown(), { description: "PayPal's webhook event, as PayPal sends it" }),
      detail: {
        tags: ['payments'],
        summary: 'PayPal webhook (PayPal calls it; verified with PayPal before anything changes)',
        description:
          'Configured at PayPal with the id in PAYPAL_WEBHOOK_ID. PAYMENT.CAPTURE.COMPLETED settles the payment it names (custom_id) once; PAYMENT.CAPTURE.REFUNDED and PAYMENT.CAPTURE.REVERSED give back what it credited; an event id already handled changes nothing.',
        ...answers({
          200: {
            description: 'Verified: `handled`, `duplicate` (already handled) or `ignored` (not an event this server acts on)',
            schema: Outcome,
          },
        }),
        ...refusals({ 400: ['WEBHOOK_NOT_VERIFIED'], 503: ['NOT_SETTLED_YET'] }),
      },
    })
    .post(
      '/mercadopago',
      async ({ body, query, request }) =>
        answered(await webhooks.mercadoPago(request.headers, query['data.id'], query.type, body), 'Mercado Pago'),
      {
        query: t.Object({
          'data.id': t.String({ minLength: 1, maxLength: 64, description: 'The id of what changed (a payment)' }),
          type: t.String({ minLength: 1, maxLength: 64, description: '`payment`; other types are recorded and ignored' }),
        }),
        body: t.Record(t.String(), t.Unknown(), { description: "Mercado Pago's notification, as Mercado Pago sends it" }),
        detail: {
          tags: ['payments'],
          summary: 'Mercado Pago webhook (Mercado Pago calls it; its x-signature checked, the payment fetched from the API)',
          description:
            'Signed with MERCADOPAGO_WEBHOOK_SECRET (x-signature: ts and the HMAC-SHA256 of `id:<data.id>;request-id:<x-request-id>;ts:<ts>;`), within a day of its ts (seconds or milliseconds) and no more than 5 minutes ahead of the server clock. The payment is read from Mercado Pago before anything counts: approved settles ours (external_reference) once, refunded or charged back gives back what it credited, rejected fails it, pending (cash) waits.',
          ...answers({ 200: { description: 'Signed: `handled`, `duplicate` or `ignored`', schema: Outcome } }),
          ...refusals({ 400: ['WEBHOOK_NOT_VERIFIED'], 503: ['NOT_SETTLED_YET'] }),
        },
      },
    );
}
