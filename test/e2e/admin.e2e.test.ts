// The staff screens in the browser, on a node that takes SPEI: an admin finds a buyer's pending
// SPEI payment in "SPEI to confirm", confirms the transfer in its dialog (the amount typed in
// pesos) and the buyer's treats arrive; refunds part of it from the payments list; approves one
// verification request and rejects another with a reason, each person told; a normal account
// opening the staff area sees the refusal and its page asks the server nothing. Screenshots at
// 390 px and 1366 px of the lists and the dialogs, axe audits.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ar } from '../../client/src/i18n/messages/ar.ts';
import { en } from '../../client/src/i18n/messages/en.ts';
import type { RegisteredUser } from '../harness/accounts.ts';
import { audit, chooseLanguage, screenshot, userContext } from '../harness/browser.ts';
import { givePlan } from '../harness/plans.ts';
import { type Providers, startProviders } from '../harness/providers.ts';
import { memberPool } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let providers: Providers;
let web: WebEnv;
let pool: ReturnType<typeof memberPool>;
let admin: RegisteredUser;
beforeAll(async () => {
  providers = startProviders();
  web = await startWebEnv('admin-e2e', providers.env);
  pool = memberPool(web.env);
  admin = await web.env.register();
  await web.env.setRole(admin.id, 'admin');
}, 120_000);
afterAll(async () => {
  pool?.closeAll();
  await web?.close();
  providers?.close();
});

