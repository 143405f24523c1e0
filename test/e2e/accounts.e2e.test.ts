// The web client in headless Chromium against a real node (real PostgreSQL, Redis, NATS, SMTP):
// sign up on a phone-sized screen, confirm the address from the mail received, see the session
// connected and the user online; sign in with two-factor in Spanish; the Arabic interface reads
// right to left. Screenshots of each screen are kept in .test-results/screenshots.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../client/src/i18n/messages/ar.ts';
import { en, type Messages } from '../../client/src/i18n/messages/en.ts';
import { es } from '../../client/src/i18n/messages/es.ts';
import { base32Decode, totp } from '../../server/accounts/totp.ts';
import { type AccountsEnv, newIdentity, PASSWORD, startAccountsEnv } from '../harness/accounts.ts';
import { connectionOf, launchBrowser, screenshot, userContext } from '../harness/browser.ts';
import { linkToken } from '../harness/mailbox.ts';
import { befriend } from '../harness/social.ts';

let env: AccountsEnv;
let browser: Browser;
beforeAll(async () => {
  env = await startAccountsEnv('e2e', { CLIENT_DIR: new URL('../../client/dist', import.meta.url).pathname });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await env.close();
});

describe('web client', () => {
  test('e2e: sign up, confirm from the mail, and be online on the home screen (English, 360 px)', async () => {
    const context = await userContext(browser, { locale: 'en-US' });
    const page = await context.newPage();
    const identity = newIdentity('web');
    await page.goto(`${env.node.url}/signup`);
    await page.getByLabel(en['form.email']).fill(identity.email);
    await page.getByLabel(en['form.username']).fill(identity.username);
    await page.getByLabel(en['form.password']).fill(PASSWORD);
    await screenshot(page, 'signup-en');
    await page.getByRole('button', { name: en['signUp.submit'] }).click();
    await page.getByRole('status').filter({ hasText: identity.email }).waitFor();

    const token = linkToken(await env.mailbox.waitFor(identity.email, /Confirm your email/), '/verify-email');
    await page.goto(`${env.node.url}/verify-email?token=${token}`);
    await page.getByTestId('verified').waitFor();
    await screenshot(page, 'verified-en');

    await page.goto(`${env.node.url}/`);
    // Home is the feed, inside the app's navigation.
    await page.getByRole('heading', { name: en['feed.title'] }).waitFor();
    await page.getByRole('navigation', { name: en['nav.main'] }).getByRole('link', { name: en['nav.home'], exact: true }).waitFor();
    await expect.poll(async () => connectionOf(page), { timeout: 10_000 }).toBe('open');
    // The connection state shows only while it is not open.
    expect(await page.getByTestId('connection').count()).toBe(0);
    await expect.poll(async () => page.getByTestId('presence-self').getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'home-en');
    await context.close();
  });

  test('e2e: sign in with two-factor, in Spanish', async () => {
    const user = await env.register({ language: 'es' });
    const setup = await user.client.post<{ secret: string }>('/auth/2fa/setup', {}, user.tokens.accessToken);
    const secret = base32Decode(setup.body.secret);
    await user.client.post('/auth/2fa/enable', { code: totp(secret, Date.now()), password: user.password }, user.tokens.accessToken);

    const context = await userContext(browser, { locale: 'es-MX' });
    const page = await context.newPage();
    await page.goto(`${env.node.url}/login`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es-MX');
    await page.getByLabel(es['form.login']).fill(user.username);
    await page.getByLabel(es['form.password']).fill(user.password);
    await page.getByRole('button', { name: es['signIn.submit'] }).click();
    await page.getByLabel(es['form.code']).waitFor();
    await screenshot(page, 'two-factor-es');
    await page.getByLabel(es['form.code']).fill(totp(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: es['signIn.submit'] }).click();
    await page.getByTestId('presence-self').waitFor();
    await screenshot(page, 'home-es');
    await context.close();
  });

  test('e2e: the Arabic interface is right to left', async () => {
    const context = await userContext(browser, { locale: 'ar' });
    const page = await context.newPage();
    await page.goto(`${env.node.url}/login`);
    await page.getByRole('heading', { name: ar['signIn.title'] }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await screenshot(page, 'login-ar');
    await context.close();
  });

  test('e2e: two friends in separate browsers see each other online, and offline when one leaves', async () => {
    const alice = await env.register();
    const bob = await env.register({ language: 'es' });
    // Presence is shown to friends only.
    await befriend(env.node, alice, bob);
    const signIn = async (locale: string, user: { username: string; password: string }, labels: Messages) => {
      const context = await userContext(browser, { locale });
      const page = await context.newPage();
      await page.goto(`${env.node.url}/login`);
      await page.getByLabel(labels['form.login']).fill(user.username);
      await page.getByLabel(labels['form.password']).fill(user.password);
      await page.getByRole('button', { name: labels['signIn.submit'] }).click();
      await page.getByTestId('presence-self').waitFor();
      return { context, page };
    };
    const a = await signIn('en-US', alice, en);
    const b = await signIn('es-MX', bob, es);
    // Each opens the other's profile, which shows their presence live.
    await b.page.goto(`${env.node.url}/u/${alice.username}`);
    await expect.poll(() => b.page.getByTestId('profile-presence').getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    await a.page.goto(`${env.node.url}/u/${bob.username}`);
    await expect.poll(() => a.page.getByTestId('profile-presence').getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    await screenshot(b.page, 'friend-online-es');
    await a.context.close();
    await expect.poll(() => b.page.getByTestId('profile-presence').getAttribute('data-status'), { timeout: 10_000 }).toBe('offline');
    await screenshot(b.page, 'friend-offline-es');
    await b.context.close();
  });

  test('e2e: signing in works with the keyboard alone, and the skip link comes first', async () => {
    const user = await env.register();
    const context = await userContext(browser, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.node.url}/login`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en['nav.skipToContent']);
    await page.getByLabel(en['form.login']).focus();
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('presence-self').getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    // On a desktop the side rail holds the navigation, with labels; no phone bars.
    await page.getByRole('navigation', { name: en['nav.main'] }).getByRole('link', { name: en['nav.explore'] }).waitFor();
    expect(await page.locator('.nav-bottom').count()).toBe(0);
    await screenshot(page, 'home-desktop-en');
    await context.close();
  });
});
