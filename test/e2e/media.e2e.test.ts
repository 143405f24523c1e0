// Media in the web client against a real node (folder storage, the node's own media workers),
// phone-sized (360 px), screenshots in .test-results/screenshots: a 720p video with sound made by
// ffmpeg goes up through the post composer in chunks (byte progress), is processed (percent) and
// ready, and its HLS output plays in the post card (hls.js in Chromium); a new profile photo
// shows on the profile, a pet's photo on its page, a group picture in the chat list; and a voice note recorded from Chromium's fake microphone reaches a
// friend, who sees its waveform and plays it. The profile settings show the storage used and the
// user's media, which they can delete unless something still shows them; a cancelled upload is
// given up on the server.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import ffmpeg from 'fluent-ffmpeg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { media } from '../../server/media/schema.ts';
import type { AccountsEnv } from '../harness/accounts.ts';
import { chooseLanguage, screenshot } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { befriend } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let env: AccountsEnv;
let dir: string;
let video: string;
let photo: string;

function make(command: ffmpeg.FfmpegCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    command
      .on('end', () => resolve())
      .on('error', reject)
      .run();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'media-e2e-'));
  video = join(dir, 'walk.mp4');
  photo = join(dir, 'luna.jpg');
  // Four seconds of 720p test pattern with a tone; the noise keeps the bitrate up (~4 MB), so
  // the upload takes several chunks.
  await make(
    ffmpeg()
      .input('testsrc2=size=1280x720:rate=30:duration=4,noise=alls=30:allf=t')
      .inputFormat('lavfi')
      .input('sine=frequency=440:duration=4')
      .inputFormat('lavfi')
      .outputOptions('-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-b:v', '8M', '-maxrate', '8M', '-bufsize', '4M')
      .outputOptions('-c:a', 'aac', '-shortest')
      .output(video),
  );
  await make(ffmpeg().input('testsrc=size=800x600').inputFormat('lavfi').outputOptions('-frames:v', '1').output(photo));
  web = await startWebEnv('media-e2e');
  ({ env } = web);
}, 120_000);
afterAll(async () => {
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

const within = { timeout: 20_000 };
const processing = { timeout: 90_000 };
const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** "Uploading {sent} of {total}" as a pattern whose numbers are captured. */
const uploadingPattern = new RegExp(`^${en['media.uploading'].replace('{sent}', '([\\d.]+) MB').replace('{total}', '([\\d.]+) MB')}$`);
const processingPattern = new RegExp(`^${en['media.processing'].replace('{percent}', '\\d+')}$`);

/** Every status text the page's uploads show, sampled in the page as it changes. */
async function recordStatuses(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    const note = () => {
      for (const element of document.querySelectorAll('[data-testid="upload-status"]')) {
        const text = element.textContent ?? '';
        if (seen[seen.length - 1] !== text) seen.push(text);
      }
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
}

describe('media in the web client', () => {
  test('e2e: a video goes up in chunks with byte progress, is processed, is posted, and its HLS plays', async () => {
    const ana = await env.register();
    const a = await web.signIn(ana);
    // Each chunk takes a moment, as on a phone network: the progress between chunks shows.
    await a.route('**/media/uploads/*?offset=*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await a.getByRole('link', { name: en['nav.home'], exact: true }).click();
    await a.getByRole('heading', { name: en['feed.title'] }).waitFor();
    const statuses = await recordStatuses(a);
    await a.getByRole('button', { name: en['feed.compose'] }).click();
    await a.getByLabel(en['composer.text']).fill('Evening walk 🎬');
    await a.getByLabel(en['composer.attach']).setInputFiles(video);

    const upload = a.getByTestId('upload');
    await expect.poll(async () => uploadingPattern.exec((await statuses()).at(-1) ?? '')?.[1], within).toMatch(/^[1-9]/);
    await screenshot(a, 'media-upload-progress');
    await expect.poll(() => upload.getAttribute('data-phase'), processing).toBe('ready');
    const seen = await statuses();
    const sent = seen.flatMap((text) => {
      const match = uploadingPattern.exec(text);
      return match === null ? [] : [Number(match[1])];
    });
    const total = Number(uploadingPattern.exec(seen.find((text) => uploadingPattern.test(text)) ?? '')?.[2]);
    expect(total).toBeCloseTo(statSync(video).size / 1_000_000, 1);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent).toEqual([...sent].sort((x, y) => x - y));
    expect(sent.some((bytes) => bytes > 0 && bytes < total)).toBe(true);
    const phases = seen.map((text) =>
      uploadingPattern.test(text) ? 'sending' : processingPattern.test(text) ? 'processing' : text === en['media.ready'] ? 'ready' : text,
    );
    expect([...new Set(phases)]).toEqual(['sending', 'processing', 'ready']);
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);

    await a.getByRole('button', { name: en['composer.submit'], exact: true }).click();
    const card = a.locator('article').filter({ hasText: 'Evening walk' }).first();
    const player = card.getByTestId('video');
    await player.waitFor(within);
    expect(await player.getAttribute('poster')).toMatch(/\/media\/files\/.+thumb\.jpg/);
    await player.scrollIntoViewIfNeeded();
    // Muted playback needs no gesture; hls.js feeds the element through Media Source Extensions.
    await expect
      .poll(() => player.evaluate((element: HTMLVideoElement) => element.src.startsWith('blob:') || element.currentSrc !== ''), within)
      .toBe(true);
    await player.evaluate(async (element: HTMLVideoElement) => {
      element.muted = true;
      await element.play();
    });
    await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.readyState), within).toBeGreaterThanOrEqual(2);
    await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.currentTime), within).toBeGreaterThan(0.5);
    expect(await player.evaluate((element: HTMLVideoElement) => element.videoHeight)).toBeGreaterThan(0);
    await player.evaluate((element: HTMLVideoElement) => element.pause());
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);
    await screenshot(a, 'media-post-video');
  }, 180_000);

  test('e2e: a new profile photo uploads from the profile editor and shows on the profile; a pet gets a photo too', async () => {
    const bruno = await env.register();
    const b = await web.signIn(bruno);
    await b.goto(`${env.node.url}/settings/profile`);
    const setting = b.getByTestId('avatar-setting');
    await setting.getByText(en['profile.noPhoto']).waitFor(within);
    await b.getByLabel(en['profile.changeAvatar']).setInputFiles(photo);
    await b.getByText(en['profile.photoSaved']).waitFor(processing);
    await setting.getByRole('img', { name: en['profile.avatar'], exact: true }).waitFor(within);
    await b.getByRole('button', { name: en['profile.removeAvatar'] }).waitFor();
    expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);
    await screenshot(b, 'media-avatar-editor');

    await b.goto(`${env.node.url}/u/${bruno.username}`);
    const avatar = b.getByTestId('profile').locator('.profile-head .avatar picture img');
    await avatar.waitFor(within);
    await expect
      .poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0 && img.currentSrc), within)
      .toMatch(/\/media\/files\/.+\/small\.webp/);
    await screenshot(b, 'media-avatar-profile');

    // A pet with a photo: it uploads in the editor and shows on the pet's page.
    await b.goto(`${env.node.url}/pets/new`);
    await b.getByLabel(en['pets.name']).fill('Luna');
    await b.getByLabel(en['pets.addPhotos']).setInputFiles(photo);
    await expect.poll(() => b.getByTestId('upload').getAttribute('data-phase'), processing).toBe('ready');
    await b.getByRole('button', { name: en['pets.create'] }).click();
    const page = b.getByTestId('pet');
    await page.waitFor(within);
    await expect
      .poll(() => page.getByAltText('Luna').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), within)
      .toBe(true);
    expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);
    await screenshot(b, 'media-pet-photo');
  }, 120_000);

  test('e2e: the profile settings show the storage used and the user’s media; one still shown is refused, one not shown is deleted and the bar goes down; a cancelled upload is gone from the server', async () => {
    const carla = await env.register();
    const c = await web.signIn(carla);
    await c.goto(`${env.node.url}/settings/profile`);
    await c.getByLabel(en['profile.changeAvatar']).setInputFiles(photo);
    await c.getByText(en['profile.photoSaved']).waitFor(processing);
    // A second photo, uploaded and never attached to anything.
    const form = new FormData();
    form.set('kind', 'image');
    form.set('file', new Blob([await Bun.file(photo).arrayBuffer()], { type: 'image/jpeg' }), 'spare.jpg');
    const spare = await env.client().request<{ media: { id: string } }>('POST', '/media', { raw: form, token: carla.tokens.accessToken });
    const rows = () => env.node.platform.database.db.select().from(media).where(eq(media.ownerId, carla.id));
    await expect.poll(async () => (await rows()).map((row) => row.status).sort(), processing).toEqual(['ready', 'ready']);

    await c.reload();
    const storage = c.getByTestId('storage');
    const used = storage.getByTestId('storage-used');
    const usedPattern = new RegExp(`^${en['storage.used'].replace('{used}', '[\\d.]+ (kB|MB)').replace('{quota}', '5 GB')}$`);
    await expect.poll(async () => usedPattern.test((await used.textContent()) ?? ''), within).toBe(true);
    const before = await used.textContent();
    const storedBefore = (await env.node.social.media.quota(carla.id)).usedBytes;
    const items = storage.getByTestId('my-media-item');
    await expect.poll(() => items.count(), within).toBe(2);
    expect(await noHorizontalScroll(c)).toBeLessThanOrEqual(360);
    await screenshot(c, 'media-storage-settings');

    // Newest first: the spare photo, then the avatar, which is still shown.
    await items
      .nth(1)
      .getByRole('button', { name: /^Delete: / })
      .click();
    await c.getByText(format(en['error.MEDIA_IN_USE'], { places: en['media.usedBy.profile'] })).waitFor(within);
    expect(await items.count()).toBe(2);
    await items
      .nth(0)
      .getByRole('button', { name: /^Delete: / })
      .click();
    await expect.poll(() => items.count(), within).toBe(1);
    await expect.poll(() => used.textContent(), within).not.toBe(before);
    expect((await env.node.social.media.quota(carla.id)).usedBytes).toBeLessThan(storedBefore);
    expect((await rows()).map((row) => row.id)).not.toContain(spare.body.media.id);

    // An upload cancelled while it is being sent is given up on the server.
    await c.route('**/media/uploads/*?offset=*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await c.getByRole('link', { name: en['nav.home'], exact: true }).click();
    await c.getByRole('button', { name: en['feed.compose'] }).click();
    await c.getByLabel(en['composer.attach']).setInputFiles(video);
    await expect.poll(async () => (await rows()).some((row) => row.status === 'uploading'), within).toBe(true);
    await c.getByRole('button', { name: format(en['media.cancel'], { name: 'walk.mp4' }) }).click();
    await expect.poll(async () => (await rows()).some((row) => row.status === 'uploading'), within).toBe(false);
    expect((await rows()).map((row) => row.status)).toEqual(['ready']);
  }, 180_000);

  test('e2e: a group admin sets the group picture; the other member sees it in their conversation list', async () => {
    const eva = await env.register();
    const fede = await env.register();
    await befriend(env.node, eva, fede);
    const e = await web.signIn(eva);
    const f = await web.signIn(fede);
    const group = await env.node.social.chats.createGroup(eva.id, { name: 'Paseos', userIds: [fede.id] });
    await e.goto(`${env.node.url}/chats/${group.id}`);
    await e.getByRole('button', { name: en['chats.info'] }).click();
    const setting = e.getByTestId('group-picture-setting');
    await setting.waitFor(within);
    await e.getByLabel(en['chats.changeGroupPicture']).setInputFiles(photo);
    // The group's picture, by its name: the finished upload's own thumbnail may still be shown next to it.
    await setting.getByRole('img', { name: en['chats.groupPicture'], exact: true }).waitFor(processing);
    expect(await noHorizontalScroll(e)).toBeLessThanOrEqual(360);
    await screenshot(e, 'media-group-picture');

    await f.goto(`${env.node.url}/chats`);
    const picture = f.getByTestId(`chat-${group.id}`).locator('picture img');
    await picture.waitFor(within);
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), within).toBe(true);
  }, 120_000);

  test('e2e: a voice note recorded from the microphone reaches a friend, who sees its waveform and plays it', async () => {
    const carla = await env.register();
    const dario = await env.register();
    await befriend(env.node, carla, dario);
    const c = await web.signIn(carla);
    const d = await web.signIn(dario);

    await c.goto(`${env.node.url}/chats/with/${dario.username}`);
    await c.getByRole('button', { name: en['chats.record'] }).click();
    const recorder = c.getByTestId('recorder');
    await recorder.getByRole('timer').waitFor(within);
    await expect.poll(() => recorder.getByRole('timer').textContent(), within).toBe('0:02');
    expect(await noHorizontalScroll(c)).toBeLessThanOrEqual(360);
    await screenshot(c, 'media-voice-recording');
    await c.getByRole('button', { name: en['chats.sendVoice'] }).click();
    await c.waitForURL(/\/chats\/[0-9a-f-]{36}$/, processing);
    const conversationId = new URL(c.url()).pathname.split('/').pop() as string;
    await c.getByTestId('messages').getByTestId('voice').waitFor(within);

    await d.goto(`${env.node.url}/chats/${conversationId}`);
    const note = d.getByTestId('messages').getByTestId('voice');
    await note.waitFor(within);
    const waveform = note.getByTestId('waveform');
    await expect
      .poll(() => waveform.getAttribute('aria-label'), within)
      .toMatch(new RegExp(`^${format(en['media.voiceLength'], { duration: '0:0[1-4]' })}$`));
    const heights = await waveform.locator('rect').evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('height'))));
    expect(heights).toHaveLength(64);
    expect(Math.max(...heights)).toBeGreaterThan(Math.min(...heights));
    await note.getByRole('button', { name: en['media.play'] }).click();
    await note.getByRole('button', { name: en['media.pause'] }).waitFor(within);
    await expect.poll(() => note.locator('audio').evaluate((audio: HTMLAudioElement) => audio.currentTime), within).toBeGreaterThan(0.2);
    await expect.poll(() => waveform.locator('rect.played').count(), within).toBeGreaterThan(0);
    expect(await noHorizontalScroll(d)).toBeLessThanOrEqual(360);
    await screenshot(d, 'media-voice-note');
    // The player and the composer's buttons fit in long words and right to left too.
    for (const language of ['de', 'ar']) {
      await chooseLanguage(d, language);
      await expect.poll(() => d.evaluate(() => document.documentElement.lang)).toBe(language);
      await note.getByTestId('waveform').waitFor();
      expect(await noHorizontalScroll(d), language).toBeLessThanOrEqual(360);
    }
    await screenshot(d, 'media-voice-note-ar');
    await chooseLanguage(d, 'en');

    // The conversation list says what the last message is.
    await d.goto(`${env.node.url}/chats`);
    await d.getByText(`🎤 ${en['media.voice']}`).waitFor(within);
  }, 120_000);
});
