// Calls in browsers against a real node and its SFU (mediasoup), with Chromium's fake camera and
// microphone: a one-to-one video call where both sides decode the other's video and audio (read
// from every RTCPeerConnection's getStats: framesDecoded and totalAudioEnergy rising), the mini
// window keeping the call while the user goes elsewhere, hang-up; a declined call, one nobody
// answers (a short ring time), one to someone busy; and a three-person group call, joined by
// someone who declined first, where a shared screen reaches the two others; and a participant
// whose socket drops mid-call, back in it by themselves over new transports; someone who opens
// the app while a call rings them gets its sheet. Screenshots at 390 px
// and 1366 px of the incoming sheet, the call screen and the mini window.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import type { AccountsEnv, RegisteredUser } from '../harness/accounts.ts';
import { audit, screenshot, userContext } from '../harness/browser.ts';
import { closedUpTo, DESKTOP, expectMediaFlowing, PHONE, peerCount, signInWatched, within } from '../harness/calls-web.ts';
import { befriend, join } from '../harness/social.ts';
import { fillSignIn, startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let env: AccountsEnv;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  // Three fake cameras, for the camera switch.
  web = await startWebEnv('calls-e2e', { CALL_RING_SECONDS: '6' }, { cameras: 3 });
  ({ env } = web);
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await web.close();
});

/** Signed in at `viewport` on the node, the page's peer connections and sockets watched. */
const signIn = (user: RegisteredUser, viewport: { width: number; height: number }) =>
  signInWatched(web.browser, contexts, env.node.url, user, viewport);

/** A one-to-one conversation between two friends (the first message sent over the protocol). */
async function friends(): Promise<{ ana: RegisteredUser; bruno: RegisteredUser; conversationId: string }> {
  const ana = await env.register();
  const bruno = await env.register();
  await befriend(env.node, ana, bruno);
  const member = await join(env, env.node, ana);
  const { conversationId } = await member.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), text: '¿Llamada?' });
  member.close();
  return { ana, bruno, conversationId };
}

const openConversation = async (page: Page, conversationId: string) => {
  await page.goto(`${env.node.url}/chats/${conversationId}`);
  await page.getByTestId('conversation').waitFor(within);
  await page.getByTestId('call-video').waitFor(within);
};
/** How many tiles of `source` show a video that has decoded a picture. */
const playing = (page: Page, source: 'camera' | 'screen') =>
  page
    .locator(`[data-testid="call-tile"][data-source="${source}"] video`)
    .evaluateAll((videos) => videos.filter((video) => (video as HTMLVideoElement).videoWidth > 0).length);
/** The camera the page sends in its call: the label of its video sender's track. */
const sentCamera = (page: Page) =>
  page.evaluate(() => {
    for (const pc of (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections) {
      if (pc.connectionState === 'closed') continue;
      for (const sender of pc.getSenders())
        if (sender.track?.kind === 'video' && sender.track.label.startsWith('fake_device')) return sender.track.label;
    }
    return null;
  });
const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const toast = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text }).first().waitFor(within);

