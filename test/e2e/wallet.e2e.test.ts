// Buying treats in the browser against the local fake PayPal (its real REST API and approval page):
// Ana opens Treats, sees the packs in pesos (her browser's locale is en-MX), buys 550 with PayPal, approves
// at PayPal's page and comes back to the app, which completes the payment; her wallet shows 550
// and the purchase in its history, also on a second tab that was open meanwhile (live). Cancelling
// at PayPal says nothing was charged. Screenshots at 390 px and 1366 px, axe audit.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { audit, screenshot, userContext } from '../harness/browser.ts';
import { type FakePayPal, startFakePayPal } from '../harness/fake-paypal.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

const credentials = { clientId: 'petamigos-e2e-app', clientSecret: 'petamigos-e2e-secret', webhookId: '4JH86294D6297924G' };
let paypal: FakePayPal;
let web: WebEnv;
beforeAll(async () => {
  paypal = startFakePayPal(credentials);
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
  });
  paypal.setWebhookUrl(`${web.env.node.url}/webhooks/paypal`);
}, 120_000);
afterAll(async () => {
  await web?.close();
  paypal?.close();
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
  await pack.getByRole('button').click();
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
  await a.getByTestId('pack-treats_100').getByRole('button').click();
  await a.waitForURL(`${paypal.url}/checkoutnow**`, within);
  await a.getByRole('button', { name: 'Cancel' }).click();
  await a.getByTestId('payment-cancelled').waitFor(within);
  expect(await a.getByTestId('payment-cancelled').textContent()).toContain(en['payment.cancelled']);
  await screenshot(a, 'wallet-payment-cancelled-390');
  await a.goto(`${env.node.url}/wallet`);
  await expect.poll(() => a.getByTestId('wallet-balance').textContent(), within).toBe('550');
  await context.close();
}, 180_000);
