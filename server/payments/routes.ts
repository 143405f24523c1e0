// The providers' webhooks over HTTP. A webhook carries no user credential: PayPal confirms it sent
// the event (payments.ts, paypal.ts) before anything is believed, and an event id is handled once.
import { Elysia } from 'elysia';
import { InvalidInputError } from '../errors.ts';
import { answers, refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';
import type { Payments } from './payments.ts';

export function paymentRoutes(payments: Payments) {
  return new Elysia({ name: 'payment-routes', prefix: '/webhooks' }).post(
    '/paypal',
    async ({ body, request }) => {
      const outcome = await payments.paypalWebhook(request.headers, body);
      if (outcome === 'unverified') throw new InvalidInputError('the event is not one PayPal sent', { code: 'WEBHOOK_NOT_VERIFIED' });
      return { outcome };
    },
    {
      body: t.Record(t.String(), t.Unknown(), { description: "PayPal's webhook event, as PayPal sends it" }),
      detail: {
        tags: ['payments'],
        summary: 'PayPal webhook (PayPal calls it; verified with PayPal before anything changes)',
        description:
          'Configured at PayPal with the id in PAYPAL_WEBHOOK_ID. PAYMENT.CAPTURE.COMPLETED settles the payment it names (custom_id) once; an event id already handled changes nothing.',
        ...answers({
          200: {
            description: 'Verified: `handled`, `duplicate` (already handled) or `ignored` (not an event this server acts on)',
            schema: t.Object({ outcome: t.Union([t.Literal('handled'), t.Literal('duplicate'), t.Literal('ignored')]) }),
          },
        }),
        ...refusals({ 400: ['WEBHOOK_NOT_VERIFIED'] }),
      },
    },
  );
}