const within = { timeout: 20_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

async function signIn(page: Page, person: { username: string; password: string }): Promise<void> {
  await page.goto(`${web.env.node.url}/login`);
  await page.getByLabel(en['form.login']).fill(person.username);
  await page.getByLabel(en['form.password']).fill(person.password);
  await page.getByRole('button', { name: en['signIn.submit'] }).click();
  await page.getByTestId('presence-self').waitFor(within);
}

/** An amount as the page formats it (its own language). */
const price = async (page: Page, minor: number, currency: 'USD' | 'MXN') =>
  new Intl.NumberFormat(await page.evaluate(() => document.documentElement.lang), { style: 'currency', currency }).format(minor / 100);

test('e2e: an admin confirms a pending SPEI payment in its dialog and the buyer’s treats arrive; then refunds part of it from the payments list', async () => {
  const { env } = web;
  const dora = await pool.member();
  const payment = await dora.call('payments.checkout', { packId: 'treats_550', method: 'spei', currency: 'MXN' });
  expect(payment.status).toBe('created');

  const context = await userContext(web.browser, { locale: 'en-MX', viewport: PHONE });
  const a = await context.newPage();
  await signIn(a, admin);
  // From the settings (on phones the way to the staff area) to the SPEI queue.
  await a.goto(`${env.node.url}/settings/profile`);
  await a.getByRole('link', { name: en['nav.staff'] }).click();
  await a.waitForURL('**/staff/payments', within);
  await a.getByRole('link', { name: en['staff.speiQueue'] }).click();
  await a.waitForURL('**/staff/payments/spei', within);
  const row = a.getByTestId(`staff-payment-${payment.id}`);
  await row.waitFor(within);
  expect(await row.textContent()).toContain(`@${dora.user.username}`);
  expect(await row.getByTestId('staff-payment-amount').textContent()).toBe(await price(a, 9900, 'MXN'));
  await screenshot(a, 'admin-spei-queue-390');
  expect(await audit(a, 'spei queue 390')).toEqual([]);

  await row.getByRole('button', { name: en['staff.confirmSpei'] }).click();
  const dialog = a.getByTestId('spei-confirm-dialog');
  await dialog.waitFor(within);
  const amount = dialog.getByLabel(en['staff.amountReceived'].replace('{currency}', 'MXN'));
  // Empty: the admin types what the bank account shows.
  expect(await amount.inputValue()).toBe('');
  await amount.fill('99');
  // A tracking key with a space: refused in the dialog, nothing sent.
  await dialog.getByLabel(en['staff.trackingKey']).fill('STP 2026');
  await dialog.getByRole('button', { name: en['staff.confirmSpei'] }).click();
  await expect.poll(() => dialog.getByRole('alert').textContent(), within).toBe(en['staff.trackingKeyInvalid']);
  await dialog.getByLabel(en['staff.trackingKey']).fill('STP2026120700042');
  await screenshot(a, 'admin-spei-dialog-390');
  expect(await audit(a, 'spei dialog 390')).toEqual([]);
  await dialog.getByRole('button', { name: en['staff.confirmSpei'] }).click();
  await dialog.waitFor({ state: 'detached', ...within });
  // The row completes in place; the buyer has the treats.
  await expect.poll(() => row.getByTestId('staff-payment-status').textContent(), within).toBe(en['billing.payment.completed']);
  expect(await row.getByRole('button', { name: en['staff.confirmSpei'] }).count()).toBe(0);
  await expect.poll(async () => (await dora.call('treats.balance', {})).wallet, within).toBe(550);

  // The whole list, newest first: a part of it refunded.
  await a.getByRole('link', { name: en['staff.payments'] }).click();
  await a.waitForURL('**/staff/payments', within);
  const listed = a.getByTestId(`staff-payment-${payment.id}`);
  await listed.getByRole('button', { name: en['staff.refund'] }).click();
  const refund = a.getByTestId('refund-dialog');
  await refund.waitFor(within);
  await refund.getByLabel(en['staff.refundPart']).check();
  await refund.getByLabel(en['staff.refundAmount'].replace('{currency}', 'MXN')).fill('120');
  await refund.getByLabel(en['staff.reason']).fill('Ten days of outage');
  await refund.getByRole('button', { name: en['staff.refund'] }).click();
  // More than was paid: the server's typed refusal, the dialog stays.
  await expect
    .poll(() => refund.getByRole('alert').textContent(), within)
    .toBe(`${en['staff.refundTooMuch'].replace('{amount}', await price(a, 9900, 'MXN'))} (INVALID_INPUT)`);
  await refund.getByLabel(en['staff.refundAmount'].replace('{currency}', 'MXN')).fill('33.30');
  await screenshot(a, 'admin-refund-dialog-390');
  expect(await audit(a, 'refund dialog 390')).toEqual([]);
  await refund.getByRole('button', { name: en['staff.refund'] }).click();
  await refund.waitFor({ state: 'detached', ...within });
  await expect
    .poll(() => listed.getByTestId('staff-payment-refunded').textContent(), within)
    .toBe(en['staff.refunded'].replace('{amount}', await price(a, 3330, 'MXN')));
  // Focus went back to the refund button (part of it is still refundable).
  expect(await a.evaluate(() => document.activeElement?.textContent)).toBe(en['staff.refund']);
  expect(await dora.call('payments.get', { paymentId: payment.id })).toMatchObject({ status: 'completed', refundedMinor: 3330 });
  await screenshot(a, 'admin-payments-390');

  await a.setViewportSize(DESKTOP);
  await screenshot(a, 'admin-payments-1366');
  expect(await audit(a, 'payments 1366')).toEqual([]);
  await listed.getByRole('button', { name: en['staff.refund'] }).click();
  await refund.waitFor(within);
  await screenshot(a, 'admin-refund-dialog-1366');
  expect(await audit(a, 'refund dialog 1366')).toEqual([]);
  await a.keyboard.press('Escape');
  await refund.waitFor({ state: 'detached', ...within });

  // Right to left, on a phone: the same list in Arabic.
  await a.setViewportSize(PHONE);
  await chooseLanguage(a, 'ar');
  await listed.waitFor(within);
  expect(await a.getByRole('heading', { level: 1 }).textContent()).toBe(ar['staff.payments']);
  await screenshot(a, 'admin-payments-ar-390');
  expect(await audit(a, 'payments ar 390')).toEqual([]);
  await context.close();
}, 180_000);

test('e2e: an admin approves one verification request and rejects another with a reason; each person is told', async () => {
  const { env } = web;
  const db = env.node.platform.database.db;
  const [ana, bruno] = [await pool.member(), await pool.member()];
  await givePlan(db, ana.id, 'premium');
  await givePlan(db, bruno.id, 'premium');
  const asked = await ana.call('verification.request', {
    category: 'shelter',
    note: 'Refugio Patitas, Coyoacán',
    links: ['https://patitas.example.org/about'],
  });
  const other = await bruno.call('verification.request', { category: 'vet', note: '', links: ['https://vet.example.org'] });

  const context = await userContext(web.browser, { locale: 'en-US', viewport: PHONE });
  const a = await context.newPage();
  await signIn(a, admin);
  await a.goto(`${env.node.url}/staff/verification`);
  const first = a.getByTestId(`staff-request-${asked.id}`);
  const second = a.getByTestId(`staff-request-${other.id}`);
  await first.waitFor(within);
  expect(await first.textContent()).toContain(`@${ana.user.username}`);
  await screenshot(a, 'admin-verification-390');
  expect(await audit(a, 'verification 390')).toEqual([]);

  await first.getByRole('button', { name: en['staff.approve'] }).click();
  await expect.poll(() => first.getByTestId('staff-request-status').textContent(), within).toBe(en['staff.request.approved']);
  await expect.poll(async () => (await ana.call('verification.status', {})).verified, within).toBe(true);

  await second.getByRole('button', { name: en['staff.reject'] }).click();
  const dialog = a.getByTestId('reject-dialog');
  await dialog.waitFor(within);
  await dialog.getByLabel(en['staff.rejectReason']).fill('The page does not show the clinic’s licence.');
  await screenshot(a, 'admin-reject-dialog-390');
  expect(await audit(a, 'reject dialog 390')).toEqual([]);
  await dialog.getByRole('button', { name: en['staff.reject'] }).click();
  await dialog.waitFor({ state: 'detached', ...within });
  await expect.poll(() => second.getByTestId('staff-request-status').textContent(), within).toBe(en['staff.request.rejected']);
  expect(await bruno.call('verification.status', {})).toMatchObject({
    verified: false,
    request: { status: 'rejected', reason: 'The page does not show the clinic’s licence.' },
  });
  await a.setViewportSize(DESKTOP);
  await screenshot(a, 'admin-verification-1366');
  expect(await audit(a, 'verification 1366')).toEqual([]);
  await context.close();
}, 120_000);

test('e2e: a normal account opening the staff area sees the refusal; its page asks the server nothing, and the API answers 403', async () => {
  const { env } = web;
  const carla = await env.register();
  const context = await userContext(web.browser, { locale: 'en-US', viewport: PHONE });
  const c = await context.newPage();
  await signIn(c, carla);
  const asked: string[] = [];
  c.on('request', (request) => {
    if (['fetch', 'xhr'].includes(request.resourceType()) && new URL(request.url()).pathname.startsWith('/admin/'))
      asked.push(request.url());
  });
  await c.goto(`${env.node.url}/staff/payments`);
  const refused = c.getByTestId('staff-refused');
  await refused.waitFor(within);
  expect(await refused.textContent()).toContain(en['staff.refused']);
  expect(await c.getByTestId('staff-payments').count()).toBe(0);
  // The page's session resumed (its refresh token rotated, the socket up) before the next load, or
  // that load would present the rotated-away token and be signed out as a replay.
  await c.getByTestId('presence-self').waitFor(within);
  await c.goto(`${env.node.url}/staff/verification`);
  await refused.waitFor(within);
  expect(asked).toEqual([]);
  await screenshot(c, 'admin-refused-390');
  expect(await audit(c, 'refused 390')).toEqual([]);
  const api = await env.client().request<{ error: { code: string } }>('GET', '/admin/payments', { token: carla.tokens.accessToken });
  expect([api.status, api.body.error.code]).toEqual([403, 'FORBIDDEN']);
  await context.close();
}, 120_000);
