// Stories taken with the camera in the web client, with Chromium's fake camera and microphone (a
// test pattern and a beep, no permission prompt). Ana opens "Your story" → Camera, takes a photo
// and shares it: her friend Bruno's open tray shows her live and the story is that photo. Then she
// records about 3 s of video and shares it: the WebM that MediaRecorder writes goes through the
// media pipeline (found by content, transcoded) and becomes a video story that plays for Bruno.
// Screenshots of the camera at 390 px and 1366 px, each checked with axe.
import AxeBuilder from '@axe-core/playwright';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ar } from '../../client/src/i18n/messages/ar.ts';
import { en, type Messages } from '../../client/src/i18n/messages/en.ts';
import { media } from '../../server/media/schema.ts';
import type { RegisteredUser } from '../harness/accounts.ts';
import { chooseLanguage, screenshot } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { befriend, join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;

beforeAll(async () => {
  web = await startWebEnv('stories-camera-e2e');
}, 120_000);
afterAll(async () => {
  await web?.close();
});

const within = { timeout: 15_000 };
/** A busy machine (two cores shared by several test runs) can take long over a short video. */
const processing = { timeout: 180_000 };

async function signIn(user: RegisteredUser, viewport: { width: number; height: number }): Promise<Page> {
  const page = await web.signIn(user);
  await page.setViewportSize(viewport);
  await page.getByTestId('story-tray').waitFor();
  return page;
}

/** Opens "Your story" +, then the camera, and waits for its first frame (the shutter is enabled then). */
async function openCamera(page: Page, messages: Messages = en, shot?: string) {
  await page.getByTestId('story-add').click();
  const dialog = page.getByTestId('story-create');
  const open = dialog.getByRole('button', { name: messages['stories.camera'], exact: true });
  await open.waitFor(within);
  if (shot !== undefined) await screenshot(page, shot);
  await open.click();
  const camera = dialog.getByTestId('story-camera');
  const shutter = camera.getByRole('button', { name: messages['stories.takePhoto'] });
  await expect.poll(() => shutter.isEnabled(), within).toBe(true);
  return { dialog, camera, shutter };
}

/** What axe (WCAG 2.1 A and AA) finds serious or critical on the page. */
const serious = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join(' | ')}`);

test('e2e: a photo and a 3 s video taken with the camera become stories a friend sees; the recorded WebM is processed as a video', async () => {
  const { env } = web;
  const ana = await env.register();
  const bruno = await env.register();
  await befriend(env.node, ana, bruno);
  const a = await signIn(ana, { width: 390, height: 844 });
  const b = await signIn(bruno, { width: 1366, height: 900 });

  // The photo: the camera shows the live picture, the shutter takes it, and the usual preview follows.
  let { dialog, camera, shutter } = await openCamera(a, en, 'stories-camera-pick-390');
  expect(await camera.locator('video').evaluate((video: HTMLVideoElement) => video.videoWidth > 0 && !video.paused)).toBe(true);
  expect(await camera.locator('video').getAttribute('class')).toContain('mirrored');
  await screenshot(a, 'stories-camera-390');
  expect(await serious(a)).toEqual([]);
  expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shutter.click();
  await camera.waitFor({ state: 'detached', ...within });
  await dialog.getByTestId('story-preview').locator('img').first().waitFor(processing);
  await screenshot(a, 'stories-camera-photo-390');
  await dialog.getByRole('button', { name: en['stories.share'] }).click();
  await a.getByText(format(en['stories.shared'], { count: 1 })).waitFor(within);
  await dialog.waitFor({ state: 'detached', ...within });

  // Bruno's open tray shows Ana live; her story is the photo.
  await expect.poll(() => b.getByTestId(`story-item-${ana.username}`).getAttribute('data-ring'), within).toBe('unseen');
  await b.getByTestId(`story-item-${ana.username}`).click();
  await b.getByTestId('story-viewer').locator('.picture img').first().waitFor(within);
  await b.keyboard.press('Escape');
  await b.getByTestId('story-viewer').waitFor({ state: 'detached', ...within });

  // The video, on a desktop: Record, a clock that runs, Stop after about 3 s (the clock is read
  // as it runs: on a busy machine a screenshot can take seconds).
  await a.setViewportSize({ width: 1366, height: 900 });
  ({ dialog, camera, shutter } = await openCamera(a));
  expect(await serious(a)).toEqual([]);
  await camera.getByRole('button', { name: en['stories.record'] }).click();
  const started = Date.now();
  const clock = camera.getByRole('timer');
  const seconds = async () => Number((await clock.textContent())?.match(/^0:(\d\d) \/ 1:00$/)?.[1] ?? -1);
  await expect.poll(seconds, within).toBeGreaterThanOrEqual(1);
  expect(await shutter.isDisabled()).toBe(true);
  await screenshot(a, 'stories-camera-1366');
  await expect.poll(seconds, within).toBeGreaterThanOrEqual(3);
  await camera.getByRole('button', { name: en['stories.stopRecording'] }).click();
  const recordedMs = Date.now() - started;
  await camera.waitFor({ state: 'detached', ...within });
  // Its processing, as the server has it (a stuck or failed job says where it stands).
  const stage = async () => {
    const rows = await env.node.platform.database.db
      .select({ status: media.status, progress: media.progress, failure: media.failure })
      .from(media)
      .where(and(eq(media.ownerId, ana.id), eq(media.kind, 'video')));
    return rows.map((row) => `${row.status} ${row.progress}% ${row.failure ?? ''}`.trim()).join(', ');
  };
  await expect.poll(stage, { ...processing, interval: 2000 }).toBe('ready 100%');
  await dialog.getByTestId('story-preview').locator('video').waitFor(within);
  await dialog.getByRole('button', { name: en['stories.share'] }).click();
  await a.getByText(format(en['stories.shared'], { count: 1 })).waitFor(within);

  // Ana's stories are the photo and the video; the video came as WebM and lasts about 3 s.
  const native = await join(env, env.node, bruno);
  const { items } = await native.call('stories.byAuthor', { userId: ana.id });
  native.close();
  expect(items.map((story) => story.kind)).toEqual(['image', 'video']);
  const [recorded] = await env.node.platform.database.db
    .select({ format: media.format, kind: media.kind, status: media.status, durationMs: media.durationMs })
    .from(media)
    .where(eq(media.id, items[1]?.mediaId ?? ''));
  expect(recorded).toMatchObject({ format: 'webm', kind: 'video', status: 'ready' });
  expect(recorded?.durationMs).toBeGreaterThan(2000);
  expect(recorded?.durationMs).toBeLessThanOrEqual(recordedMs + 1000);

  // Bruno plays it (from his first unseen story: the video).
  await expect.poll(() => b.getByTestId(`story-item-${ana.username}`).getAttribute('data-ring'), within).toBe('unseen');
  await b.getByTestId(`story-item-${ana.username}`).click();
  const viewer = b.getByTestId('story-viewer');
  await expect.poll(() => viewer.locator('.story-bars li').count(), within).toBe(2);
  await viewer.locator('.story-stage[data-index="1"]').waitFor(within);
  const playing = viewer.locator('video');
  await expect.poll(() => playing.evaluate((element: HTMLVideoElement) => element.currentTime), within).toBeGreaterThan(0.5);
  await screenshot(b, 'stories-camera-video-1366');

  // In Arabic the camera's labels are translated and its bars mirror; Escape closes it back to the choice.
  await chooseLanguage(a, 'ar');
  await a.setViewportSize({ width: 390, height: 844 });
  ({ dialog, camera } = await openCamera(a, ar));
  await screenshot(a, 'stories-camera-ar-390');
  expect(await serious(a)).toEqual([]);
  // Escape closes the camera and leaves the sheet open.
  await a.keyboard.press('Escape');
  await camera.waitFor({ state: 'detached', ...within });
  await dialog.getByRole('button', { name: ar['stories.camera'], exact: true }).waitFor(within);
  expect(await dialog.isVisible()).toBe(true);
  await a.context().close();
  await b.context().close();
}, 420_000);