describe('calls in the web client', () => {
  test('e2e: a one-to-one video call: the callee’s sheet rings, both sides decode video and audio, the mini window keeps the call, hang-up ends it for both', async () => {
    const { ana, bruno, conversationId } = await friends();
    const a = await signIn(ana, PHONE);
    const b = await signIn(bruno, DESKTOP);
    await openConversation(a, conversationId);
    await a.getByTestId('call-video').click();
    await a.getByTestId('call-screen').waitFor(within);
    await expect.poll(() => a.getByTestId('call-status').textContent(), within).toBe(en['calls.ringing']);

    // Bruno is on his home screen: the sheet rings there, with Ana's name and the kind of call.
    const sheet = b.getByTestId('incoming-call');
    await sheet.waitFor(within);
    expect(await sheet.textContent()).toContain(ana.username);
    expect(await sheet.textContent()).toContain(en['calls.incomingVideo']);
    await screenshot(b, 'calls-incoming-1366');
    expect(await audit(b, 'incoming sheet')).toEqual([]);
    await b.getByTestId('call-accept').click();
    await b.getByTestId('call-screen').waitFor(within);
    await sheet.waitFor({ state: 'detached', ...within });

    // Each side decodes the other's camera and microphone.
    await Promise.all([expectMediaFlowing(a), expectMediaFlowing(b)]);
    await expect.poll(() => a.locator(`[data-testid="call-tile"][data-user="${bruno.id}"] video`).count(), within).toBe(1);
    await expect.poll(() => b.locator(`[data-testid="call-tile"][data-user="${ana.id}"] video`).count(), within).toBe(1);
    // The quality of the connection to the other shows once measured.
    await expect
      .poll(() => b.locator(`[data-testid="call-tile"][data-user="${ana.id}"]`).getAttribute('data-quality'), within)
      .toMatch(/good|fair|poor/);
    // On Ana's phone Bruno fills the screen and her own camera floats in a corner; the desktop
    // shows them side by side.
    expect(await a.getByTestId('call-floating-self').locator(`[data-user="${ana.id}"] video`).count()).toBe(1);
    expect(await b.getByTestId('call-floating-self').count()).toBe(0);
    await screenshot(a, 'calls-screen-390');
    await screenshot(b, 'calls-screen-1366');
    // Bruno puts Ana in the browser's picture in picture.
    await b.getByTestId('call-pip-browser').click();
    await expect
      .poll(
        () =>
          b.evaluate(() =>
            (document.pictureInPictureElement as HTMLVideoElement | null)?.closest('[data-user]')?.getAttribute('data-user'),
          ),
        within,
      )
      .toBe(ana.id);
    await b.evaluate(() => document.exitPictureInPicture());
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(PHONE.width);
    expect([...(await audit(a, 'call screen 390')), ...(await audit(b, 'call screen 1366'))]).toEqual([]);

    // Camera off: Bruno sees Ana's initial instead of her video; on again, her video comes back.
    const anaTile = b.locator(`[data-testid="call-tile"][data-user="${ana.id}"]`);
    await a.getByTestId('call-camera').click();
    await expect.poll(() => anaTile.locator('video').count(), within).toBe(0);
    await a.getByTestId('call-camera').click();
    await expect.poll(() => anaTile.locator('video').count(), within).toBe(1);

    // Ana picks another microphone in the device pickers: Bruno still hears her.
    await a.getByTestId('call-devices').click();
    const microphone = a.getByTestId('call-devices-dialog').getByLabel(en['calls.microphone']);
    const options = await microphone.locator('option').evaluateAll((all) => all.map((option) => (option as HTMLOptionElement).value));
    expect(options.length).toBeGreaterThan(1);
    await microphone.selectOption(options[options.length - 1] as string);
    await expect.poll(() => playing(a, 'camera'), within).toBe(2);
    await screenshot(a, 'calls-devices-390');
    await a.getByTestId('call-devices-dialog').getByRole('button', { name: en['dialog.close'] }).click();
    await expectMediaFlowing(b);

    // Ana switches camera in the pickers: she now sends the other one, and Bruno still sees her.
    // (Chromium's second fake camera is a depth camera no encoder takes: the third is used.)
    expect(await sentCamera(a)).toBe('fake_device_0');
    await expect.poll(() => a.getByTestId('call-switch-camera').count(), within).toBe(1);
    await a.getByTestId('call-devices').click();
    await a.getByTestId('call-devices-dialog').getByLabel(en['calls.camera']).selectOption({ label: 'fake_device_2' });
    await a.getByTestId('call-devices-dialog').getByRole('button', { name: en['dialog.close'] }).click();
    await expect.poll(() => sentCamera(a), within).toBe('fake_device_2');
    await expectMediaFlowing(b);
    await expect.poll(() => playing(b, 'camera'), within).toBe(2);

    // Mute shows on the other side.
    await a.getByTestId('call-mute').click();
    await expect
      .poll(
        () => b.locator(`[data-testid="call-tile"][data-user="${ana.id}"]`).getByRole('img', { name: en['calls.muted'] }).count(),
        within,
      )
      .toBe(1);
    await a.getByTestId('call-mute').click();

    // Both minimize and go elsewhere: the call goes on in the mini window.
    await a.getByTestId('call-minimize').click();
    await b.getByTestId('call-minimize').click();
    await a.getByTestId('call-mini').waitFor(within);
    await a.getByTestId('nav-chats').click();
    await b.getByTestId('nav-chats').click();
    await b.getByTestId('call-mini').waitFor(within);
    await a.getByTestId('call-mini').waitFor(within);
    await Promise.all([expectMediaFlowing(a), expectMediaFlowing(b)]);
    await screenshot(a, 'calls-mini-390');
    await screenshot(b, 'calls-mini-1366');
    expect(await audit(a, 'mini window')).toEqual([]);

    // Back to the full screen, and Ana hangs up: it ends for Bruno too.
    await a.getByTestId('call-expand').click();
    await a.getByTestId('call-hang-up').click();
    await a.getByTestId('call-screen').waitFor({ state: 'detached', ...within });
    await b.getByTestId('call-mini').waitFor({ state: 'detached', ...within });
  }, 120_000);

  test('e2e: a declined call ends for the caller with a message; an unanswered one stops ringing after the ring time; a call to someone busy ends at once', async () => {
    const { ana, bruno, conversationId } = await friends();
    const carla = await env.register();
    await befriend(env.node, carla, bruno);
    const member = await join(env, env.node, carla);
    const { conversationId: carlaWithBruno } = await member.call('chats.send', {
      to: bruno.id,
      clientId: crypto.randomUUID(),
      text: 'Hola',
    });
    member.close();
    const a = await signIn(ana, PHONE);
    const b = await signIn(bruno, DESKTOP);
    const c = await signIn(carla, PHONE);

    // Declined: Bruno calls Ana (voice); her phone shows the sheet; she declines.
    await openConversation(b, conversationId);
    await b.getByTestId('call-voice').click();
    const sheet = a.getByTestId('incoming-call');
    await sheet.waitFor(within);
    expect(await sheet.textContent()).toContain(en['calls.incomingVoice']);
    await screenshot(a, 'calls-incoming-390');
    await a.getByTestId('call-decline').click();
    await sheet.waitFor({ state: 'detached', ...within });
    await b.getByTestId('call-screen').waitFor({ state: 'detached', ...within });
    await toast(b, en['calls.endedDeclined']);

    // Nobody answers: after the ring time the sheet goes and the caller is told.
    await openConversation(a, conversationId);
    await a.getByTestId('call-voice').click();
    await b.getByTestId('incoming-call').waitFor(within);
    await b.getByTestId('incoming-call').waitFor({ state: 'detached', timeout: 30_000 });
    await a.getByTestId('call-screen').waitFor({ state: 'detached', ...within });
    await toast(a, en['calls.endedMissed']);

    // Busy: Bruno is in a call with Ana; Carla's call to him ends at once, without ringing him.
    await a.getByTestId('call-video').click();
    await b.getByTestId('call-accept').click();
    await b.getByTestId('call-screen').waitFor(within);
    await openConversation(c, carlaWithBruno);
    await c.getByTestId('call-voice').click();
    await toast(c, en['calls.endedBusy']);
    await c.getByTestId('call-screen').waitFor({ state: 'detached', ...within });
    expect(await b.getByTestId('incoming-call').count()).toBe(0);

    // Ana calling Bruno again while their call goes on is refused plainly (the buttons are off in a call).
    expect(await a.getByTestId('call-hang-up').count()).toBe(1);
    await b.getByTestId('call-hang-up').click();
    await a.getByTestId('call-screen').waitFor({ state: 'detached', ...within });
  }, 120_000);

  test('e2e: a three-person group call: one answers, one declines and then joins from the group, and a shared screen reaches the two others', async () => {
    const ana = await env.register();
    const bruno = await env.register();
    const carla = await env.register();
    await befriend(env.node, ana, bruno);
    await befriend(env.node, ana, carla);
    const member = await join(env, env.node, ana);
    const { id: conversationId } = await member.call('chats.createGroup', {
      name: 'Paseos del parque',
      userIds: [bruno.id, carla.id],
      clientId: crypto.randomUUID(),
    });
    member.close();
    const a = await signIn(ana, DESKTOP);
    const b = await signIn(bruno, PHONE);
    const c = await signIn(carla, PHONE);
    await openConversation(a, conversationId);
    await a.getByTestId('call-video').click();
    await a.getByTestId('call-screen').waitFor(within);

    // Bruno answers; Carla declines, then opens the group and joins the call in progress.
    await b.getByTestId('incoming-call').waitFor(within);
    expect(await b.getByTestId('incoming-call').textContent()).toContain('Paseos del parque');
    await b.getByTestId('call-accept').click();
    await c.getByTestId('incoming-call').waitFor(within);
    await c.getByTestId('call-decline').click();
    await c.goto(`${env.node.url}/chats/${conversationId}`);
    await c.getByTestId('call-join').click();
    await c.getByTestId('call-screen').waitFor(within);
    for (const page of [a, b, c])
      await expect.poll(() => page.locator('[data-testid="call-tile"][data-source="camera"]').count(), within).toBe(3);
    await Promise.all([expectMediaFlowing(a), expectMediaFlowing(b), expectMediaFlowing(c)]);

    // Ana shares her screen: Bruno and Carla get a tile of it that plays.
    await a.getByTestId('call-share').click();
    for (const page of [b, c]) {
      const shared = page.locator(`[data-testid="call-tile"][data-user="${ana.id}"][data-source="screen"] video`);
      await expect.poll(() => shared.count(), within).toBe(1);
      await expect.poll(() => shared.evaluate((video: HTMLVideoElement) => video.videoWidth), within).toBeGreaterThan(0);
    }
    // Everyone's camera still plays beside the screen.
    for (const page of [a, b, c]) await expect.poll(() => playing(page, 'camera'), within).toBe(3);
    await screenshot(a, 'calls-group-1366');
    await screenshot(b, 'calls-group-390');
    // The speaker view puts the shared screen large.
    await b.getByTestId('call-layout').click();
    await b.locator(`.call-main [data-user="${ana.id}"][data-source="screen"]`).waitFor(within);
    await expect.poll(() => playing(b, 'camera'), within).toBe(3);
    await screenshot(b, 'calls-group-speaker-390');

    // Ana stops sharing: the tile goes for the others.
    await a.getByTestId('call-share').click();
    await expect.poll(() => c.locator('[data-testid="call-tile"][data-source="screen"]').count(), within).toBe(0);
    for (const page of [a, b, c]) await page.getByTestId('call-hang-up').click();
  }, 120_000);
  test('e2e: a participant whose connection drops mid-call is back in it on its own: a new socket takes the device’s place, media is negotiated again and flows both ways', async () => {
    const { ana, bruno, conversationId } = await friends();
    const a = await signIn(ana, DESKTOP);
    const b = await signIn(bruno, PHONE);
    await openConversation(a, conversationId);
    await a.getByTestId('call-video').click();
    await b.getByTestId('call-accept').click();
    await b.getByTestId('call-screen').waitFor(within);
    await Promise.all([expectMediaFlowing(a), expectMediaFlowing(b)]);
    const madeBefore = await peerCount(b);
    const watcher = await join(env, env.node, ana);
    const [call] = (await watcher.call('calls.history', { limit: 1 })).items;
    expect(call?.state).toBe('active');
    const callId = call?.id as string;

    // Bruno's socket drops under the app (as a network change would); the app reconnects by itself.
    await b.evaluate(() => {
      const open = (window as unknown as { sockets: WebSocket[] }).sockets.filter((socket) => socket.readyState === WebSocket.OPEN);
      for (const socket of open) socket.close(4000, 'network gone');
    });
    // A new socket, new transports: both sides decode each other again, and the call never ended.
    await expect.poll(() => peerCount(b), within).toBeGreaterThan(madeBefore);
    // The old transports are closed, so what is decoded next comes over the new ones.
    await expect.poll(() => closedUpTo(b, madeBefore), within).toBe(true);
    await Promise.all([expectMediaFlowing(a), expectMediaFlowing(b)]);
    await expect.poll(() => playing(a, 'camera'), within).toBe(2);
    await expect.poll(() => playing(b, 'camera'), within).toBe(2);
    expect(await b.getByTestId('call-screen').count()).toBe(1);
    const after = await watcher.call('calls.get', { callId });
    expect(after.state).toBe('active');
    expect(after.participants.map((p) => p.state)).toEqual(['joined', 'joined']);
    watcher.close();
    await a.getByTestId('call-hang-up').click();
    await b.getByTestId('call-screen').waitFor({ state: 'detached', ...within });
  }, 120_000);
  test('e2e: someone who opens the app while a call rings them (as from the call’s push) gets the ringing sheet and can answer', async () => {
    const { ana, bruno, conversationId } = await friends();
    const a = await signIn(ana, DESKTOP);
    await openConversation(a, conversationId);
    // Bruno's sign-in screen is filled beforehand: the call rings for 6 s only here.
    const context = await userContext(web.browser, { viewport: PHONE });
    contexts.push(context);
    const b = await context.newPage();
    const submit = await fillSignIn(b, env.node.url, bruno);
    await a.getByTestId('call-voice').click();
    await expect.poll(() => a.getByTestId('call-status').textContent(), within).toBe(en['calls.ringing']);
    // Bruno had no session open: he signs in now, after the ring went out.
    await submit();
    const sheet = b.getByTestId('incoming-call');
    await sheet.waitFor(within);
    expect(await sheet.textContent()).toContain(ana.username);
    await b.getByTestId('call-accept').click();
    await b.getByTestId('call-screen').waitFor(within);
    await expect.poll(() => a.getByTestId('call-status').textContent(), within).not.toBe(en['calls.ringing']);
    await b.getByTestId('call-hang-up').click();
    await a.getByTestId('call-screen').waitFor({ state: 'detached', ...within });
  }, 120_000);
});
