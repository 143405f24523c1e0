// Buying treats in the browser against the local fake PayPal (its real REST API and approval page):
// Ana opens Treats, sees the packs in pesos (her browser's locale is en-MX), buys 550 with PayPal, approves
// at PayPal's page and comes back to the app, which completes the payment; her wallet shows 550
// and the purchase in its history, also on a second tab that was open meanwhile (live). Cancelling
// at PayPal says nothing was charged. Screenshots at 390 px and 1366 px, axe audit.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { isClabe } from '../../server/payments/clabe.ts';
import { audit, screenshot, userContext } from '../harness/browser.ts';
import { type FakeMercadoPago, startFakeMercadoPago } from '../harness/fake-mercadopago.ts';
import { type FakePayPal, startFakePayPal } from '../harness/fake-paypal.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

const credentials = { clientId: 'petamigos-e2e-app', clientSecret: 'petamigos-e2e-secret', webhookId: '4JH86294D6297924G' };
const SPEI_SECRET = 'petamigos-e2e-spei-secret';
const mpCredentials = { accessToken: 'TEST-petamigos-e2e-token', webhookSecret: 'petamigos-e2e-webhook-secret' };
let paypal: FakePayPal;
let mp: FakeMercadoPago;
let web: WebEnv;
beforeAll(async () => {
  paypal = startFakePayPal(credentials);
  mp = startFakeMercadoPago(mpCredentials);
  // PayPal sends the buyer back to APP_URL: the node's own address here, so a port chosen first.
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = String(probe.port);
  probe.stop(true);
  web = await startWebEnv('wallet-e2e', {
    PORT: port,
    APP_URL: `http://127.0.0.1:${port}`,
    PAYPAL_CLIENT_ID: credentials.clientId,
    PAYPAL_CLIENT_SECRET: credentials.clientSecret,
    PAYPAL_WEBHOOK_ID: credentials.webhookId,
    PAYPAL_API_URL: paypal.url,
    MERCADOPAGO_ACCESS_TOKEN: mpCredentials.accessToken,
    MERCADOPAGO_WEBHOOK_SECRET: mpCredentials.webhookSecret,
    MERCADOPAGO_API_URL: mp.url,
    SPEI_CLABE_PREFIX: '6461801570',
    SPEI_WEBHOOK_SECRET: SPEI_SECRET,
  });
  paypal.setWebhookUrl(`${web.env.node.url}/webhooks/paypal`);
}, 120_000);
afterAll(async () => {
  await web?.close();
  paypal?.close();
  mp?.close();
});

const within = { timeout: 20_000 };
const PHONE = { width: 390, height: 844 };

test('e2e: Ana buys 550 treats with PayPal: packs in pesos, approval at PayPal, back in the app the payment completes and the wallet shows them, live on her other tab', async () => {
  const { env } = web;
  const ana = await env.register();
  // English of Mexico: the page in English, prices in pesos by default.
  const context = await userContext(web.browser, { locale: 'en-MX', viewport: PHONE });
  const a = await context.newPage();
  await a.goto(`${env.node.url}/login`);
  await a.getByLabel(en['form.login']).fill(ana.username);
  await a.getByLabel(en['form.password']).fill(ana.password);
  await a.getByRole('button', { name: en['signIn.submit'] }).click();
  await a.getByTestId('presence-self').waitFor(within);

  // A second tab on the wallet all along: it sees the treats arrive.
  const other = await context.newPage();
  await other.goto(`${env.node.url}/wallet`);
  await other.getByTestId('wallet').waitFor(within);

  await a.getByRole('link', { name: en['nav.wallet'] }).first().click();
  await a.waitForURL('**/wallet', within);
  const wallet = a.getByTestId('wallet');
  await expect.poll(() => wallet.getByTestId('wallet-balance').textContent(), within).toBe('0');
  const pack = wallet.getByTestId('pack-treats_550');
  await expect.poll(() => pack.textContent(), within).toMatch(/550/);
  // Pesos: 99 MXN, formatted for the page's language.
  expect(await pack.textContent()).toContain(
    new Intl.NumberFormat(await a.evaluate(() => document.documentElement.lang), { style: 'currency', currency: 'MXN' }).format(99),
  );
  await screenshot(a, 'wallet-390');
  expect(await audit(a, 'wallet 390')).toEqual([]);

  // Buy: off to PayPal's approval page, which says what is being paid.
  await pack.locator('button[data-method="paypal"]').click();
  await a.waitForURL(`${paypal.url}/checkoutnow**`, within);
  expect(await a.textContent('body')).toContain('99.00');
  await a.getByRole('button', { name: 'Pay now' }).click();
  await a.waitForURL(/\/payments\/[0-9a-f-]{36}\/return(\?.*)?$/, within);
  const result = a.getByTestId('payment-result');
  await expect
    .poll(() => result.getByTestId('payment-completed').textContent(), within)
    .toContain(en['payment.completed'].replace('{count, plural, one {# treat was} other {# treats were}}', '550 treats were'));
  await screenshot(a, 'wallet-payment-completed-390');

  // The other tab heard it: 550 in the wallet, the purchase on top of the history.
  await expect.poll(() => other.getByTestId('wallet-balance').textContent(), within).toBe('550');
  await expect
    .poll(() => other.getByTestId('wallet-history').locator('li').first().textContent(), within)
    .toContain(en['wallet.kind.purchase']);

  await result.getByRole('link', { name: en['payment.backToWallet'] }).click();
  await a.waitForURL('**/wallet', within);
  await expect.poll(() => a.getByTestId('wallet-balance').textContent(), within).toBe('550');
  await a.setViewportSize({ width: 1366, height: 900 });
  await screenshot(a, 'wallet-1366');
  expect(await audit(a, 'wallet 1366')).toEqual([]);

  // Cancelling at PayPal: nothing charged, nothing credited.
  await a.setViewportSize(PHONE);
  await a.getByTestId('pack-treats_100').locator('button[data-method="paypal"]').click();
  await a.waitForURL(`${paypal.url}/checkoutnow**`, within);
  await a.getByRole('button', { name: 'Cancel' }).click();
  await a.getByTestId('payment-cancelled').waitFor(within);
  expect(await a.getByTestId('payment-cancelled').textContent()).toContain(en['payment.cancelled']);
  await screenshot(a, 'wallet-payment-cancelled-390');
  await a.goto(`${env.node.url}/wallet`);
  await expect.poll(() => a.getByTestId('wallet-balance').textContent(), within).toBe('550');
  await context.close();
}, 180_000);

