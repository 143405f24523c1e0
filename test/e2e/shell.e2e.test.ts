// The app's main screens as people see them: at 390 px and 1366 px, light and dark, in English,
// Spanish and Arabic (right to left), each audited by axe-core (WCAG 2.1 A and AA rules, contrast
// included) with no serious or critical violation, each written as a screenshot, none scrolling
// sideways. The user has a friend, a post with a reaction and a comment, a saved post, a
// conversation and a notification, so no screen is only its empty state.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../client/src/i18n/messages/ar.ts';
import { en, type Messages } from '../../client/src/i18n/messages/en.ts';
import { es } from '../../client/src/i18n/messages/es.ts';
import type { RegisteredUser } from '../harness/accounts.ts';
import { screenshot, userContext } from '../harness/browser.ts';
import { befriend, join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let ana: RegisteredUser;
let bruno: RegisteredUser;

beforeAll(async () => {
  web = await startWebEnv('shell');
  ana = await web.env.register();
  bruno = await web.env.register();
  await befriend(web.env.node, ana, bruno);
  const [hers, his] = await Promise.all([join(web.env, web.env.node, ana), join(web.env, web.env.node, bruno)]);
  const post = await hers.call('posts.create', { text: 'Luna learned to sit 🐶 #training', visibility: 'friends' });
  await his.call('posts.react', { postId: post.id, kind: 'love' });
  await his.call('comments.add', { postId: post.id, text: '¡Qué lista!' });
  const beach = await his.call('posts.create', { text: 'Max at the beach today', visibility: 'friends' });
  await hers.call('posts.save', { postId: beach.id, saved: true });
  await his.call('chats.send', { to: ana.id, clientId: crypto.randomUUID(), text: 'Paseo a las 6?' });
  hers.close();
  his.close();
}, 120_000);

afterAll(async () => {
  await web?.close();
});

const LANGUAGES: [string, Messages][] = [
  ['en-US', en],
  ['es-MX', es],
  ['ar', ar],
];
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1366, height: 900 },
] as const;
const THEMES = ['light', 'dark'] as const;

/** Each main screen: its path and what shows it is there. */
const SCREENS: { name: string; path: () => string; ready: (page: Page, labels: Messages) => Promise<void> }[] = [
  { name: 'home', path: () => '/', ready: (page) => page.locator('article.post').first().waitFor() },
  { name: 'explore', path: () => '/explore', ready: (page) => page.getByRole('main').getByTestId('suggestions').waitFor() },
  { name: 'chats', path: () => '/chats', ready: (page) => page.locator('[data-testid^="chat-"]').first().waitFor() },
  {
    name: 'notifications',
    path: () => '/notifications',
    ready: (page, labels) => page.getByRole('heading', { name: labels['nav.notifications'] }).first().waitFor(),
  },
  { name: 'profile', path: () => `/u/${ana.username}`, ready: (page) => page.getByTestId('profile').waitFor() },
  { name: 'saved', path: () => '/saved', ready: (page) => page.getByTestId('saved-page').locator('article.post').first().waitFor() },
  { name: 'settings', path: () => '/settings/appearance', ready: (page) => page.locator('#language').waitFor() },
  { name: 'welcome', path: () => '/welcome?step=4', ready: (page) => page.locator('#welcome-place').waitFor() },
];

/**
 * Ana signed in on a page of `viewport` (English, light), on the home feed; `calls` collects each
 * `watch` call the page sends on its socket (MessagePack: the call's name is in the frame's bytes).
 */
async function anaOn(viewport: { width: number; height: number }, watch = '', hasTouch = false): Promise<{ page: Page; calls: string[] }> {
  const context = await userContext(web.browser, { viewport, hasTouch });
  const page = await context.newPage();
  const calls: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', (frame) => {
      const bytes = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('latin1');
      if (watch !== '' && bytes.includes(watch)) calls.push(watch);
    }),
  );
  await page.goto(`${web.env.node.url}/login`);
  await page.getByLabel(en['form.login']).fill(ana.username);
  await page.getByLabel(en['form.password']).fill(ana.password);
  await page.getByRole('button', { name: en['signIn.submit'] }).click();
  await page.getByTestId('presence-self').waitFor();
  return { page, calls };
}

