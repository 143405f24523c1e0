// A story's lifetime in the web client, shortened to 15 s on this node (STORY_LIFETIME_MS): Ana
// posts one; Bruno's open home shows her in the tray live; when the story expires her item leaves
// his tray by itself, with no reload and no event, and the server then answers NOT_FOUND for it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { media } from '../../server/media/schema.ts';
import { rowsOf } from '../../server/platform/db/rows.ts';
import { screenshot } from '../harness/browser.ts';
import { befriend, join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

const LIFETIME_MS = 15_000;
let web: WebEnv;

beforeAll(async () => {
  web = await startWebEnv('stories-expiry-e2e', { STORY_LIFETIME_MS: String(LIFETIME_MS) });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

test('e2e: an expired story leaves an open tray at its expiry, without a reload; the server no longer shows it', async () => {
  const { env } = web;
  const ana = await env.register();
  const bruno = await env.register();
  await befriend(env.node, ana, bruno);
  const page = await web.signIn(bruno);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('story-tray').waitFor();
  const loads: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) loads.push(frame.url());
  });

  // Ana posts from another device (the pipeline's result stands in for an upload: tested elsewhere).
  const native = await join(env, env.node, ana);
  const mediaId = Bun.randomUUIDv7();
  const now = new Date();
  await env.node.platform.database.db
    .insert(media)
    .values({ id: mediaId, ownerId: ana.id, kind: 'image', status: 'ready', size: 100, received: 100, createdAt: now, updatedAt: now });
  const { stories } = await native.call('stories.create', { mediaId, audience: 'friends' });
  const story = stories[0] as { id: string; expiresAt: string };
  const item = page.getByTestId(`story-item-${ana.username}`);
  await item.waitFor({ timeout: 15_000 });
  expect(await item.getAttribute('data-ring')).toBe('unseen');
  await screenshot(page, 'stories-expiry-before-390');

  // It leaves at its expiry: not before, and soon after.
  const expiresAt = new Date(story.expiresAt).getTime();
  await item.waitFor({ state: 'detached', timeout: expiresAt - Date.now() + 5000 });
  expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 250);
  expect(loads, 'no reload').toEqual([]);
  await screenshot(page, 'stories-expiry-after-390');
  const viewer = await join(env, env.node, bruno);
  expect((await viewer.refused('stories.get', { storyId: story.id })).code).toBe('NOT_FOUND');
  expect((await viewer.call('stories.tray', {})).items.map((entry) => entry.author.id)).not.toContain(ana.id);
  // The row is still there (the cleanup has not run): expiry needs no cleanup.
  const rows = rowsOf<{ n: number }>(
    await env.node.platform.database.db.execute(sql`select count(*)::int as n from stories where id = ${story.id}`),
  );
  expect(rows).toEqual([{ n: 1 }]);
  viewer.close();
  native.close();
  await page.context().close();
}, 90_000);
