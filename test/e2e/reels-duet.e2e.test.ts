// Two people and a reel, end to end in headless Chromium against a real node (a fake camera: a test
// pattern, no permission prompt). Ana posts a reel from the create screen (a video uploaded as it
// is). Bruno opens Reels: For You plays it, a double tap likes it, and its menu's "Duet" opens the
// duet recorder, where the camera films beside the original while it plays and stops when it ends;
// he posts, and the server composes the two side by side. Ana opens the duet: it is credited to her
// reel and heard with her reel's sound; her reel's analytics count Bruno's view and like.
// Screenshots at 390 px and 1366 px.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { audit, screenshot } from '../harness/browser.ts';
import { givePlan } from '../harness/plans.ts';
import { join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let dir: string;
let clip: string;

beforeAll(async () => {
  dir = mkdtempSync(joinPath(tmpdir(), 'reels-duet-e2e-'));
  clip = joinPath(dir, 'surf.mp4');
  // 16 s, small and slow so it processes in seconds, with a tone that becomes its sound.
  const made = Bun.spawn(
    [
      'ffmpeg',
      '-loglevel',
      'error',
      '-y',
      ...['-f', 'lavfi', '-i', 'testsrc2=size=360x640:rate=12:duration=16', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=16'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
    ],
    { stderr: 'pipe' },
  );
  if ((await made.exited) !== 0) throw new Error(`ffmpeg failed: ${await new Response(made.stderr).text()}`);
  web = await startWebEnv('reels-duet-e2e');
}, 120_000);
afterAll(async () => {
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

const within = { timeout: 20_000 };
/** Uploading, composing and processing on a busy machine (two cores shared). */
const posting = { timeout: 360_000 };
const PHONE = { width: 390, height: 844 };

const current = (page: Page) => page.locator('.reel-page[data-current="true"]');
/** The reel on screen plays: it has a frame and its time moves. */
const playing = (page: Page) =>
  page.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('.reel-page[data-current="true"] video');
      return video !== null && video.readyState >= 2 && video.currentTime > 2.5;
    },
    undefined,
    { timeout: 40_000 },
  );

test('e2e: Ana posts a reel; Bruno watches it in For You, likes it and duets it; Ana sees the duet credited to her reel, and her analytics count his view and like', async () => {
  const { env } = web;
  const [ana, bruno] = [await env.register(), await env.register()];
  // The full analytics are a Premium feature (creatorAnalytics).
  await givePlan(env.node.platform.database.db, ana.id, 'premium');

  // Ana: Create → Reel, a video as it is, a caption, post.
  const a = await web.signIn(ana);
  await a.setViewportSize(PHONE);
  await a.goto(`${env.node.url}/create/reel`);
  await a.getByTestId('reel-camera').getByLabel(en['reelCreate.upload']).setInputFiles(clip);
  await a.getByTestId('reel-edit').getByTestId('reel-next').click();
  const details = a.getByTestId('reel-details');
  await details.getByLabel(en['reelCreate.caption']).fill('Luna learns to surf #playa');
  await details.getByTestId('reel-post').click();
  await a.waitForURL(/\/reels\/[0-9a-f-]{36}$/, posting);
  const reelId = a.url().split('/').pop() as string;
  const author = await join(env, env.node, ana);
  const original = await author.call('reels.get', { reelId });
  expect(original.sound).toMatchObject({ creator: { id: ana.id }, originReelId: reelId });

  // Bruno: For You plays it; a double tap likes it.
  const b = await web.signIn(bruno);
  await b.setViewportSize(PHONE);
  await b.getByTestId('nav-reels').click();
  await b.waitForURL('**/reels');
  await expect.poll(() => current(b).getAttribute('data-testid'), within).toBe(`reel-${reelId}`);
  await playing(b);
  const stage = current(b).locator('.reel-stage');
  const box = await stage.boundingBox();
  if (box === null) throw new Error('no stage');
  await b.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 3);
  await expect.poll(() => current(b).getByTestId('react').getAttribute('aria-pressed'), within).toBe('true');
  const viewer = await join(env, env.node, bruno);
  await expect.poll(async () => (await viewer.call('posts.get', { postId: reelId })).myReaction, within).toBe('like');

  // Its menu's "Duet": the camera beside the original, which plays; recording stops when it ends.
  await current(b).locator('summary.post-action').click();
  await current(b).getByTestId('reel-duet').click();
  await b.waitForURL(`**/create/reel?duet=${reelId}`, within);
  const camera = b.getByTestId('reel-camera');
  await camera.getByTestId('reel-duet-original').waitFor(within);
  await expect.poll(() => camera.getByTestId('reel-record').isEnabled(), within).toBe(true);
  await screenshot(b, 'reels-duet-camera-390');
  await camera.getByTestId('reel-record').click();
  await b.getByTestId('reel-edit').waitFor({ timeout: 60_000 });
  await b.getByTestId('reel-edit').getByTestId('reel-next').click();
  await b.getByTestId('reel-details').getByTestId('reel-post').click();
  // Posted (the reel's page), or refused (the reason shown): whichever comes first, with a screenshot.
  const alert = b.getByTestId('reel-details').getByRole('alert');
  const outcome = await Promise.race([
    b.waitForURL(/\/reels\/[0-9a-f-]{36}$/, posting).then(() => 'posted'),
    alert.waitFor(posting).then(async () => `refused: ${await alert.textContent()}`),
  ]);
  await screenshot(b, 'reels-duet-posted-390');
  expect(outcome).toBe('posted');
  const duetId = b.url().split('/').pop() as string;
  expect(duetId).not.toBe(reelId);

  // The duet, as the protocol has it: credited to Ana's reel, with her reel's sound, two pictures wide.
  const duet = await viewer.call('reels.get', { reelId: duetId });
  expect(duet.remix).toMatchObject({ kind: 'duet', reelId, author: { id: ana.id } });
  expect(duet.sound?.id).toBe(original.sound?.id);
  const [made] = (await viewer.call('media.get', { ids: [duet.mediaId] })).items;
  expect((made?.width ?? 0) > (made?.height ?? 0) * 0.9).toBe(true);

  // Ana opens the duet: "Duet with @ana", linking to her reel.
  await a.goto(`${env.node.url}/reels/${duetId}`);
  const credit = current(a).getByTestId('reel-remix');
  // The name is isolated for bidirectional text (U+2068 … U+2069), as every name in a message is.
  await expect
    .poll(async () => (await credit.textContent())?.replace(/[\u2068\u2069]/g, ''), within)
    .toContain(en['reels.duetWith'].replace('{username}', ana.username));
  expect(await credit.locator('a').getAttribute('href')).toBe(`/reels/${reelId}`);
  await screenshot(a, 'reels-duet-credit-390');
  expect(await audit(a, 'duet credit 390')).toEqual([]);
  await a.setViewportSize({ width: 1366, height: 900 });
  await screenshot(a, 'reels-duet-credit-1366');

  // Her reel's analytics: Bruno's view (reported when he left the player) and his like.
  await expect
    .poll(async () => {
      const figures = await author.call('reels.analytics', { reelId });
      return [figures.totals.views, figures.totals.reactions];
    }, posting)
    .toEqual([1, 1]);
  await a.goto(`${env.node.url}/reels/${reelId}/analytics`);
  const totals = a.getByTestId('analytics-totals');
  const tile = (label: string) => totals.locator('.analytics-tile', { has: a.getByText(label, { exact: true }) }).locator('dd');
  await expect.poll(() => tile(en['reelAnalytics.views']).textContent(), within).toBe('1');
  expect(await tile(en['reelAnalytics.reactions']).textContent()).toBe('1');
  await screenshot(a, 'reels-duet-analytics-1366');
  await a.setViewportSize(PHONE);
  await screenshot(a, 'reels-duet-analytics-390');
  author.close();
  viewer.close();
}, 900_000);
