// The author's story screens in the web client against a real node, screenshots at 390 and 1366 px
// (and in Arabic) in .test-results/screenshots. Ana posts a photo story; from the settings
// (/settings/stories) she hides it from her friend Bruno, picked among her friends: after a
// reload his tray no longer shows her; she shows it to him again and it is back. Bruno, who muted
// Ana's stories, unmutes her from his settings. Ana opens her archive from her profile, sees the
// story there, still up, with its views, and plays it.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { audit, chooseLanguage, screenshot } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { befriend, join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

/** The story's photo, made once for the file. */
const photo = joinPath(tmpdir(), `stories-settings-e2e-${process.pid}.jpg`);
let web: WebEnv;

beforeAll(async () => {
  const made = Bun.spawnSync(['ffmpeg', '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=720x1280', '-frames:v', '1', photo]);
  if (made.exitCode !== 0) throw new Error(`ffmpeg: ${made.stderr.toString()}`);
  web = await startWebEnv('stories-settings-e2e');
}, 120_000);
afterAll(async () => {
  await web?.close();
  rmSync(photo, { force: true });
});

const within = { timeout: 15_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

/** Screenshots of the page at both widths, without its toasts (it is left at the desktop's); what axe finds on it. */
async function shoot(page: Page, name: string): Promise<string[]> {
  // The toasts of what was just done would cover the page.
  for (const close of await page.getByRole('button', { name: en['toast.dismiss'] }).all()) await close.click();
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await screenshot(page, `${name}-${size.width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways`).toBeLessThanOrEqual(size.width);
  }
  return audit(page, name);
}

/** Bruno's tray on a freshly loaded home: whether Ana's story is in it. */
async function trayShows(page: Page, username: string): Promise<boolean> {
  await page.goto(`${web.env.node.url}/`);
  // The tray shows "no stories" only once it has loaded (Ana is Bruno's only friend).
  await page.locator(`[data-testid="story-item-${username}"], [data-testid="story-empty"]`).first().waitFor(within);
  return (await page.getByTestId(`story-item-${username}`).count()) > 0;
}

test('e2e: the author hides her story from a friend picked in the settings and shows it again; a muted friend is unmuted; the archive shows the story and plays it', async () => {
  const { env } = web;
  const [ana, bruno] = await Promise.all([env.register(), env.register()]);
  await befriend(env.node, ana, bruno);
  const a = await web.signIn(ana);
  await a.setViewportSize(DESKTOP);
  const b = await web.signIn(bruno);
  await b.setViewportSize(PHONE);

  // Ana posts a photo story.
  await a.getByTestId('story-add').click();
  const create = a.getByTestId('story-create');
  await create.getByLabel(en['stories.pick']).setInputFiles(photo);
  await create.getByTestId('story-preview').locator('img').first().waitFor({ timeout: 90_000 });
  await create.getByRole('button', { name: en['stories.share'] }).click();
  await create.waitFor({ state: 'detached', ...within });
  expect(await trayShows(b, ana.username)).toBe(true);

  // Her settings, through the settings navigation: nobody hidden yet.
  await a.getByTestId('nav-settings').click();
  await a.locator('a[href="/settings/stories"]').first().click();
  const hidden = a.getByTestId('story-hidden');
  await hidden.getByText(en['storySettings.noHidden']).waitFor(within);
  expect(await a.getByRole('switch', { name: en['storySettings.archive'] }).isChecked()).toBe(true);
  const violations = await shoot(a, 'story-settings-empty');

  // She hides it from Bruno, picked among her friends.
  await a.getByRole('button', { name: en['storySettings.add'] }).click();
  const picker = a.getByTestId('story-hide');
  await picker.getByRole('checkbox', { name: new RegExp(bruno.username) }).check();
  await screenshot(a, 'story-settings-hide-1366');
  violations.push(...(await audit(a, 'hide dialog')));
  await picker.getByRole('button', { name: format(en['storySettings.hide'], { count: 1 }) }).click();
  await picker.waitFor({ state: 'detached', ...within });
  await hidden.getByTestId(`person-${bruno.username}`).waitFor(within);
  expect(await a.getByTestId('story-hidden-count').textContent()).toBe(format(en['storySettings.people'], { count: 1 }));
  violations.push(...(await shoot(a, 'story-settings-hidden')));
  expect(await trayShows(b, ana.username)).toBe(false);

  // She shows it to him again.
  await hidden.getByTestId(`person-${bruno.username}`).getByRole('button', { name: en['storySettings.show'] }).click();
  await hidden.getByText(en['storySettings.noHidden']).waitFor(within);
  expect(await trayShows(b, ana.username)).toBe(true);

  // Bruno muted her stories elsewhere; his settings list her, and he unmutes her.
  const native = await join(env, env.node, bruno);
  await native.call('stories.mute', { userId: ana.id, muted: true });
  native.close();
  await b.goto(`${env.node.url}/settings/stories`);
  const muted = b.getByTestId('story-muted');
  await muted.getByTestId(`person-${ana.username}`).waitFor(within);
  await muted.getByTestId(`person-${ana.username}`).getByRole('button', { name: en['storySettings.unmute'] }).click();
  await muted.getByText(en['storySettings.noMuted']).waitFor(within);
  expect(await trayShows(b, ana.username)).toBe(true);

  // Ana's archive, from her profile: the story, still up, no views yet.
  await a.goto(`${env.node.url}/u/${ana.username}`);
  const link = a.getByRole('link', { name: en['storyArchive.title'] });
  await link.waitFor(within);
  await a.setViewportSize(PHONE);
  await screenshot(a, 'story-archive-profile-link-390');
  await link.click();
  const tile = a.getByTestId('archive-story');
  await tile.waitFor(within);
  expect(await tile.count()).toBe(1);
  expect(await tile.getByText(en['storyArchive.active']).count()).toBe(1);
  expect(await tile.textContent()).toContain(format(en['stories.views'], { count: 0 }));
  await tile.locator('img').waitFor(within);
  violations.push(...(await shoot(a, 'story-archive')));
  await tile.click();
  const viewer = a.getByTestId('story-viewer');
  await viewer.waitFor(within);
  await viewer.getByTestId('story-pause').click();
  expect(await viewer.getByTestId('story-views').textContent()).toBe(format(en['stories.views'], { count: 0 }));
  await a.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached', ...within });

  // In Arabic, both pages mirror.
  await chooseLanguage(a, 'ar');
  await a.setViewportSize(PHONE);
  await tile.waitFor(within);
  expect(await a.evaluate(() => document.documentElement.dir)).toBe('rtl');
  await screenshot(a, 'story-archive-ar-390');
  await a.goto(`${env.node.url}/settings/stories`);
  await hidden.waitFor(within);
  await screenshot(a, 'story-settings-ar-390');
  expect(violations).toEqual([]);
  await a.context().close();
  await b.context().close();
}, 240_000);
