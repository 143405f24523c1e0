// Buying a plan in the browser against the local fakes (PayPal's billing API and approval page,
// Mercado Pago's preapprovals and subscription page) and a node that takes SPEI: Ana buys Premium
// with PayPal (approved at PayPal's page, back in the app the welcome, and her billing tab, open
// all along, shows Premium live with its next renewal; she cancels it and sees when it ends);
// Bruno buys Basic with Mercado Pago (authorized at Mercado Pago's page, he waits back in the app
// until the first monthly charge, then the welcome shows live); Carla buys Pro by SPEI (the first
// transfer's instructions in the checkout sheet; when it is received the plan appears live on the
// open page). Screenshots at 390 px and 1366 px, axe audits.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { isClabe } from '../../server/payments/clabe.ts';
import { audit, screenshot, userContext } from '../harness/browser.ts';
import type { FakeMercadoPago } from '../harness/fake-mercadopago.ts';
import type { FakePayPal } from '../harness/fake-paypal.ts';
import { type Providers, speiSignature, startProviders } from '../harness/providers.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let providers: Providers;
let paypal: FakePayPal;
let mp: FakeMercadoPago;
let web: WebEnv;
beforeAll(async () => {
  providers = startProviders();
  ({ paypal, mp } = providers);
  web = await startWebEnv('plans-e2e', providers.env);
}, 120_000);
afterAll(async () => {
  await web?.close();
  providers?.close();
});

