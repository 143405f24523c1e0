// The fake PayPal and the fake Mercado Pago, started for a node that is about to start: the
// providers send the buyer back to APP_URL and notify <APP_URL>/webhooks/…, so the node's port is
// chosen first, and `env` names the fakes, their credentials and SPEI's settings for the node.
import { createHmac } from 'node:crypto';
import { type FakeMercadoPago, startFakeMercadoPago } from './fake-mercadopago.ts';
import { type FakePayPal, startFakePayPal } from './fake-paypal.ts';

const PAYPAL_CREDENTIALS = {
  clientId: 'petamigos-test-app',
  clientSecret: 'petamigos-test-secret',
  webhookId: '8PT597110X687430LKGECATA',
};
const MERCADOPAGO_CREDENTIALS = { accessToken: 'TEST-petamigos-access-token', webhookSecret: 'petamigos-webhook-secret' };
/** What SPEI notices are signed with (`X-Signature: sha256=<HMAC of the raw body>`). */
const SPEI_SECRET = 'spei-test-webhook-secret';

export interface Providers {
  paypal: FakePayPal;
  mp: FakeMercadoPago;
  /** The node's own address, on the port chosen for it. */
  appUrl: string;
  /** PORT, APP_URL and every provider's settings, for the node. */
  env: Record<string, string>;
  close(): void;
}

export function startProviders(): Providers {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = String(probe.port);
  probe.stop(true);
  const appUrl = `http://127.0.0.1:${port}`;
  const paypal = startFakePayPal(PAYPAL_CREDENTIALS);
  paypal.setWebhookUrl(`${appUrl}/webhooks/paypal`);
  const mp = startFakeMercadoPago({ ...MERCADOPAGO_CREDENTIALS, notificationUrl: `${appUrl}/webhooks/mercadopago` });
  return {
    paypal,
    mp,
    appUrl,
    env: {
      PORT: port,
      APP_URL: appUrl,
      PAYPAL_CLIENT_ID: PAYPAL_CREDENTIALS.clientId,
      PAYPAL_CLIENT_SECRET: PAYPAL_CREDENTIALS.clientSecret,
      PAYPAL_WEBHOOK_ID: PAYPAL_CREDENTIALS.webhookId,
      PAYPAL_API_URL: paypal.url,
      MERCADOPAGO_ACCESS_TOKEN: MERCADOPAGO_CREDENTIALS.accessToken,
      MERCADOPAGO_WEBHOOK_SECRET: MERCADOPAGO_CREDENTIALS.webhookSecret,
      MERCADOPAGO_API_URL: mp.url,
      SPEI_CLABE_PREFIX: '6461801570',
      SPEI_WEBHOOK_SECRET: SPEI_SECRET,
    },
    close() {
      paypal.close();
      mp.close();
    },
  };
}

/** The `X-Signature` of a SPEI notice's raw body, as the SPEI provider signs it. */
export const speiSignature = (raw: string) => `sha256=${createHmac('sha256', SPEI_SECRET).update(raw).digest('hex')}`;