describe('the app shell', () => {
  for (const size of SIZES)
    for (const theme of THEMES)
      test(`shell: every main screen at ${size.width} px in ${theme}, in English, Spanish and Arabic, has no serious accessibility violation and no sideways scroll`, async () => {
        const violations: string[] = [];
        for (const [locale, labels] of LANGUAGES) {
          const context = await userContext(web.browser, { locale, viewport: size, colorScheme: theme });
          const page = await context.newPage();
          await page.goto(`${web.env.node.url}/login`);
          await page.getByLabel(labels['form.login']).fill(ana.username);
          await page.getByLabel(labels['form.password']).fill(ana.password);
          await page.getByRole('button', { name: labels['signIn.submit'] }).click();
          await page.getByTestId('presence-self').waitFor();
          for (const screen of SCREENS) {
            await page.goto(`${web.env.node.url}${screen.path()}`);
            await screen.ready(page, labels);
            const language = locale.slice(0, 2);
            const audit = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
            for (const violation of audit.violations)
              if (violation.impact === 'serious' || violation.impact === 'critical')
                violations.push(
                  `${screen.name} ${language} ${theme} ${size.width}px: ${violation.id} (${violation.impact}) at ${violation.nodes
                    .slice(0, 3)
                    .map((node) => node.target.join(' '))
                    .join(' | ')}`,
                );
            expect(await page.evaluate(() => document.documentElement.scrollWidth), `${screen.name} ${language}`).toBeLessThanOrEqual(
              size.width,
            );
            await screenshot(page, `shell-${screen.name}-${size.name}-${theme}-${language}`);
          }
          await context.close();
        }
        expect(violations).toEqual([]);
      }, 240_000);

  test('shell: j and k move through the feed, one post at a time, and not while typing', async () => {
    const { page } = await anaOn({ width: 1366, height: 900 });
    await page.locator('article.post').nth(1).waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.closest('article.post')?.getAttribute('data-testid') ?? null);
    const ids = await page.locator('ol.posts article.post').evaluateAll((posts) => posts.map((post) => post.getAttribute('data-testid')));
    await page.keyboard.press('j');
    expect(await focused()).toBe(ids[0]);
    await page.keyboard.press('j');
    expect(await focused()).toBe(ids[1]);
    await page.keyboard.press('k');
    expect(await focused()).toBe(ids[0]);
    // In the composer, j is a letter.
    await page.getByRole('button', { name: en['feed.compose'] }).click();
    await page.getByLabel(en['composer.text']).press('j');
    expect(await page.getByLabel(en['composer.text']).inputValue()).toBe('j');
    await page.context().close();
  }, 60_000);

  test('shell: installable: a manifest with icons, and a service worker that opens the app offline in the reconnecting state', async () => {
    const manifest = (await (await fetch(`${web.env.node.url}/manifest.webmanifest`)).json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ name: 'PetAmigos', start_url: '/', display: 'standalone' });
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) expect((await fetch(`${web.env.node.url}${icon.src}`)).status, icon.src).toBe(200);

    const { page } = await anaOn({ width: 390, height: 844 });
    const context = page.context();
    await page.locator('article.post').first().waitFor();
    // Installed and in control of the page: the shell is in its cache.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 10_000 }).toBe(true);

    await context.setOffline(true);
    await page.goto(`${web.env.node.url}/chats`);
    await page.getByRole('navigation', { name: en['nav.main'] }).waitFor();
    await expect.poll(() => page.locator('.shell').getAttribute('data-connection'), { timeout: 10_000 }).not.toBe('open');
    await page.getByTestId('connection').waitFor();
    await screenshot(page, 'shell-offline');
    await context.setOffline(false);
    await expect.poll(() => page.locator('.shell').getAttribute('data-connection'), { timeout: 30_000 }).toBe('open');
    expect(await page.getByTestId('connection').count()).toBe(0);
    await context.close();
  }, 90_000);

  test('shell: Back from a post returns to the feed at the same place, without asking the server for it again', async () => {
    const { page, calls } = await anaOn({ width: 390, height: 420 }, 'feed.home');
    await page.locator('article.post').nth(1).waitFor();
    expect(calls).toEqual(['feed.home']);
    const second = page.locator('article.post').nth(1);
    await second.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 40));
    const before = await page.evaluate(() => window.scrollY);
    expect(before).toBeGreaterThan(100);
    await second.getByTestId('comment-count').click();
    await page.getByTestId('post-page').waitFor();
    await page.goBack();
    await page.locator('article.post').nth(1).waitFor();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(before);
    expect(calls).toEqual(['feed.home']);
    await page.context().close();
  }, 60_000);

  test('shell: Back from a post returns to the profile at the same place, without asking for its posts again', async () => {
    const { page, calls } = await anaOn({ width: 390, height: 420 }, 'posts.byAuthor');
    await page.getByTestId('nav-profile').click();
    const post = page.getByTestId('profile-posts').locator('article.post').first();
    await post.waitFor();
    expect(calls).toEqual(['posts.byAuthor']);
    await post.scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    expect(before).toBeGreaterThan(100);
    await post.getByTestId('comment-count').click();
    await page.getByTestId('post-page').waitFor();
    await page.goBack();
    await page.getByTestId('profile-posts').locator('article.post').first().waitFor();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(before);
    expect(calls).toEqual(['posts.byAuthor']);
    await page.context().close();
  }, 60_000);

  test('shell: Back returns to the chat list at the same place without asking for it again; after a chat was read it comes back as it was, then updated', async () => {
    // Enough conversations for the list to scroll on a short phone screen, each with an unread message.
    const friends = await Promise.all(Array.from({ length: 6 }, () => web.env.register()));
    for (const friend of friends) {
      await befriend(web.env.node, ana, friend);
      const member = await join(web.env, web.env.node, friend);
      await member.call('chats.send', { to: ana.id, clientId: crypto.randomUUID(), text: `Hola from ${friend.username}` });
      member.close();
    }
    const { page, calls } = await anaOn({ width: 390, height: 420 }, 'chats.list');
    await page.getByTestId('nav-chats').click();
    const chats = page.getByTestId('chats').locator('li');
    await expect.poll(() => chats.count()).toBeGreaterThanOrEqual(7);
    expect(calls).toEqual(['chats.list']);
    const oldest = chats.last();
    await oldest.scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    expect(before).toBeGreaterThan(100);

    // Away and Back: nothing changed, nothing asked.
    await page.getByTestId('nav-explore').click();
    await page.getByRole('main').getByTestId('suggestions').waitFor();
    await page.goBack();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(before);
    expect(calls).toEqual(['chats.list']);

    // Reading a chat changes it: Back shows the list where it was, then its first page read again.
    const unreadBefore = await page.getByTestId('chat-unread').count();
    const read = oldest;
    const readId = await read.getAttribute('data-testid');
    expect(await read.getByTestId('chat-unread').count()).toBe(1);
    const atRead = await page.evaluate(() => window.scrollY);
    await read.getByRole('link').click();
    // Back once the message is on screen (what reads it), not as soon as the composer shows.
    await page.getByTestId('chat-message').first().waitFor();
    await page.goBack();
    await page.getByTestId(readId ?? '').waitFor();
    // At the bottom of the list: the read chat's badge gone, the page may be a pixel shorter.
    await expect.poll(async () => Math.abs((await page.evaluate(() => window.scrollY)) - atRead)).toBeLessThanOrEqual(2);
    await expect
      .poll(() =>
        page
          .getByTestId(readId ?? '')
          .getByTestId('chat-unread')
          .count(),
      )
      .toBe(0);
    expect(await page.getByTestId('chat-unread').count()).toBe(unreadBefore - 1);
    // Read again once: on the way back if the read was already known, or just after.
    await expect.poll(() => calls).toEqual(['chats.list', 'chats.list']);
    await page.context().close();
  }, 90_000);

  test('shell: Save on a post shows on her other device at once; /saved lists it first, and unsaving there takes the card out with Undo', async () => {
    const [{ page: phone }, { page: desktop }] = await Promise.all([
      anaOn({ width: 390, height: 844 }),
      anaOn({ width: 1366, height: 900 }),
    ]);
    const luna = (page: Page) => page.locator('article.post', { hasText: 'Luna learned to sit' });
    const beach = (page: Page) => page.locator('article.post', { hasText: 'Max at the beach today' });
    await luna(desktop).waitFor();
    const save = luna(phone).getByTestId('save');
    expect(await save.getAttribute('aria-pressed')).toBe('false');
    await save.click();
    await expect.poll(() => save.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => luna(desktop).getByTestId('save').getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');

    await desktop.getByTestId('nav-saved').click();
    const cards = desktop.getByTestId('saved-page').locator('article.post');
    await expect.poll(() => cards.count()).toBe(2);
    expect(await cards.first().textContent()).toContain('Luna learned to sit');
    const undo = (text: string) =>
      desktop.getByRole('status').filter({ hasText: text }).last().getByRole('button', { name: en['toast.undo'] });
    await luna(desktop).getByTestId('save').click();
    await expect.poll(() => cards.count()).toBe(1);
    await undo(en['post.unsaved']).click();
    await expect.poll(() => cards.count()).toBe(2);
    await expect.poll(() => luna(desktop).getByTestId('save').getAttribute('aria-pressed')).toBe('true');

    // Both out: the empty state; Undo brings the beach back, as it was before this test.
    await luna(desktop).getByTestId('save').click();
    await expect.poll(() => cards.count()).toBe(1);
    await expect.poll(() => save.getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('false');
    await beach(desktop).getByTestId('save').click();
    await desktop.getByText(en['saved.empty']).waitFor();
    await screenshot(desktop, 'shell-saved-empty-desktop-light-en');
    await undo(en['post.unsaved']).click();
    await beach(desktop).waitFor();
    await phone.context().close();
    await desktop.context().close();
  }, 90_000);

  test('shell: on a touch screen, pulling the feed down at the top reloads it: a new post shows and the "new posts" pill goes', async () => {
    const { page, calls } = await anaOn({ width: 390, height: 844 }, 'feed.home', true);
    await page.locator('article.post').first().waitFor();
    expect(calls).toEqual(['feed.home']);
    const his = await join(web.env, web.env.node, bruno);
    await his.call('posts.create', { text: 'Pulled in fresh', visibility: 'friends' });
    his.close();
    await page.getByTestId('new-posts').waitFor();
    // A finger drags down 300 px from near the top, then lets go.
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', y: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: 195, y }] });
    await touch('touchStart', 200);
    for (let y = 220; y <= 500; y += 20) await touch('touchMove', y);
    expect(await page.getByTestId('pull-indicator').getAttribute('data-ready')).toBe('');
    await screenshot(page, 'shell-pull-to-refresh');
    await touch('touchEnd', 500);
    await page.locator('article.post', { hasText: 'Pulled in fresh' }).waitFor();
    await expect.poll(() => page.getByTestId('new-posts').count()).toBe(0);
    expect(calls).toEqual(['feed.home', 'feed.home']);
    await page.context().close();
  }, 60_000);
});
