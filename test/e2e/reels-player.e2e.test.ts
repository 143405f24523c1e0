// The reels player in the web client against a real node, in two viewport sizes (390 px phones,
// 1366 px desktops), screenshots in .test-results/screenshots. Ana posts reels: two real uploads
// (processed into HLS with their own sound) and one more, and Carla two, written through the
// media-rows harness (no files: their pages show the placeholder). Bruno opens Reels from the tab bar: For You shows a reel playing, the page never holds
// more than three videos however far he goes, a double tap likes the reel on screen (the server
// has his like), and the Following tab, Ana's profile grid and the sound's page show hers too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import type { RegisteredUser } from '../harness/accounts.ts';
import { audit, chooseLanguage, screenshot } from '../harness/browser.ts';
import { mediaRow } from '../harness/media-rows.ts';
import { join, type Member } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let dir: string;
const clips: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(joinPath(tmpdir(), 'reels-e2e-'));
  // 16 s, small and slow, so they process in seconds; a tone each, which becomes its sound.
  for (const [name, source, tone] of [
    ['surf.mp4', 'testsrc2=size=360x640:rate=12:duration=16', 440],
    ['park.mp4', 'smptebars=size=360x640:rate=12:duration=16', 660],
  ] as const) {
    const path = joinPath(dir, name);
    const made = Bun.spawn(
      [
        'ffmpeg',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        source,
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=${tone}:duration=16`,
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-shortest',
        path,
      ],
      { stderr: 'pipe' },
    );
    if ((await made.exited) !== 0) throw new Error(`ffmpeg failed: ${await new Response(made.stderr).text()}`);
    clips.push(path);
  }
  web = await startWebEnv('reels-player-e2e');
}, 120_000);
afterAll(async () => {
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

const within = { timeout: 15_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

/** Uploads a clip as a `reel` media of `owner` and waits until it is processed. */
async function uploadReel(owner: RegisteredUser, member: Member, path: string): Promise<string> {
  const bytes = new Uint8Array(await Bun.file(path).arrayBuffer());
  const client = web.env.client();
  const token = owner.tokens.accessToken;
  const started = await client.request<{ media: { id: string }; uploadUrl: string; chunkBytes: number }>('POST', '/media/uploads', {
    body: { kind: 'reel', size: bytes.byteLength },
    token,
  });
  expect(started.status).toBe(201);
  const { uploadUrl, chunkBytes } = started.body;
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
    const put = await client.request('PUT', `${uploadUrl}?offset=${offset}`, {
      raw: bytes.subarray(offset, offset + chunkBytes) as Uint8Array<ArrayBuffer>,
      token,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.status).toBe(200);
  }
  expect((await client.post(`${uploadUrl}/complete`, {}, token)).status).toBe(200);
  const id = started.body.media.id;
  await expect
    .poll(async () => ((await member.call('media.get', { ids: [id] })) as { items: { status: string }[] }).items[0]?.status, {
      timeout: 120_000,
      interval: 500,
    })
    .toBe('ready');
  return id;
}

/** The reel on screen: its post id. */
const onScreen = async (page: Page) =>
  (await page.locator('.reel-page[data-current="true"]').getAttribute('data-testid'))?.replace('reel-', '') ?? '';
const videos = (page: Page) => page.locator('video').count();
/** The reel on screen has a frame to show. */
const playing = (page: Page) =>
  page.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('.reel-page[data-current="true"] video');
      return video !== null && video.readyState >= 2 && video.currentTime > 0.3;
    },
    undefined,
    { timeout: 30_000 },
  );

describe('reels player in the web client', () => {
  test('e2e: For You plays a reel, holds at most three videos, a double tap likes it for good; Following, the profile grid and the sound page show the reels', async () => {
    const ana = await web.env.register();
    const bruno = await web.env.register();
    const author = await join(web.env, web.env.node, ana);
    const viewer = await join(web.env, web.env.node, bruno);
    await viewer.call('follows.follow', { userId: ana.id });

    const captions = ['Luna learns to surf 🏄 #playa #perros', 'Max at the park, zoomies included #parque'];
    const real: string[] = [];
    for (const [at, clip] of clips.entries()) {
      const mediaId = await uploadReel(ana, author, clip);
      const reel = (await author.call('reels.create', {
        mediaId,
        caption: captions[at],
        audience: 'public',
        coverMs: 1000,
        ...(at === 0 ? { soundTitle: 'Surf song' } : {}),
        clientId: crypto.randomUUID(),
      })) as { post: { id: string } };
      real.push(reel.post.id);
    }
    // Three more without files: one of Ana's, two of Carla's (For You puts no creator twice in a row).
    const db = web.env.node.platform.database.db;
    const carla = await join(web.env);
    for (const [n, who] of [
      [1, author],
      [2, carla],
      [3, carla],
    ] as const) {
      const mediaId = await mediaRow(db, who.id, 'reel', { durationMs: 20_000 });
      await who.call('reels.create', { mediaId, caption: `Quick clip ${n}`, audience: 'public', clientId: crypto.randomUUID() });
    }

    const b = await web.signIn(bruno);
    await b.setViewportSize(PHONE);
    await b.getByTestId('nav-reels').click();
    await b.waitForURL('**/reels');
    await b.locator('.reel-page[data-current="true"]').waitFor(within);
    // Four or five: once only one creator's reels are left, For You stops (never one creator twice in a row).
    await expect.poll(() => b.locator('.reel-page').count(), within).toBeGreaterThanOrEqual(4);
    expect(await videos(b)).toBeLessThanOrEqual(3);

    // Down to the first real upload, counting videos on the way.
    for (let step = 0; step < 5 && !real.includes(await onScreen(b)); step += 1) {
      await b.keyboard.press('j');
      await expect.poll(() => videos(b), within).toBeLessThanOrEqual(3);
    }
    const shown = await onScreen(b);
    expect(real).toContain(shown);
    await playing(b);
    expect(await videos(b)).toBeLessThanOrEqual(3);

    // A double tap on the video likes it, and the server has it.
    const stage = b.locator('.reel-page[data-current="true"] .reel-stage');
    const box = await stage.boundingBox();
    if (box === null) throw new Error('no stage');
    await b.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 3);
    const react = b.locator('.reel-page[data-current="true"]').getByTestId('react');
    await expect.poll(() => react.getAttribute('aria-pressed'), within).toBe('true');
    await expect
      .poll(async () => ((await viewer.call('posts.get', { postId: shown })) as { myReaction: string | null }).myReaction, within)
      .toBe('like');
    // A second double tap does not take it back.
    await b.waitForTimeout(600);
    await b.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 3);
    await b.waitForTimeout(600);
    expect(((await viewer.call('posts.get', { postId: shown })) as { myReaction: string | null }).myReaction).toBe('like');
    await b.waitForTimeout(400);
    await screenshot(b, 'reels-player-390');
    const violations = await audit(b, 'reels player 390');

    // Its menu (not interested, report), and its comments in a sheet.
    const current = b.locator('.reel-page[data-current="true"]');
    await current.locator('.reel-menu summary').click();
    await current.getByTestId('reel-not-interested').waitFor(within);
    await screenshot(b, 'reels-menu-390');
    await current.locator('.reel-menu summary').click();
    await current.getByTestId('reel-comments-open').click();
    const sheet = b.getByTestId('reel-comments');
    await sheet.getByLabel(en['comments.write']).fill('So good!');
    await sheet.getByRole('button', { name: en['comments.send'], exact: true }).click();
    await sheet.getByText('So good!').waitFor(within);
    await screenshot(b, 'reels-comments-390');
    violations.push(...(await audit(b, 'reels comments')));
    await b.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    await expect.poll(() => current.getByTestId('reel-comments-open').textContent(), within).toContain('1');

    // The other upload, the same checks on a desktop.
    await b.setViewportSize(DESKTOP);
    await b.keyboard.press('k');
    await b.keyboard.press('j');
    await b.locator('.reel-page[data-current="true"]').waitFor(within);
    await playing(b);
    await screenshot(b, 'reels-player-1366');
    violations.push(...(await audit(b, 'reels player 1366')));
    expect(await videos(b)).toBeLessThanOrEqual(3);

    // Following: Ana's reels (not Carla's), newest first.
    await b.getByTestId('reels-tab-following').click();
    await b.waitForURL('**/reels?tab=following');
    await b.locator('.reel-page[data-current="true"]').getByText('Quick clip 1').waitFor(within);
    await expect.poll(() => b.locator('.reel-page').count(), within).toBe(3);
    expect(await videos(b)).toBeLessThanOrEqual(3);

    // Her profile's Reels tab: three covers with their counts; one opens the player there.
    await b.goto(`${web.env.node.url}/u/${ana.username}`);
    await b.getByTestId('profile-tab-reels').click();
    await b.getByTestId(`reel-tile-${real[0]}`).waitFor(within);
    expect(await b.getByTestId('profile-reels').locator('li').count()).toBe(3);
    await b.setViewportSize(PHONE);
    await screenshot(b, 'reels-profile-grid-390');
    await b.getByTestId(`reel-tile-${real[0]}`).click();
    await b.waitForURL(`**/u/${ana.username}/reels?start=${real[0]}`);
    await expect.poll(() => onScreen(b), within).toBe(real[0]);

    // Its sound: the page with its title, its reel and "Use this sound".
    await b.locator('.reel-page[data-current="true"]').getByTestId('reel-sound').click();
    await b.getByTestId('sound-page').waitFor(within);
    await b.getByRole('heading', { name: 'Surf song' }).waitFor(within);
    expect(await b.getByTestId('sound-count').textContent()).toBe('1 reel');
    expect(await b.getByTestId('sound-use').getAttribute('href')).toMatch(/^\/create\/reel\?sound=/);
    await b.getByTestId(`reel-tile-${real[0]}`).waitFor(within);
    await screenshot(b, 'reels-sound-390');
    violations.push(...(await audit(b, 'sound page')));
    expect(await b.getByTestId('sound-use').textContent()).toBe(en['reels.useSound']);

    // Carla follows nobody: her Following tab says so, with a way to make a reel.
    const c = await web.signIn(carla.user);
    await c.setViewportSize(PHONE);
    await c.goto(`${web.env.node.url}/reels?tab=following`);
    await c.getByTestId('reels-empty').getByText(en['reels.emptyFollowing']).waitFor(within);
    await screenshot(c, 'reels-empty-390');
    violations.push(...(await audit(c, 'reels empty')));

    // In Arabic, one reel opened from a link: the actions column moves to the left.
    await chooseLanguage(b, 'ar');
    await b.goto(`${web.env.node.url}/reels/${real[0]}`);
    await b.getByTestId('reel-single').locator('.reel-page[data-current="true"]').waitFor(within);
    await expect.poll(() => onScreen(b), within).toBe(real[0]);
    await playing(b);
    const column = await b.locator('.reel-page[data-current="true"]').getByTestId('reel-actions').boundingBox();
    expect((column?.x ?? PHONE.width) + (column?.width ?? 0) / 2).toBeLessThan(PHONE.width / 2);
    await screenshot(b, 'reels-player-ar-390');
    violations.push(...(await audit(b, 'reels player ar')));
    expect(violations).toEqual([]);

    author.close();
    viewer.close();
    carla.close();
  }, 300_000);
});
