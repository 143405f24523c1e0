// Tipping a post in the browser against a real node: Ana has 100 treats (put in her wallet as a
// purchase would) and opens a post of Bruno's; its action bar offers Send treats (her own post does
// not). The dialog shows her wallet; 100 is more than she can send after a first tip, and the dialog
// says by how much, with the way to buy more. She sends 25 with a note: the dialog confirms it with
// 75 left, her treats screen says 75, and Bruno's treats screen, open all along, shows his 70 %
// (18, rounded up) arrive live. Screenshots at 390 px and 1366 px, axe audits of the dialog.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { platform, wallet } from '../../server/treats/ledger.ts';
import type { RegisteredUser } from '../harness/accounts.ts';
import { audit, screenshot, userContext } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { join, type Member } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
beforeAll(async () => {
  web = await startWebEnv('tips-e2e');
}, 120_000);
afterAll(async () => {
  await web?.close();
});

const within = { timeout: 20_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
/** A catalogue text as shown, without the isolation marks around what people wrote. */
const shown = (text: string | null) => (text ?? '').replace(/[\u2068\u2069]/g, '');

async function signIn(browser: Browser, user: RegisteredUser, viewport: { width: number; height: number }): Promise<Page> {
  const context = await userContext(browser, { locale: 'en-US', viewport });
  const page = await context.newPage();
  await page.goto(`${web.env.node.url}/login`);
  await page.getByLabel(en['form.login']).fill(user.username);
  await page.getByLabel(en['form.password']).fill(user.password);
  await page.getByRole('button', { name: en['signIn.submit'] }).click();
  await page.getByTestId('presence-self').waitFor(within);
  return page;
}

/** Treats in a wallet as a purchase would put them (buying has its own end-to-end test). */
const fund = (member: Member, treats: number) =>
  web.env.node.social.treats.ledger.transfer({
    kind: 'purchase',
    key: `e2e:${crypto.randomUUID()}`,
    legs: [
      { ...platform('platform_sales'), amount: -treats },
      { ...wallet(member.id), amount: treats },
    ],
  });

test('e2e: Ana tips a post of Bruno’s: 100 is more than she has after a first tip and the dialog says by how much; 25 with a note leaves her 75 and Bruno’s earned treats rise live', async () => {
  const { env } = web;
  const [ana, bruno] = [await join(env), await join(env)];
  await fund(ana, 100);
  const postId = (await bruno.call('posts.create', { text: 'Luna at the beach 🌊', visibility: 'public' })).id;
  const ownId = (await ana.call('posts.create', { text: 'My own walk', visibility: 'public' })).id;

  // Bruno watches his treats all along, on a desktop.
  const b = await signIn(web.browser, bruno.user, DESKTOP);
  await b.goto(`${env.node.url}/wallet`);
  await expect.poll(() => b.getByTestId('earned-balance').textContent(), within).toBe('0');

  const a = await signIn(web.browser, ana.user, PHONE);
  // Her own post offers no treats.
  await a.goto(`${env.node.url}/posts/${ownId}`);
  await a.getByTestId(`post-${ownId}`).getByTestId('save').waitFor(within);
  expect(await a.getByTestId(`post-${ownId}`).getByTestId('tip').count()).toBe(0);

  await a.goto(`${env.node.url}/posts/${postId}`);
  const card = a.getByTestId(`post-${postId}`);
  const action = card.getByTestId('tip');
  await action.waitFor(within);
  expect(shown(await action.textContent())).toBe(shown(format(en['tip.to'], { name: bruno.user.username })));
  await screenshot(a, 'tips-post-390');
  await action.click();
  const dialog = a.getByTestId('tip-dialog');
  await dialog.waitFor(within);
  await expect
    .poll(async () => shown(await dialog.getByTestId('tip-balance').textContent()), within)
    .toBe(format(en['tip.balance'], { treats: format(en['wallet.treats'], { count: 100 }) }));
  // The dialog fits the phone: nothing scrolls sideways.
  expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  const box = await dialog.boundingBox();
  expect(box?.width).toBeLessThanOrEqual(PHONE.width);
  await screenshot(a, 'tips-dialog-390');
  expect(await audit(a, 'tip dialog 390')).toEqual([]);

  // 25 with a note.
  await dialog.getByRole('button', { name: format(en['wallet.treats'], { count: 25 }), exact: true }).click();
  await dialog.getByLabel(en['tip.note']).fill('¡Qué ola, Luna!');
  const send = dialog.getByTestId('tip-send');
  expect(await send.textContent()).toBe(format(en['tip.send'], { count: 25 }));
  await send.click();
  const sent = dialog.getByTestId('tip-sent');
  await sent.waitFor(within);
  expect(shown(await sent.textContent())).toContain(
    shown(format(en['tip.sent'], { treats: format(en['wallet.treats'], { count: 25 }), name: bruno.user.username })),
  );
  expect(shown(await sent.textContent())).toContain(format(en['tip.balance'], { treats: format(en['wallet.treats'], { count: 75 }) }));
  await screenshot(a, 'tips-sent-390');

  // Bruno's 70 %, rounded up, arrives without a reload; the history names Ana and shows her note.
  await expect.poll(() => b.getByTestId('earned-balance').textContent(), within).toBe('18');
  await expect.poll(() => b.getByTestId('wallet-history').locator('li').first().textContent(), within).toContain('¡Qué ola, Luna!');
  await screenshot(b, 'tips-author-wallet-1366');

  // Again: 100 is more than the 75 left. The dialog says so before sending, with the way to buy more.
  await a.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', ...within });
  await action.click();
  await dialog.waitFor(within);
  await expect
    .poll(async () => shown(await dialog.getByTestId('tip-balance').textContent()), within)
    .toBe(format(en['tip.balance'], { treats: format(en['wallet.treats'], { count: 75 }) }));
  await dialog.getByRole('button', { name: format(en['wallet.treats'], { count: 100 }), exact: true }).click();
  const short = dialog.getByTestId('tip-short');
  expect(await short.textContent()).toContain(format(en['tip.short'], { count: 25 }));
  expect(await send.isDisabled()).toBe(true);
  await screenshot(a, 'tips-short-390');
  expect(await audit(a, 'tip dialog short 390')).toEqual([]);

  // On a desktop the dialog is centred, with the same parts.
  await a.setViewportSize(DESKTOP);
  await dialog.getByRole('button', { name: format(en['wallet.treats'], { count: 10 }), exact: true }).click();
  await expect.poll(() => short.count(), within).toBe(0);
  await screenshot(a, 'tips-dialog-1366');
  expect(await audit(a, 'tip dialog 1366')).toEqual([]);

  // The way to buy more leads to the treats screen, which says 75.
  await dialog.getByRole('button', { name: format(en['wallet.treats'], { count: 100 }), exact: true }).click();
  await short.getByRole('link', { name: en['wallet.buy'] }).click();
  await a.waitForURL('**/wallet', within);
  await expect.poll(() => a.getByTestId('wallet-balance').textContent(), within).toBe('75');
  expect(await a.getByTestId('tip-dialog').count()).toBe(0);
  expect(await ana.call('treats.balance', {})).toEqual({ wallet: 75, earned: 0 });
  expect(await bruno.call('treats.balance', {})).toEqual({ wallet: 0, earned: 18 });
  ana.close();
  bruno.close();
}, 180_000);
