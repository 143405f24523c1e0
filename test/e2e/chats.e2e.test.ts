// The messenger in browsers against a real node, phone-sized (360 px), screenshots in
// .test-results/screenshots: two friends chat live (the first message from the profile's
// "Message" button, the other's badge, one copy of each message, "is typing…", "Seen"); three
// people in a group each see every message once and in the same order, also when all three send
// at once; and one of them goes offline while the others write, comes back, and finds every
// message exactly once, in order.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page, WebSocketRoute } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import type { AccountsEnv } from '../harness/accounts.ts';
import { chooseLanguage, connectionOf, screenshot } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { befriend, join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let env: AccountsEnv;
beforeAll(async () => {
  web = await startWebEnv('chats-e2e');
  ({ env } = web);
});
afterAll(async () => {
  await web.close();
});

const within = { timeout: 15_000 };
const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** The texts of the conversation's messages as shown, in order (system lines and a photo's or post's empty text left out). */
const shown = (page: Page) => page.getByTestId('messages').getByTestId('message-text').locator('visible=true').allTextContents();
const composer = (page: Page) => page.getByRole('textbox', { name: en['chats.composer'] });

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await page.getByRole('button', { name: en['chats.send'] }).click();
}

/** Waits until the page shows exactly `texts` (each once, in this order). */
async function expectMessages(page: Page, texts: string[], timeout = within.timeout): Promise<void> {
  await expect.poll(() => shown(page), { timeout }).toEqual(texts);
}

/**
 * A user's network that the test can take away: the context goes offline, the page's open
 * WebSocket is closed, and new ones are refused until it comes back (Chromium's offline mode
 * alone leaves an open WebSocket working).
 */
async function cuttable(page: Page): Promise<{ setOffline(offline: boolean): Promise<void> }> {
  let offline = false;
  const open = new Set<WebSocketRoute>();
  await page.routeWebSocket(/\/ws$/, async (ws) => {
    if (offline) {
      await ws.close({ code: 1001, reason: 'offline' });
      return;
    }
    ws.connectToServer();
    open.add(ws);
    ws.onClose(() => open.delete(ws));
  });
  return {
    async setOffline(value) {
      offline = value;
      await page.context().setOffline(value);
      if (value) for (const ws of [...open]) await ws.close({ code: 1001, reason: 'offline' });
    },
  };
}

const conversationIdOf = async (page: Page): Promise<string> => {
  await page.waitForURL(/\/chats\/[0-9a-f-]{36}$/, within);
  return new URL(page.url()).pathname.split('/').pop() as string;
};