const within = { timeout: 20_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const welcome = (plan: string) => en['subscription.welcome'].replace('{plan}', plan);

async function signIn(page: Page, person: { username: string; password: string }): Promise<void> {
  await page.goto(`${web.env.node.url}/login`);
  await page.getByLabel(en['form.login']).fill(person.username);
  await page.getByLabel(en['form.password']).fill(person.password);
  await page.getByRole('button', { name: en['signIn.submit'] }).click();
  await page.getByTestId('presence-self').waitFor(within);
}

/** A month of a plan as the page formats it (its own language). */
const price = async (page: Page, minor: number, currency: 'USD' | 'MXN') =>
  new Intl.NumberFormat(await page.evaluate(() => document.documentElement.lang), { style: 'currency', currency }).format(minor / 100);

test('e2e: Ana buys Premium with PayPal: the plans in dollars, approval at PayPal, back in the app the welcome; her billing tab shows Premium live with its next renewal; she cancels and sees when it ends', async () => {
  const { env } = web;
  const ana = await env.register();
  const context = await userContext(web.browser, { locale: 'en-US', viewport: PHONE });
  const a = await context.newPage();
  await signIn(a, ana);

  // A second tab on billing all along: it sees the plan arrive.
  const other = await context.newPage();
  await other.goto(`${env.node.url}/billing`);
  await expect.poll(() => other.getByTestId('billing-renewal').textContent(), within).toBe(en['billing.onFree']);

  // From the treats screen to the plans.
  await a.goto(`${env.node.url}/wallet`);
  await a.getByRole('link', { name: en['plans.title'] }).click();
  await a.waitForURL('**/pricing', within);
  const pricing = a.getByTestId('pricing');
  await pricing.getByTestId('plan-free').getByTestId('plan-current').waitFor(within);
  expect(await pricing.getByTestId('plan-premium').getByTestId('plan-price').textContent()).toBe(await price(a, 999, 'USD'));
  expect(await pricing.getByTestId('plan-pro').textContent()).toContain(en['plans.entitlement.apiTokens']);
  await screenshot(a, 'plans-pricing-390');
  expect(await audit(a, 'pricing 390')).toEqual([]);

  await pricing.getByTestId('choose-premium').click();
  const sheet = a.getByTestId('plan-checkout');
  await sheet.waitFor(within);
  expect(await sheet.getByTestId('checkout-price').textContent()).toBe(await price(a, 999, 'USD'));
  // Dollars: no transfer by SPEI, and the sheet says why.
  expect(await sheet.locator('button[data-method="spei"]').isDisabled()).toBe(true);
  expect(await sheet.getByTestId('method-spei').textContent()).toContain(en['spei.mxnOnly']);
  await screenshot(a, 'plans-checkout-390');
  expect(await audit(a, 'checkout sheet 390')).toEqual([]);

  await sheet.locator('button[data-method="paypal"]').click();
  await a.waitForURL(`${paypal.url}/webapps/billing/subscriptions**`, within);
  expect(await a.textContent('body')).toContain('9.99 USD');
  await a.getByRole('button', { name: 'Agree & Subscribe' }).click();
  await a.waitForURL(/\/subscriptions\/[0-9a-f-]{36}\/return(\?.*)?$/, within);
  const result = a.getByTestId('subscription-result');
  await expect.poll(() => result.getByTestId('subscription-active').locator('h1').textContent(), within).toBe(welcome('Premium'));
  expect(await result.textContent()).toContain(en['plans.entitlement.creatorAnalytics']);
  await screenshot(a, 'plans-return-390');
  expect(await audit(a, 'return 390')).toEqual([]);

  // The billing tab heard it: Premium, active, renewed by PayPal in a month.
  await expect.poll(() => other.getByTestId('billing-plan-name').textContent(), within).toBe('Premium');
  await expect.poll(() => other.getByTestId('billing-status').textContent(), within).toBe(en['billing.status.active']);
  expect(await other.getByTestId('billing-renewal').textContent()).toMatch(/^Next renewal on .+: \$9\.99 with PayPal\.$/);

  await result.getByRole('link', { name: en['subscription.toBilling'] }).click();
  await a.waitForURL('**/billing', within);
  await expect.poll(() => a.getByTestId('billing-plan-name').textContent(), within).toBe('Premium');
  await expect.poll(() => a.getByTestId('billing-history').locator('li').count(), within).toBe(1);
  expect(await a.getByTestId('billing-history').textContent()).toContain(en['billing.payment.completed']);
  await screenshot(a, 'plans-billing-390');
  expect(await audit(a, 'billing 390')).toEqual([]);

  await a.setViewportSize(DESKTOP);
  await screenshot(a, 'plans-billing-1366');
  expect(await audit(a, 'billing 1366')).toEqual([]);
  await a.getByRole('link', { name: en['plans.title'] }).first().click();
  await a.waitForURL('**/pricing', within);
  await a.getByTestId('plan-premium').getByTestId('plan-current').waitFor(within);
  expect(await a.getByTestId('plan-basic').getByRole('button').isDisabled()).toBe(true);
  await screenshot(a, 'plans-pricing-1366');
  expect(await audit(a, 'pricing 1366')).toEqual([]);
  await a.getByTestId('choose-pro').click();
  await a.getByTestId('plan-checkout').waitFor(within);
  await screenshot(a, 'plans-checkout-1366');
  await a.keyboard.press('Escape');
  await a.getByTestId('plan-checkout').waitFor({ state: 'detached', ...within });

  // Cancelling asks first, then says when the plan ends; PayPal charges nothing more.
  await a.goto(`${env.node.url}/billing`);
  await a.getByTestId('billing-cancel').click();
  const ask = a.getByTestId('billing-cancel-dialog');
  await ask.waitFor(within);
  await screenshot(a, 'plans-cancel-1366');
  expect(await audit(a, 'cancel dialog 1366')).toEqual([]);
  await ask.getByRole('button', { name: en['billing.cancel'] }).click();
  await expect.poll(() => a.getByTestId('billing-status').textContent(), within).toBe(en['billing.status.canceled']);
  expect(await a.getByTestId('billing-renewal').textContent()).toMatch(/^Cancelled: your plan ends on .+\./);
  expect(await a.getByTestId('billing-cancel').count()).toBe(0);
  await context.close();
}, 180_000);

test('e2e: Bruno buys Basic with Mercado Pago: authorized at Mercado Pago, back in the app he waits for the first charge, and the welcome shows live when it is made', async () => {
  const { env } = web;
  const bruno = await env.register();
  const context = await userContext(web.browser, { locale: 'en-MX', viewport: PHONE });
  const b = await context.newPage();
  await signIn(b, bruno);
  await b.goto(`${env.node.url}/pricing`);
  const basic = b.getByTestId('plan-basic');
  // Pesos for a Mexican locale.
  await expect.poll(() => basic.getByTestId('plan-price').textContent(), within).toBe(await price(b, 9900, 'MXN'));
  await b.getByTestId('choose-basic').click();
  const sheet = b.getByTestId('plan-checkout');
  await sheet.locator('button[data-method="mercadopago"]').click();
  await b.waitForURL(`${mp.url}/subscriptions/checkout**`, within);
  expect(await b.textContent('body')).toContain('99 MXN every month');
  await b.getByRole('button', { name: 'Subscribe' }).click();
  await b.waitForURL(/\/subscriptions\/[0-9a-f-]{36}\/return\?.*preapproval_id=/, within);
  const result = b.getByTestId('subscription-result');
  await expect.poll(() => result.getByTestId('subscription-pending').textContent(), within).toContain('waiting for its first payment');
  await screenshot(b, 'plans-return-pending-390');

  // Mercado Pago makes the first monthly charge: notified, the plan starts, the page shows it.
  const preapprovalId = new URL(b.url()).searchParams.get('preapproval_id') as string;
  mp.charge(preapprovalId);
  await mp.settled();
  await expect.poll(() => result.getByTestId('subscription-active').locator('h1').textContent(), within).toBe(welcome('Basic'));
  await b.goto(`${env.node.url}/billing`);
  await expect.poll(() => b.getByTestId('billing-plan-name').textContent(), within).toBe('Basic');
  expect(await b.getByTestId('billing-renewal').textContent()).toContain('with Mercado Pago');
  await context.close();
}, 120_000);

test('e2e: Carla buys Pro by SPEI: the first transfer’s instructions in the sheet; when it is received Pro appears live on the open page; billing says renewal is by transfer', async () => {
  const { env } = web;
  const carla = await env.register();
  const context = await userContext(web.browser, { locale: 'en-MX', viewport: PHONE });
  const c = await context.newPage();
  await signIn(c, carla);
  await c.goto(`${env.node.url}/pricing`);
  await c.getByTestId('choose-pro').click();
  const sheet = c.getByTestId('plan-checkout');
  await sheet.locator('button[data-method="spei"]').click();
  await sheet.getByTestId('spei-instructions').waitFor(within);
  const clabe = ((await sheet.getByTestId('spei-clabe').textContent()) ?? '').replace(/\s/g, '');
  expect(isClabe(clabe)).toBe(true);
  expect(await sheet.getByTestId('spei-amount').textContent()).toBe(await price(c, 39900, 'MXN'));
  expect(await sheet.textContent()).toContain('Your Pro plan starts as soon as the transfer is received.');
  await screenshot(c, 'plans-spei-390');
  expect(await audit(c, 'plan spei instructions 390')).toEqual([]);

  const raw = JSON.stringify({
    id: `evt_${crypto.randomUUID()}`,
    type: 'spei.received',
    data: { clabe, amount: '399.00', currency: 'MXN', tracking_key: 'STP20261207PLAN' },
  });
  const answer = await fetch(`${env.node.url}/webhooks/spei`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': speiSignature(raw) },
    body: raw,
  });
  expect(answer.status).toBe(200);
  await expect.poll(() => sheet.getByTestId('plan-started').textContent(), within).toContain(en['plans.started'].replace('{plan}', 'Pro'));
  await sheet.getByRole('button', { name: en['apiTokens.done'] }).click();
  await c.getByTestId('plan-pro').getByTestId('plan-current').waitFor(within);

  await c.goto(`${env.node.url}/billing`);
  await expect.poll(() => c.getByTestId('billing-plan-name').textContent(), within).toBe('Pro');
  expect(await c.getByTestId('billing-renewal').textContent()).toMatch(
    /Plans paid by SPEI renew by transfer: the next transfer’s details come 5 days before/,
  );
  // Pro's allowance: claimed into the wallet.
  await c.getByTestId('billing-claim').click();
  await expect
    .poll(() => c.getByTestId('billing-claimed').textContent(), within)
    .toBe(en['billing.claimed'].replace('{treats}', '100 treats'));
  await c.setViewportSize(DESKTOP);
  await screenshot(c, 'plans-billing-spei-1366');
  expect(await audit(c, 'billing spei 1366')).toEqual([]);
  await context.close();
}, 120_000);
