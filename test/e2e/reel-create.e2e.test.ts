// Making a reel in the web client, against a real node and headless Chromium (a fake camera: a
// test pattern, no permission prompt). Ana opens Create → Reel: the camera runs with the filter
// strip under it. She uploads a 17 s video instead of filming, picks the "warm" filter and trims
// a second off its end with the keyboard, writes a caption and posts: the clip is uploaded as a
// video, reels.compose bakes the filter and the trim, the new media is processed, reels.create
// posts it and the app goes to the reel's page. The reel, read with the protocol, has the filter
// and lasts the trimmed length. Screenshots of each step at 390 px and 1366 px, checked with axe, and
// of the camera in Arabic (right to left).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ar } from '../../client/src/i18n/messages/ar.ts';
import { en } from '../../client/src/i18n/messages/en.ts';
import { chooseLanguage, screenshot } from '../harness/browser.ts';
import { join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let folder: string;
let clip: string;

beforeAll(async () => {
  folder = await mkdtemp(joinPath(tmpdir(), 'reel-create-'));
  clip = joinPath(folder, 'luna.mp4');
  // A small portrait video with sound: 17 s of ffmpeg's test pattern and a tone.
  await promisify(execFile)('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=360x640:rate=24:duration=17'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=17'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
  ]);
  web = await startWebEnv('reel-create-e2e');
}, 120_000);
afterAll(async () => {
  await web?.close();
  await rm(folder, { recursive: true, force: true });
});

const within = { timeout: 15_000 };
/** Uploading, composing and processing a 17 s video on a busy machine (two cores shared). */
const posting = { timeout: 360_000 };

/** What axe (WCAG 2.1 A and AA) finds serious or critical on the page. */
const serious = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join(' | ')}`);

test('e2e: a video uploaded on the reel screen, filtered and trimmed, is composed by the server and posted as a reel with that filter', async () => {
  const { env } = web;
  const ana = await env.register();
  const page = await web.signIn(ana);
  await page.setViewportSize({ width: 390, height: 844 });

  // Create → Reel: the camera runs, the filter strip under it.
  await page.goto(`${env.node.url}/create`);
  await page.getByTestId('create-reel').click();
  await page.waitForURL(/\/create\/reel$/, within);
  const camera = page.getByTestId('reel-camera');
  await expect.poll(() => camera.getByTestId('reel-record').isEnabled(), within).toBe(true);
  expect(
    await camera
      .locator('video')
      .first()
      .evaluate((video: HTMLVideoElement) => video.videoWidth > 0),
  ).toBe(true);
  // The live preview takes the chosen filter: the SVG matrix, in sRGB.
  await camera.getByText(en['reelCreate.filter.warm'], { exact: true }).click();
  expect(await camera.locator('.reel-camera-live').evaluate((video) => getComputedStyle(video).filter)).toContain('reel-filter-warm');
  expect(await page.locator('#reel-filter-warm').getAttribute('color-interpolation-filters')).toBe('sRGB');
  await screenshot(page, 'reel-create-camera-390');
  expect(await serious(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, 'reel-create-camera-1366');

  // A file instead of filming: the review plays it through the filter, its whole length kept.
  await camera.getByLabel(en['reelCreate.upload']).setInputFiles(clip);
  const edit = page.getByTestId('reel-edit');
  await edit.waitFor(within);
  const end = edit.getByRole('slider', { name: en['reelCreate.trimEnd'] });
  await expect.poll(() => end.getAttribute('aria-valuenow'), within).toMatch(/^1[67]\d{3}$/);
  const fullMs = Number(await end.getAttribute('aria-valuenow'));
  expect(await edit.getByRole('radio', { name: en['reelCreate.filter.warm'] }).isChecked()).toBe(true);
  // A second off the end with the keyboard (Page Down moves a thumb by a second).
  await end.focus();
  await page.keyboard.press('PageDown');
  await expect.poll(() => end.getAttribute('aria-valuenow'), within).toBe(String(fullMs - 1000));
  await screenshot(page, 'reel-create-edit-1366');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'reel-create-edit-390');
  expect(await serious(page)).toEqual([]);

  // Details, then post.
  await edit.getByTestId('reel-next').click();
  const details = page.getByTestId('reel-details');
  await details.getByLabel(en['reelCreate.caption']).fill('Luna at the beach #perros');
  await details.getByLabel(en['reelCreate.soundTitle']).fill('Luna’s beach tune');
  await screenshot(page, 'reel-create-details-390');
  expect(await serious(page)).toEqual([]);
  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, 'reel-create-details-1366');
  await details.getByTestId('reel-post').click();
  await details.getByTestId('reel-progress').waitFor(within);
  await page.waitForURL(/\/reels\/[0-9a-f-]{36}$/, posting);
  const reelId = page.url().split('/').pop() as string;

  // The reel, as the protocol has it: the filter baked, the trimmed length, the caption and its sound's title.
  const native = await join(env, env.node, ana);
  const reel = await native.call('reels.get', { reelId });
  native.close();
  expect(reel.filter).toBe('warm');
  expect(reel.post.text).toBe('Luna at the beach #perros');
  expect(Math.abs(reel.durationMs - (fullMs - 1000))).toBeLessThan(700);
  expect(reel.remix).toBeNull();

  // In Arabic the screen reads right to left, its labels translated; the camera stays full screen.
  await page.goto(`${env.node.url}/create`);
  await chooseLanguage(page, 'ar');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${env.node.url}/create/reel`);
  const record = page.getByRole('button', { name: ar['reelCreate.record'] });
  await expect.poll(() => record.isEnabled(), within).toBe(true);
  expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
  await screenshot(page, 'reel-create-camera-ar-390');
  expect(await serious(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.context().close();
}, 480_000);