test('e2e: Bruno pays cash with Mercado Pago: back in the app he is told his treats come once it is paid; paid at the store, they arrive live', async () => {
  const { env } = web;
  const bruno = await env.register();
  const context = await userContext(web.browser, { locale: 'en-MX', viewport: PHONE });
  const b = await context.newPage();
  await b.goto(`${env.node.url}/login`);
  await b.getByLabel(en['form.login']).fill(bruno.username);
  await b.getByLabel(en['form.password']).fill(bruno.password);
  await b.getByRole('button', { name: en['signIn.submit'] }).click();
  await b.getByTestId('presence-self').waitFor(within);
  await b.goto(`${env.node.url}/wallet`);
  const pack = b.getByTestId('pack-treats_550');
  await pack.locator('button[data-method="mercadopago"]').waitFor(within);
  await screenshot(b, 'wallet-two-methods-390');
  await pack.locator('button[data-method="mercadopago"]').click();
  await b.waitForURL(`${mp.url}/checkout/v1/redirect**`, within);
  expect(await b.textContent('body')).toContain('99 MXN');
  await b.getByRole('button', { name: 'Pay in cash' }).click();
  await b.waitForURL(/\/payments\/[0-9a-f-]{36}\/return(\?.*)?$/, within);
  await expect.poll(() => b.getByTestId('payment-waiting').textContent(), within).toBe(en['payment.pending']);
  await screenshot(b, 'wallet-payment-pending-390');
  const paymentId = new URL(b.url()).pathname.split('/')[2] as string;

  // Paid at the store: Mercado Pago's notification completes it, and the wallet shows it live.
  await b.getByRole('link', { name: en['payment.backToWallet'] }).click();
  await b.waitForURL('**/wallet', within);
  const ticket = mp.payments.find((each) => (each as { external_reference?: string }).external_reference === paymentId) as { id: number };
  mp.completeCash(ticket.id);
  await mp.settled();
  await expect.poll(() => b.getByTestId('wallet-balance').textContent(), within).toBe('550');
  await context.close();
}, 120_000);

test('e2e: Carla pays 100 treats by SPEI: her payment’s own CLABE and reference with copy buttons; when the bank transfer is received, the treats arrive live', async () => {
  const { env } = web;
  const carla = await env.register();
  const context = await userContext(web.browser, { locale: 'en-MX', viewport: PHONE });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.node.url });
  const c = await context.newPage();
  await c.goto(`${env.node.url}/login`);
  await c.getByLabel(en['form.login']).fill(carla.username);
  await c.getByLabel(en['form.password']).fill(carla.password);
  await c.getByRole('button', { name: en['signIn.submit'] }).click();
  await c.getByTestId('presence-self').waitFor(within);
  await c.goto(`${env.node.url}/wallet`);
  // Pesos only: no SPEI button in dollars.
  await c.getByRole('button', { name: 'USD' }).click();
  expect(await c.getByTestId('pack-treats_100').locator('button[data-method="spei"]').count()).toBe(0);
  await c.getByRole('button', { name: 'MXN' }).click();
  await c.getByTestId('pack-treats_100').locator('button[data-method="spei"]').click();
  const dialog = c.getByTestId('spei-dialog');
  await dialog.waitFor(within);
  const clabe = ((await dialog.getByTestId('spei-clabe').textContent()) ?? '').replace(/\s/g, '');
  expect(isClabe(clabe)).toBe(true);
  expect(await dialog.getByTestId('spei-reference').textContent()).toBe(clabe.slice(10, 17));
  await dialog.getByRole('button', { name: `${en['spei.copy']}: ${en['spei.clabe']}` }).click();
  await expect.poll(() => c.evaluate(() => navigator.clipboard.readText()), within).toBe(clabe);
  await screenshot(c, 'wallet-spei-390');
  expect(await audit(c, 'spei instructions 390')).toEqual([]);
  await c.keyboard.press('Escape');
  await c.getByTestId('wallet-waiting').waitFor(within);

  // The provider tells the node the transfer came in: the treats arrive, nothing waits any more.
  const raw = JSON.stringify({
    id: `evt_${crypto.randomUUID()}`,
    type: 'spei.received',
    data: { clabe, amount: '19.00', currency: 'MXN', tracking_key: 'STP20261207E2E' },
  });
  const answer = await fetch(`${env.node.url}/webhooks/spei`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': `sha256=${createHmac('sha256', SPEI_SECRET).update(raw).digest('hex')}` },
    body: raw,
  });
  expect(answer.status).toBe(200);
  await expect.poll(() => c.getByTestId('wallet-balance').textContent(), within).toBe('100');
  await expect.poll(() => c.getByTestId('wallet-waiting').count(), within).toBe(0);
  await c.setViewportSize({ width: 1366, height: 900 });
  await screenshot(c, 'wallet-spei-paid-1366');
  await context.close();
}, 120_000);