describe('the messenger in the web client', () => {
  test('e2e: two friends chat live: first message from the profile, badge, each message once, typing, and "Seen"', async () => {
    const ana = await env.register();
    const bruno = await env.register();
    await befriend(env.node, ana, bruno);
    const a = await web.signIn(ana);
    const b = await web.signIn(bruno);

    // Ana opens Bruno's profile and writes to him: the first message starts the conversation.
    await a.goto(`${env.node.url}/u/${bruno.username}`);
    await a.getByTestId('profile').waitFor();
    await a.getByRole('link', { name: `${en['chats.message']} ${bruno.username}` }).click();
    await a.getByTestId('conversation-new').waitFor(within);
    await screenshot(a, 'chats-new-conversation');
    await send(a, '¿Paseo a las 6?');
    const conversationId = await conversationIdOf(a);
    await expectMessages(a, ['¿Paseo a las 6?']);

    // Bruno's Chats badge goes up live; the list shows the conversation with its preview.
    await expect.poll(() => b.getByTestId('nav-chats-count').textContent(), within).toBe('1');
    await b.getByRole('link', { name: en['nav.chatsUnread'].replace('{count}', '1') }).click();
    const row = b.getByTestId(`chat-${conversationId}`);
    await row.waitFor(within);
    expect(await row.textContent()).toContain('¿Paseo a las 6?');
    await screenshot(b, 'chats-list');
    expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);
    await row.getByRole('link', { name: ana.username }).click();
    await expectMessages(b, ['¿Paseo a las 6?']);

    // Bruno has read it: Ana's receipt turns to "Seen", and his badge goes.
    await expect.poll(() => a.getByTestId('receipt').last().textContent(), within).toContain(en['chats.seen']);
    await expect.poll(() => b.getByTestId('nav-chats-count').count(), within).toBe(0);

    // Ana types: Bruno sees it; then her message arrives once.
    await composer(a).fill('Llevo la pe');
    const typing = format(en['chats.typingOne'], { name: ana.username });
    await expect.poll(() => b.getByTestId('typing').textContent(), within).toBe(typing);
    await screenshot(b, 'chats-typing');
    await composer(a).fill('Llevo la pelota');
    await a.getByRole('button', { name: en['chats.send'] }).click();
    await expectMessages(b, ['¿Paseo a las 6?', 'Llevo la pelota']);
    await expectMessages(a, ['¿Paseo a las 6?', 'Llevo la pelota']);

    // Bruno answers; Ana sees it once, and "Seen" under her last message.
    await send(b, '¡Perfecto! 🐕');
    await expectMessages(a, ['¿Paseo a las 6?', 'Llevo la pelota', '¡Perfecto! 🐕']);
    await expectMessages(b, ['¿Paseo a las 6?', 'Llevo la pelota', '¡Perfecto! 🐕']);
    await expect.poll(() => a.getByTestId('receipt').last().textContent(), within).toContain(en['chats.seen']);
    // The typing line goes after about 5 s.
    await expect.poll(() => b.getByTestId('typing').textContent(), { timeout: 10_000 }).toBe('');
    await screenshot(a, 'chats-conversation');
    await screenshot(b, 'chats-conversation-bruno');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);
    expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);

    // In German (long words) and Arabic (right to left) the screens still fit a phone.
    for (const [code, catalogue] of [
      ['de', (await import('../../client/src/i18n/messages/de.ts')).de],
      ['ar', (await import('../../client/src/i18n/messages/ar.ts')).ar],
    ] as const) {
      // The header's first select is the language (labelled in the language shown).
      await chooseLanguage(b, code);
      await b.getByRole('textbox', { name: catalogue['chats.composer'] }).waitFor(within);
      await b.getByRole('button', { name: catalogue['chats.info'] }).click();
      await b.getByTestId('chat-info').waitFor();
      await screenshot(b, `chats-conversation-${code}`);
      expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);
      await b.keyboard.press('Escape');
      await b.getByRole('link', { name: catalogue['nav.chats'], exact: true }).click();
      await b.getByTestId(`chat-${conversationId}`).waitFor(within);
      await screenshot(b, `chats-list-${code}`);
      expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);
      await b.goBack();
    }
  }, 120_000);

  test('e2e: three people in a group chat live: every message once and in the same order for each', async () => {
    const [ana, bruno, carla] = await Promise.all([env.register(), env.register(), env.register()]);
    await befriend(env.node, ana, bruno);
    await befriend(env.node, ana, carla);
    const [a, b, c] = [await web.signIn(ana), await web.signIn(bruno), await web.signIn(carla)];

    // Ana starts the group from /chats with both friends.
    await a.getByRole('link', { name: en['nav.chats'] }).click();
    await a.getByRole('button', { name: en['chats.newGroup'] }).click();
    const dialog = a.getByTestId('new-group');
    await dialog.getByLabel(en['chats.groupName']).fill('Paseos del parque');
    await dialog.getByLabel(bruno.username).check();
    await dialog.getByLabel(carla.username).check();
    await screenshot(a, 'chats-new-group');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);
    await dialog.getByRole('button', { name: en['chats.create'] }).click();
    const conversationId = await conversationIdOf(a);
    await a.getByRole('heading', { name: 'Paseos del parque' }).waitFor(within);
    const created = format(en['chats.system.created'], { name: ana.username });
    await a.getByText(created).waitFor(within);

    // Bruno and Carla find it in their lists.
    for (const page of [b, c]) {
      await page.getByRole('link', { name: en['nav.chats'] }).click();
      await page.getByTestId(`chat-${conversationId}`).getByRole('link', { name: 'Paseos del parque' }).click();
      await page.getByRole('heading', { name: 'Paseos del parque' }).waitFor(within);
      await page.getByText(created).waitFor(within);
    }

    // Turns, then all three at once.
    const expected: string[] = [];
    const pages: [Page, string][] = [
      [a, 'Ana: ¿mañana a las 7?'],
      [b, 'Bruno: vale'],
      [c, 'Carla: llevo agua'],
      [a, 'Ana: ¡genial!'],
    ];
    for (const [page, text] of pages) {
      await send(page, text);
      expected.push(text);
      for (const each of [a, b, c]) await expectMessages(each, expected);
    }
    await Promise.all([send(a, 'Ana 5'), send(b, 'Bruno 5'), send(c, 'Carla 5')]);
    await expect.poll(() => shown(a), within).toHaveLength(expected.length + 3);
    const order = await shown(a);
    expect(order.slice(0, expected.length)).toEqual(expected);
    expect([...order.slice(expected.length)].sort()).toEqual(['Ana 5', 'Bruno 5', 'Carla 5']);
    for (const each of [b, c]) await expectMessages(each, order);
    // Everyone has read everything: the last own messages say "Seen by 2".
    await expect.poll(() => a.getByTestId('receipt').last().textContent(), within).toContain(en['chats.seenBy'].replace('{count}', '2'));
    await screenshot(a, 'chats-group');
    await screenshot(c, 'chats-group-carla');
    expect(await noHorizontalScroll(c)).toBeLessThanOrEqual(360);

    // The group's details: the members, Ana marked admin.
    await c.getByRole('button', { name: en['chats.info'] }).click();
    const members = c.getByTestId('members');
    await members.getByTestId(`person-${ana.username}`).getByText(en['chats.admin']).waitFor(within);
    expect(await members.getByRole('listitem').count()).toBe(3);
    await screenshot(c, 'chats-group-info');
  }, 180_000);

  test('e2e: a member goes offline while the others write, comes back, and sees every message exactly once, in order', async () => {
    const [ana, bruno, carla] = await Promise.all([env.register(), env.register(), env.register()]);
    await befriend(env.node, ana, bruno);
    await befriend(env.node, ana, carla);
    const [a, b, c] = [await web.signIn(ana), await web.signIn(bruno), await web.signIn(carla)];
    const owner = await join(env, env.node, ana);
    const chat = await owner.call('chats.createGroup', { name: 'Vuelta', userIds: [bruno.id, carla.id] });
    owner.close();
    for (const page of [a, b, c]) {
      await page.goto(`${env.node.url}/chats/${chat.id}`);
      await page.getByRole('heading', { name: 'Vuelta' }).waitFor(within);
    }
    await send(a, 'antes 1');
    await send(b, 'antes 2');
    for (const page of [a, b, c]) await expectMessages(page, ['antes 1', 'antes 2']);

    // Carla's network goes: the browser is offline and her open socket drops; she reconnects
    // (and fails) until it is back.
    const network = await cuttable(c);
    await c.reload();
    await expectMessages(c, ['antes 1', 'antes 2']);
    await expect.poll(() => connectionOf(c), within).toBe('open');
    await network.setOffline(true);
    await expect.poll(() => connectionOf(c), within).toBe('reconnecting');
    const written: string[] = [];
    for (let index = 1; index <= 6; index++) {
      const text = `mientras ${index}`;
      await send(index % 2 === 0 ? b : a, text);
      written.push(text);
    }
    await expectMessages(a, ['antes 1', 'antes 2', ...written]);
    expect(await shown(c)).toEqual(['antes 1', 'antes 2']);
    await screenshot(c, 'chats-offline');

    // Back online: everything arrives once, in order, and live messages follow.
    await network.setOffline(false);
    await expect.poll(() => connectionOf(c), { timeout: 30_000 }).toBe('open');
    await expectMessages(c, ['antes 1', 'antes 2', ...written], 30_000);
    await send(b, 'después');
    await expectMessages(c, ['antes 1', 'antes 2', ...written, 'después']);
    await send(c, 'ya estoy');
    for (const page of [a, b, c]) await expectMessages(page, ['antes 1', 'antes 2', ...written, 'después', 'ya estoy']);
    await screenshot(c, 'chats-after-reconnect');
  }, 240_000);

  test('e2e: end-to-end encryption: one turns it on for both, both see the same safety number, messages and a photo arrive decrypted, another device cannot read them and its new key is flagged', async () => {
    const ana = await env.register();
    const bruno = await env.register();
    await befriend(env.node, ana, bruno);
    const owner = await join(env, env.node, ana);
    const first = await owner.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), text: 'hola' });
    const conversationId = first.conversationId;
    const a = await web.signIn(ana);
    const b = await web.signIn(bruno);
    for (const page of [a, b]) {
      await page.goto(`${env.node.url}/chats/${conversationId}`);
      await expectMessages(page, ['hola']);
    }
    const banner = (page: Page) => page.getByTestId('e2ee-banner');
    const waiting = (page: Page) => page.getByTestId('e2ee-status').count();

    // Ana turns it on: both see what it protects, and the line that says who turned it on.
    await a.getByRole('button', { name: `🔒 ${en['chats.e2eeTurnOn']}` }).click();
    for (const page of [a, b]) {
      await expect.poll(() => banner(page).textContent(), within).toBe(`🔒 ${en['chats.e2eeProtected']}`);
      await expect
        .poll(() => page.getByTestId('messages').textContent(), within)
        .toContain(format(en['chats.system.encrypted'], { name: ana.username }));
      // Both devices' keys are published and read (Bruno's is made when he sees it turned on).
      await expect.poll(() => waiting(page), within).toBe(0);
    }
    await send(b, 'secreto de Bruno');
    const locked = (text: string) => `🔒 ${text}`;
    await expectMessages(b, ['hola', locked('secreto de Bruno')]);
    await expectMessages(a, ['hola', locked('secreto de Bruno')]);
    await send(a, 'secreto de Ana');
    await expectMessages(b, ['hola', locked('secreto de Bruno'), locked('secreto de Ana')]);

    // The safety number: 12 groups of 5 digits, the same on both screens.
    const safety = async (page: Page) => {
      await page.getByRole('button', { name: en['chats.info'] }).click();
      const digits = page.getByTestId('safety-digits');
      await expect.poll(() => digits.locator('li').count(), within).toBe(12);
      return (await digits.locator('li').allTextContents()).join(' ');
    };
    const [anaSees, brunoSees] = [await safety(a), await safety(b)];
    expect(anaSees).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(brunoSees).toBe(anaSees);
    await screenshot(b, 'chats-e2ee-safety-number');
    await b.setViewportSize({ width: 1366, height: 900 });
    await screenshot(b, 'chats-e2ee-safety-number-desktop');
    await b.setViewportSize({ width: 360, height: 740 });
    for (const page of [a, b]) await page.keyboard.press('Escape');

    // A photo: encrypted in Ana's browser, stored as an opaque blob, shown decrypted to Bruno.
    const photo = joinPath(tmpdir(), `luna-${crypto.randomUUID()}.png`);
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3a7' } })
      .png()
      .toFile(photo);
    await a.getByLabel(en['chats.attach']).setInputFiles(photo);
    await expect.poll(() => a.getByRole('button', { name: en['chats.send'] }).isEnabled(), within).toBe(true);
    await send(a, 'Luna');
    const shownPhoto = b.getByTestId('messages').getByTestId('encrypted-attachment');
    await expect.poll(() => shownPhoto.count(), within).toBe(1);
    await expect.poll(() => shownPhoto.evaluate((image) => (image as HTMLImageElement).naturalWidth), within).toBe(320);
    expect(await shownPhoto.getAttribute('src')).toMatch(/^blob:/);
    await expectMessages(b, ['hola', locked('secreto de Bruno'), locked('secreto de Ana'), locked('Luna')]);
    await screenshot(b, 'chats-e2ee');
    await b.setViewportSize({ width: 1366, height: 900 });
    await screenshot(b, 'chats-e2ee-desktop');
    rmSync(photo, { force: true });

    // The server holds ciphertext and a blob only.
    const history = await owner.call('chats.history', { conversationId });
    expect(history.items.map((message) => [message.kind, message.text])).toEqual([
      ['text', 'hola'],
      ['system', ''],
      ['encrypted', ''],
      ['encrypted', ''],
      ['encrypted', ''],
    ]);
    expect(history.items.at(-1)?.attachments.map((attachment) => attachment.kind)).toEqual(['blob']);
    owner.close();

    // Bruno on another device (its own storage): the encrypted messages cannot be read there.
    const other = await web.signIn(bruno);
    await other.goto(`${env.node.url}/chats/${conversationId}`);
    await expectMessages(other, ['hola', locked(en['chats.unreadable']), locked(en['chats.unreadable']), locked(en['chats.unreadable'])]);
    await screenshot(other, 'chats-e2ee-other-device');

    // That device published a key of its own: Ana is told his security code changed, and her next
    // message waits (the draft kept) until she accepts it.
    await a.reload();
    const warning = a.getByTestId('e2ee-key-changed');
    await expect.poll(() => warning.textContent(), within).toContain(format(en['chats.e2eeKeyChanged'], { name: bruno.username }));
    await send(a, 'sigues ahí?');
    expect(await composer(a).inputValue()).toBe('sigues ahí?');
    await screenshot(a, 'chats-e2ee-key-changed');
    await warning.getByRole('button', { name: en['chats.e2eeAccept'] }).click();
    await expect.poll(() => warning.count(), within).toBe(0);
    await a.getByRole('button', { name: en['chats.send'] }).click();
    await expectMessages(other, [
      'hola',
      locked(en['chats.unreadable']),
      locked(en['chats.unreadable']),
      locked(en['chats.unreadable']),
      locked('sigues ahí?'),
    ]);
  }, 180_000);

  test("e2e: Ana sends Bruno's photo post to Carla from its Share dialog; Carla sees it in their chat (author, text, picture) and opens it; a post Carla may not see shows as unavailable", async () => {
    const [ana, bruno, carla] = [await env.register(), await env.register(), await env.register()];
    await befriend(env.node, ana, bruno);
    await befriend(env.node, ana, carla);
    const author = await join(env, env.node, bruno);
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7bd5' } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.set('kind', 'image');
    form.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'kira.png');
    const photo = (await env.client().request<{ media: { id: string } }>('POST', '/media', { raw: form, token: bruno.tokens.accessToken }))
      .body.media;
    await expect.poll(async () => (await author.call('media.get', { ids: [photo.id] })).items[0]?.status, within).toBe('ready');
    const post = await author.call('posts.create', { text: 'Kira en la playa', visibility: 'public', mediaIds: [photo.id] });
    // Friends only: Carla is not Bruno's friend.
    const hidden = await author.call('posts.create', { text: 'Solo para amigos', visibility: 'friends' });

    // Ana: the post's Share → In a chat → Carla, a line of text → sent.
    const a = await web.signIn(ana);
    await a.setViewportSize({ width: 390, height: 844 });
    await a.goto(`${env.node.url}/posts/${post.id}`);
    await a.getByTestId(`post-${post.id}`).getByTestId('share-count').click();
    const dialog = a.getByTestId('share-dialog');
    await dialog.getByTestId('share-in-chat').click();
    const picker = dialog.getByTestId('send-in-chat');
    await picker.getByRole('checkbox', { name: carla.username }).check();
    await picker.getByLabel(en['chats.sendInChatText']).fill('¡Mira a Kira!');
    await screenshot(a, 'chats-share-dialog-390');
    await picker.getByRole('button', { name: format(en['chats.sendInChatSend'], { count: 1 }) }).click();
    await a.getByText(format(en['chats.sentInChatToast'], { count: 1 })).waitFor(within);
    expect(await dialog.count()).toBe(0);
    // The one Ana may see but Carla may not, sent over the protocol.
    const sender = await join(env, env.node, ana);
    await sender.call('chats.send', { to: carla.id, clientId: crypto.randomUUID(), post: hidden.id });
    sender.close();

    // Carla: the conversation shows the post, its author, text and picture, then the unavailable one.
    const c = await web.signIn(carla);
    await c.setViewportSize({ width: 390, height: 844 });
    await c.getByRole('link', { name: en['nav.chats'] }).click();
    await c.getByTestId('chats').getByRole('link').first().click();
    await conversationIdOf(c);
    const shared = c.getByTestId('messages').getByTestId('shared-post');
    await expect.poll(() => shared.count(), within).toBe(2);
    const first = shared.first();
    await expect.poll(async () => (await first.textContent())?.replace(/[\u2068\u2069]/g, ''), within).toContain('Kira en la playa');
    expect(await first.textContent()).toContain(bruno.username);
    expect(await first.getAttribute('href')).toBe(`/posts/${post.id}`);
    await expect
      .poll(() => first.locator('img.shared-post-img').evaluate((img) => (img as HTMLImageElement).naturalWidth), within)
      .toBeGreaterThan(0);
    await expect.poll(() => shared.nth(1).textContent(), within).toBe(en['post.unavailable']);
    expect(await shared.nth(1).textContent()).not.toContain('Solo para amigos');
    await expectMessages(c, ['¡Mira a Kira!']);
    // The composer is in view above the phone's tab bar, without scrolling the page.
    const composerBox = await composer(c).boundingBox();
    const tabBar = await c.locator('.nav-bottom').boundingBox();
    if (composerBox === null || tabBar === null) throw new Error('no composer or tab bar');
    expect(composerBox.y + composerBox.height).toBeLessThanOrEqual(tabBar.y);
    expect(await c.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(844);
    await screenshot(c, 'chats-shared-post-390');
    expect(await noHorizontalScroll(c)).toBeLessThanOrEqual(390);
    await c.setViewportSize({ width: 1366, height: 900 });
    await screenshot(c, 'chats-shared-post-1366');

    await first.click();
    await c.waitForURL(`**/posts/${post.id}`, within);
    await c.getByTestId(`post-${post.id}`).waitFor(within);
    author.close();
  });

  test('e2e: a stranger is refused, then lands in requests; accept, reply with a quote, react, edit, delete and search', async () => {
    const ana = await env.register();
    const dora = await env.register();
    const a = await web.signIn(ana);
    const d = await web.signIn(dora);

    // Dora takes messages from friends only (the default): Ana is told so, and her message waits.
    await a.goto(`${env.node.url}/u/${dora.username}`);
    await a.getByRole('link', { name: `${en['chats.message']} ${dora.username}` }).click();
    await send(a, '¿Adoptaste a Toby?');
    const refused = en['chats.failed'].replace('{reason}', en['error.MESSAGE_NOT_ALLOWED']);
    await expect.poll(() => a.getByTestId('send-error').textContent(), within).toBe(refused);
    await screenshot(a, 'chats-refused');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);

    // Dora opens her messages to everyone; Ana retries the same message, and it goes.
    const doraSocket = await join(env, env.node, dora);
    await doraSocket.call('privacy.update', { messages: 'everyone' });
    doraSocket.close();
    await a.getByRole('button', { name: en['chats.retry'] }).click();
    const conversationId = await conversationIdOf(a);
    await expectMessages(a, ['¿Adoptaste a Toby?']);

    // It is a request for Dora: not in her inbox badge, in the Requests tab.
    await d.getByRole('link', { name: en['nav.chats'] }).click();
    const requestsTab = d.getByRole('button', { name: en['chats.requestsUnread'].replace('{count}', '1') });
    await requestsTab.waitFor(within);
    expect(await d.getByTestId('nav-chats-count').count()).toBe(0);
    await requestsTab.click();
    await d.getByTestId(`chat-${conversationId}`).getByRole('link').click();
    await d.getByTestId('request-banner').waitFor(within);
    expect(await composer(d).count()).toBe(0);
    await screenshot(d, 'chats-request');
    await d.getByRole('button', { name: en['chats.accept'] }).click();
    await composer(d).waitFor(within);
    await send(d, 'Sí, ya está en casa 🐶');
    await expectMessages(a, ['¿Adoptaste a Toby?', 'Sí, ya está en casa 🐶']);

    const bubble = (page: Page, text: string) =>
      page
        .getByTestId('messages')
        .getByTestId('chat-message')
        .filter({ has: page.getByTestId('message-text').getByText(text) });
    const menu = async (page: Page, text: string) => {
      await bubble(page, text).locator('summary').click();
      return bubble(page, text).locator('.menu-items');
    };

    // Ana answers Dora's message with a quote, and reacts to it.
    await (await menu(a, 'Sí, ya está en casa')).getByRole('button', { name: en['chats.reply'] }).click();
    await a.getByText(format(en['chats.replyingTo'], { name: dora.username })).waitFor();
    await send(a, '¡Qué bien!');
    await expectMessages(d, ['¿Adoptaste a Toby?', 'Sí, ya está en casa 🐶', '¡Qué bien!']);
    const quote = bubble(d, '¡Qué bien!').locator('blockquote');
    await expect.poll(() => quote.textContent(), within).toContain('Sí, ya está en casa 🐶');
    await (await menu(a, 'Sí, ya está en casa')).getByRole('button', { name: en['chats.reactWith'].replace('{emoji}', '👍') }).click();
    await expect
      .poll(() => bubble(d, 'Sí, ya está en casa').getByRole('list', { name: en['chats.reactions'] }).textContent(), within)
      .toBe('👍 1');

    // Ana edits her first message, then deletes her answer: Dora sees both live.
    await (await menu(a, '¿Adoptaste a Toby?')).getByRole('button', { name: en['chats.edit'] }).click();
    await composer(a).fill('¿Ya adoptaste a Toby?');
    await a.getByRole('button', { name: en['chats.save'] }).click();
    await expectMessages(d, ['¿Ya adoptaste a Toby?', 'Sí, ya está en casa 🐶', '¡Qué bien!']);
    await expect.poll(() => bubble(d, '¿Ya adoptaste a Toby?').textContent(), within).toContain(en['chats.edited']);
    const answer = await menu(a, '¡Qué bien!');
    await answer.getByRole('button', { name: en['chats.delete'] }).click();
    await answer.getByRole('button', { name: en['chats.delete'] }).click();
    await expectMessages(d, ['¿Ya adoptaste a Toby?', 'Sí, ya está en casa 🐶', en['chats.deleted']]);
    await screenshot(d, 'chats-edited-deleted');

    // Dora searches the conversation.
    await d.getByRole('button', { name: en['chats.search'] }).click();
    const search = d.getByTestId('chat-search');
    await search.getByRole('searchbox', { name: en['chats.search'] }).fill('toby');
    await search.getByRole('button', { name: en['chats.searchSubmit'] }).click();
    await expect
      .poll(() => search.getByTestId('search-results').getByRole('button').allTextContents(), within)
      .toEqual(['¿Ya adoptaste a Toby?']);
    await screenshot(d, 'chats-search');
    expect(await noHorizontalScroll(d)).toBeLessThanOrEqual(360);
  }, 120_000);
});
