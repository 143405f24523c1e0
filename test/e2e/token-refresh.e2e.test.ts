// With access tokens that live 65 s, a signed-in page keeps one WebSocket past the first token's
// expiry: the client refreshes the token a minute early over HTTP and hands it to the open
// socket, instead of being closed with TOKEN_EXPIRED and reconnecting. The refresh token is an
// HttpOnly cookie; two pages of one browser, whose timers come due together every few seconds,
// take turns (Web Lock) and both stay signed in, never presenting a rotated token twice.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { type AccountsEnv, startAccountsEnv } from '../harness/accounts.ts';
import { connectionOf, launchBrowser, userContext } from '../harness/browser.ts';

const TTL_SECONDS = 65;
let env: AccountsEnv;
let browser: Browser;
beforeAll(async () => {
  env = await startAccountsEnv('e2e_refresh', {
    CLIENT_DIR: new URL('../../client/dist', import.meta.url).pathname,
    AUTH_ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS),
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await env.close();
});

test('e2e: the app refreshes its token on the open socket and keeps one connection past the first token', async () => {
  const user = await env.register();
  const context = await userContext(browser);
  const page = await context.newPage();
  let sockets = 0;
  let refreshes = 0;
  page.on('websocket', () => {
    sockets++;
  });
  page.on('request', (request) => {
    if (request.url().endsWith('/auth/refresh')) refreshes++;
  });
  await page.goto(`${env.node.url}/login`);
  await page.getByLabel(en['form.login']).fill(user.username);
  await page.getByLabel(en['form.password']).fill(user.password);
  await page.getByRole('button', { name: en['signIn.submit'] }).click();
  await expect.poll(() => connectionOf(page), { timeout: 10_000 }).toBe('open');
  const signedInAt = Date.now();

  // Past the first access token's expiry, with margin for the server's check.
  await page.waitForTimeout(Math.max(0, signedInAt + (TTL_SECONDS + 5) * 1000 - Date.now()));
  expect(refreshes).toBeGreaterThanOrEqual(1);
  expect(sockets).toBe(1);
  expect(await connectionOf(page)).toBe('open');
  // The status is set in the settings, reached in the app (the same socket).
  await page.getByRole('link', { name: en['nav.settings'] }).click();
  await page.getByLabel(en['home.status']).fill('Still here after the refresh');
  await page.getByRole('button', { name: en['home.statusSave'] }).click();
  await page.getByText(en['home.statusSaved']).waitFor();
  await context.close();
}, 120_000);

test('e2e: two pages of one browser refresh through the shared HttpOnly cookie, one at a time, and both stay signed in', async () => {
  const user = await env.register();
  const context = await userContext(browser);
  const first = await context.newPage();
  const refreshes: { status: number; body: string }[] = [];
  context.on('response', async (response) => {
    if (response.url().endsWith('/auth/refresh')) refreshes.push({ status: response.status(), body: await response.text() });
  });
  await first.goto(`${env.node.url}/login`);
  await first.getByLabel(en['form.login']).fill(user.username);
  await first.getByLabel(en['form.password']).fill(user.password);
  await first.getByRole('button', { name: en['signIn.submit'] }).click();
  await expect.poll(() => connectionOf(first), { timeout: 10_000 }).toBe('open');

  const cookie = (await context.cookies()).find((each) => each.name === 'refresh');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });
  expect(await first.evaluate(() => document.cookie)).not.toContain('refresh=');
  const stored = await first.evaluate(() => JSON.stringify(localStorage));
  expect(stored).not.toContain(cookie?.value as string);
  expect(stored).not.toContain('accessToken');
  expect(await first.evaluate(() => typeof navigator.locks?.request)).toBe('function');

  // The second page signs in from the cookie on load; from then on both hold the same token and
  // their refresh timers come due together, every 5 s (65 s tokens, refreshed a minute early).
  const second = await context.newPage();
  await second.goto(`${env.node.url}/`);
  await expect.poll(() => connectionOf(second), { timeout: 10_000 }).toBe('open');
  await expect.poll(() => refreshes.length, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(5);
  expect(refreshes.filter((each) => each.status !== 200)).toEqual([]);
  expect(refreshes.map((each) => (JSON.parse(each.body) as { refreshToken?: string }).refreshToken)).toEqual(
    refreshes.map(() => undefined),
  );
  for (const page of [first, second]) {
    expect(await connectionOf(page)).toBe('open');
    await page.getByRole('link', { name: en['nav.settings'] }).click();
    await page.getByLabel(en['home.status']).fill('Both tabs still here');
    await page.getByRole('button', { name: en['home.statusSave'] }).click();
    await page.getByText(en['home.statusSaved']).waitFor();
  }
  await context.close();
}, 90_000);
