// Stories in the web client against a real node, in two viewport sizes (390 px phones, 1366 px
// desktops), screenshots in .test-results/screenshots. Ana, Bruno and Carla: Ana is friends with
// both, and Carla is in Ana's close-friends circle. Ana posts a photo story with a text overlay
// from "Your story"; Bruno's open home shows her in the tray live, with the unseen ring; he
// watches it (the overlay is there), and the ring turns grey. Ana, with her viewer list open,
// sees Bruno arrive live. Then Ana posts a story for close friends only, with a poll: Carla's
// tray shows Ana with the green ring and she votes; Bruno's tray does not change, live or after a
// reload, and Ana's stories still hold only the one he saw. In Arabic the viewer mirrors. A reply
// from the viewer reaches the author's chat quoting the story; a highlight of two stories made on
// the author's profile, reordered and with the second as its cover, shows on it for a friend with
// that cover and plays in that order; a second one is arranged first; the author renames and
// deletes the first. A question story posted as a pet, linking one of the author's posts: a
// friend sees the pet by its owner and answers, and the author's open list of answers shows it
// live.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import type { AccountsEnv, RegisteredUser } from '../harness/accounts.ts';
import { audit, chooseLanguage, screenshot } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { befriend, join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let env: AccountsEnv;
let dir: string;
let photo: string;
let video: string;

beforeAll(async () => {
  dir = mkdtempSync(joinPath(tmpdir(), 'stories-e2e-'));
  photo = joinPath(dir, 'beach.jpg');
  video = joinPath(dir, 'walk.mp4');
  const make = (command: ffmpeg.FfmpegCommand) =>
    new Promise<void>((resolve, reject) => {
      command
        .on('end', () => resolve())
        .on('error', reject)
        .run();
    });
  await make(ffmpeg().input('testsrc=size=720x1280').inputFormat('lavfi').outputOptions('-frames:v', '1').output(photo));
  // 70 s, small and slow, so it processes in seconds: two clips of a story (60 s and 10 s).
  await make(
    ffmpeg()
      .input('testsrc=size=180x320:rate=4:duration=70')
      .inputFormat('lavfi')
      .outputOptions('-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p')
      .output(video),
  );
  web = await startWebEnv('stories-e2e');
  ({ env } = web);
}, 120_000);
afterAll(async () => {
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

const within = { timeout: 15_000 };
const processing = { timeout: 90_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function signIn(user: RegisteredUser, viewport: { width: number; height: number }): Promise<Page> {
  const page = await web.signIn(user);
  await page.setViewportSize(viewport);
  await page.getByTestId('story-tray').waitFor();
  return page;
}

/** Posts a photo story from "Your story" +, with one text, an audience and maybe a poll or a question, a pet to post as and a post to link. */
async function postStory(
  page: Page,
  text: string,
  audience: 'friends' | 'close_friends',
  options: { shot?: string; poll?: [string, string, string]; question?: string; asPet?: string; linkPost?: string } = {},
): Promise<void> {
  await page.getByTestId('story-add').click();
  const dialog = page.getByTestId('story-create');
  await dialog.getByLabel(en['stories.pick']).setInputFiles(photo);
  await dialog.getByTestId('story-preview').locator('img').first().waitFor(processing);
  await dialog.getByRole('button', { name: en['stories.addText'] }).click();
  await dialog.getByLabel(en['stories.text'], { exact: true }).fill(text);
  await dialog.getByTitle(en['stories.color.yellow']).click();
  expect(await dialog.getByLabel(en['stories.color.yellow']).isChecked()).toBe(true);
  await dialog.getByLabel(en['stories.audience']).selectOption(audience);
  if (options.poll !== undefined) {
    const [question, first, second] = options.poll;
    await dialog.getByLabel(en['stories.sticker'], { exact: true }).selectOption('poll');
    await dialog.getByLabel(en['stories.pollQuestion']).fill(question);
    await dialog.getByLabel(format(en['composer.option'], { number: 1 })).fill(first);
    await dialog.getByLabel(format(en['composer.option'], { number: 2 })).fill(second);
  }
  if (options.question !== undefined) {
    await dialog.getByLabel(en['stories.sticker'], { exact: true }).selectOption('question');
    await dialog.getByLabel(en['stories.questionPrompt']).fill(options.question);
  }
  if (options.asPet !== undefined) await dialog.getByLabel(en['composer.postAs']).selectOption({ label: options.asPet });
  if (options.linkPost !== undefined) {
    const link = dialog.getByRole('button', { name: en['stories.linkPost'] });
    if (options.shot !== undefined) {
      await link.scrollIntoViewIfNeeded();
      await screenshot(page, `${options.shot}-form`);
    }
    await link.click();
    const picker = page.getByTestId('story-post-picker');
    const choice = picker.getByTestId('story-post-choice').filter({ hasText: options.linkPost });
    await choice.waitFor(within);
    if (options.shot !== undefined) await screenshot(page, `${options.shot}-picker`);
    await choice.click();
    await picker.waitFor({ state: 'detached' });
    await dialog.getByTestId('story-linked-post').filter({ hasText: options.linkPost }).waitFor();
  }
  await dialog.getByTestId('story-preview').getByText(text).waitFor();
  if (options.shot !== undefined) {
    await screenshot(page, options.shot);
    expect(await audit(page, 'create')).toEqual([]);
  }
  await dialog.getByRole('button', { name: en['stories.share'] }).click();
  // The last toast: the one of a story posted just before may still show.
  await page
    .getByText(format(en['stories.shared'], { count: 1 }))
    .last()
    .waitFor(within);
  await dialog.waitFor({ state: 'detached', ...within });
}

/** The story's photo has loaded and faded in. */
const shown = (page: Page) =>
  page.waitForFunction(() => {
    const image = document.querySelector('.story-viewer .picture.loaded picture img');
    return image !== null && getComputedStyle(image).opacity === '1';
  });

/** The media id in a picture's signed URL (…/media/<owner>/<media>/out/…). */
const mediaIdOf = (src: string | null) => /\/media\/[0-9a-f-]{36}\/([0-9a-f-]{36})\/out\//.exec(src ?? '')?.[1];

const ring = (page: Page, username: string) => page.getByTestId(`story-item-${username}`).getAttribute('data-ring');

describe('stories in the web client', () => {
  test('e2e: a photo story reaches a friend live, is watched with its overlay, turns grey, and shows in the author’s viewer list live; a close-friends story stays in the circle', async () => {
    const ana = await env.register();
    const bruno = await env.register();
    const carla = await env.register();
    await befriend(env.node, ana, bruno);
    await befriend(env.node, ana, carla);
    const native = await join(env, env.node, ana);
    await native.call('friends.setClose', { userId: carla.id, close: true });
    native.close();

    const a = await signIn(ana, DESKTOP);
    const b = await signIn(bruno, PHONE);
    await b.getByTestId('story-empty').waitFor(within);
    await screenshot(b, 'stories-tray-empty-390');

    // Ana posts from "Your story" +.
    await postStory(a, 'Beach day! 🐾', 'friends', { shot: 'stories-create-1366' });
    await expect.poll(() => ring(a, ana.username), within).toBe('seen');

    // Bruno's open home shows her in the tray without a reload, unseen.
    await expect.poll(() => ring(b, ana.username), within).toBe('unseen');
    await screenshot(b, 'stories-tray-unseen-390');
    const violations = await audit(b, 'tray');
    expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(PHONE.width);

    // Ana opens her own story and its viewer list (the story waits while the list is open).
    await a.getByTestId(`story-item-${ana.username}`).click();
    await a.getByTestId('story-viewer').waitFor(within);
    await a.getByTestId('story-views').click();
    const viewers = a.getByTestId('story-viewers');
    await viewers.getByText(en['stories.noViewers']).waitFor(within);

    // Bruno watches it: the overlay is there, then the ring is grey.
    await b.getByTestId(`story-item-${ana.username}`).click();
    const viewer = b.getByTestId('story-viewer');
    await viewer.getByTestId('story-overlay').filter({ hasText: 'Beach day! 🐾' }).waitFor(within);
    // Held with the pause button while it is looked at (a photo moves on after 5 s).
    await viewer.getByTestId('story-pause').click();
    expect(await viewer.locator('.story-bars li').count()).toBe(1);
    await shown(b);
    await screenshot(b, 'stories-viewer-390');
    violations.push(...(await audit(b, 'viewer')));

    // Ana's open list shows him live.
    await viewers.getByTestId(`person-${bruno.username}`).waitFor(within);
    await expect.poll(() => a.getByTestId('story-views').textContent(), within).toBe(format(en['stories.views'], { count: 1 }));
    await screenshot(a, 'stories-viewers-1366');
    violations.push(...(await audit(a, 'viewer list')));
    await a.keyboard.press('Escape');
    await viewers.waitFor({ state: 'detached' });
    await screenshot(a, 'stories-viewer-own-1366');
    await a.keyboard.press('Escape');
    await a.getByTestId('story-viewer').waitFor({ state: 'detached' });

    // Bruno closes it: grey.
    await b.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached', ...within });
    await expect.poll(() => ring(b, ana.username), within).toBe('seen');
    await screenshot(b, 'stories-tray-seen-390');
    expect(violations).toEqual([]);

    // A story for close friends, with a poll: Carla sees Ana with the green ring and votes;
    // Bruno's tray does not move, live or after a reload.
    const c = await signIn(carla, PHONE);
    await expect.poll(() => ring(c, ana.username), within).toBe('unseen');
    await postStory(a, 'Just for you', 'close_friends', { poll: ['Beach again tomorrow?', 'Yes!', 'Not yet'] });
    await expect.poll(() => ring(c, ana.username), within).toBe('close');
    await screenshot(c, 'stories-tray-close-390');
    await screenshot(a, 'stories-tray-1366');
    await c.getByTestId(`story-item-${ana.username}`).click();
    const hers = c.getByTestId('story-viewer');
    await hers.getByTestId('story-overlay').filter({ hasText: 'Beach day! 🐾' }).waitFor(within);
    await c.keyboard.press('ArrowRight');
    await hers.getByTestId('story-overlay').filter({ hasText: 'Just for you' }).waitFor(within);
    await hers.getByTestId('story-pause').click();
    await hers.getByRole('button', { name: 'Yes!' }).click();
    await hers.getByText(format(en['stories.pollVotes'], { count: 1 })).waitFor(within);
    expect(await hers.getByTestId('story-poll-result').first().textContent()).toContain(format(en['stories.pollShare'], { percent: 100 }));
    // Ana, on her poll, opens who voted: Carla, for "Yes!", and each option's votes and share.
    await a.getByTestId(`story-item-${ana.username}`).click();
    await a.getByTestId('story-viewer').getByTestId('story-pause').click();
    await a.keyboard.press('ArrowRight');
    await a
      .getByTestId('story-viewer')
      .getByRole('button', { name: format(en['stories.pollVotes'], { count: 1 }) })
      .click();
    const voters = a.getByTestId('story-answers');
    await voters.getByTestId(`person-${carla.username}`).getByText('Yes!').waitFor(within);
    expect(await voters.getByTestId('story-poll-result').allTextContents()).toEqual([
      `Yes!${format(en['stories.pollVotes'], { count: 1 })} · 100%`,
      `Not yet${format(en['stories.pollVotes'], { count: 0 })} · 0%`,
    ]);
    await screenshot(a, 'stories-answers-poll-1366');
    await a.keyboard.press('Escape');
    await voters.waitFor({ state: 'detached' });
    await a.keyboard.press('Escape');
    await a.getByTestId('story-viewer').waitFor({ state: 'detached' });
    await shown(c);
    await screenshot(c, 'stories-viewer-poll-390');
    await c.keyboard.press('Escape');
    await hers.waitFor({ state: 'detached', ...within });
    // All seen, and still green: one of them is for close friends (PROTOCOL.md's rings).
    await expect.poll(() => ring(c, ana.username), within).toBe('close');

    await b.reload();
    await b.getByTestId(`story-item-${ana.username}`).waitFor(within);
    expect(await ring(b, ana.username)).toBe('seen');
    await b.getByTestId(`story-item-${ana.username}`).click();
    await b.getByTestId('story-viewer').getByTestId('story-overlay').filter({ hasText: 'Beach day! 🐾' }).waitFor(within);
    expect(await b.getByTestId('story-viewer').locator('.story-bars li').count()).toBe(1);
    expect(await b.getByText('Just for you').count()).toBe(0);

    // In Arabic the viewer mirrors: the bars run right to left, and the left arrow goes forward.
    await chooseLanguage(c, 'ar');
    await c.getByTestId(`story-item-${ana.username}`).click();
    const mirrored = c.getByTestId('story-viewer');
    await mirrored.locator('.story-stage[data-index="0"]').waitFor(within);
    expect(await mirrored.locator('.story-bars').evaluate((bars) => getComputedStyle(bars).direction)).toBe('rtl');
    await c.keyboard.press('Space');
    await mirrored.locator('.story-stage[data-paused="true"]').waitFor(within);
    await c.keyboard.press('ArrowLeft');
    await mirrored.locator('.story-stage[data-index="1"]').waitFor(within);
    await shown(c);
    await screenshot(c, 'stories-viewer-ar-390');
    await c.keyboard.press('ArrowRight');
    await mirrored.locator('.story-stage[data-index="0"]').waitFor(within);
  }, 240_000);

  test('e2e: a friend replies to a story from the viewer and reacts to it; the author’s chat with them shows both messages quoting the story', async () => {
    const [fina, gus] = [await env.register(), await env.register()];
    await befriend(env.node, fina, gus);
    const f = await signIn(fina, DESKTOP);
    const g = await signIn(gus, PHONE);
    await postStory(f, 'Park run 🐕', 'friends');

    await expect.poll(() => ring(g, fina.username), within).toBe('unseen');
    await g.getByTestId(`story-item-${fina.username}`).click();
    const viewer = g.getByTestId('story-viewer');
    await viewer.getByTestId('story-overlay').filter({ hasText: 'Park run 🐕' }).waitFor(within);
    const reply = viewer.getByTestId('story-reply');
    const field = reply.getByRole('textbox');
    await field.click();
    // Typing holds the story.
    await viewer.locator('.story-stage[data-paused="true"]').waitFor(within);
    await field.fill('What a run!');
    await shown(g);
    await screenshot(g, 'stories-reply-390');
    const violations = await audit(g, 'reply');
    await reply.getByRole('button', { name: en['stories.replySend'] }).click();
    await reply.getByText(en['stories.replySent']).waitFor(within);
    await reply.getByRole('button', { name: format(en['stories.reactWith'], { emoji: '🔥' }) }).click();
    await g.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached', ...within });
    // In Arabic the reply row mirrors.
    await chooseLanguage(g, 'ar');
    await g.getByTestId(`story-item-${fina.username}`).click();
    await viewer.getByTestId('story-pause').click();
    await reply.getByRole('textbox').fill('رائع!');
    expect(await reply.evaluate((form) => getComputedStyle(form).direction)).toBe('rtl');
    await shown(g);
    await screenshot(g, 'stories-reply-ar-390');
    await g.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached', ...within });

    const native = await join(env, env.node, fina);
    const { conversationId } = await native.call('chats.direct', { userId: gus.id });
    native.close();
    expect(conversationId).not.toBeNull();
    await f.goto(`${env.node.url}/chats/${conversationId}`);
    const messages = f.getByTestId('chat-message');
    await messages.filter({ hasText: 'What a run!' }).getByTestId('story-quote').getByText(en['chats.storyRepliedYours']).waitFor(within);
    await messages.filter({ hasText: '🔥' }).getByTestId('story-quote').getByText(en['chats.storyReactedYours']).waitFor(within);
    await messages.first().getByRole('img', { name: en['chats.storyThumb'] }).waitFor(within);
    await screenshot(f, 'stories-reply-chat-1366');
    violations.push(...(await audit(f, 'chat quote')));
    expect(violations).toEqual([]);
  }, 180_000);

  test('e2e: a question story posted as a pet, linking a post: a friend sees the pet by its owner and answers; the author’s open answer list shows it live', async () => {
    const [lia, max] = [await env.register(), await env.register()];
    await befriend(env.node, lia, max);
    const native = await join(env, env.node, lia);
    await native.call('pets.create', { name: 'Miso', species: 'cat', clientId: crypto.randomUUID() });
    await native.call('posts.create', { text: 'Miso found the sunny spot ☀️', visibility: 'friends' });
    const [self] = (await native.call('people.summaries', { ids: [lia.id] })).items;
    native.close();
    const l = await signIn(lia, PHONE);
    const m = await signIn(max, DESKTOP);
    await postStory(l, 'Guess what Miso likes', 'friends', {
      question: 'Favourite toy?',
      asPet: 'Miso',
      linkPost: 'Miso found the sunny spot',
      shot: 'stories-create-pet-link-390',
    });

    // Lia opens her story's answers (none yet); the story waits while the list is open.
    await l.getByTestId(`story-item-${lia.username}`).click();
    const own = l.getByTestId('story-viewer');
    await own.getByTestId('story-pet').waitFor(within);
    await own.getByRole('button', { name: format(en['stories.answersCount'], { count: 0 }) }).click();
    const answers = l.getByTestId('story-answers');
    await answers.getByText(en['stories.noAnswers']).waitFor(within);
    expect(await own.locator('.story-stage').getAttribute('data-paused')).toBe('true');

    // Max sees Miso, by Lia, with the link to her post, and answers.
    await expect.poll(() => ring(m, lia.username), within).toBe('unseen');
    await m.getByTestId(`story-item-${lia.username}`).click();
    const viewer = m.getByTestId('story-viewer');
    await viewer.getByTestId('story-pause').click();
    const pet = viewer.getByTestId('story-pet');
    await pet.waitFor(within);
    expect((await pet.locator('strong').textContent())?.trim()).toBe('Miso');
    expect(await pet.locator('small').textContent()).toBe(format(en['stories.byOwner'], { name: self?.displayName || lia.username }));
    await viewer.getByRole('textbox', { name: en['stories.answerLabel'] }).fill('The red mouse 🐭');
    await viewer.getByTestId('story-question').getByRole('button', { name: en['stories.answerSend'] }).click();
    await viewer.getByTestId('story-question').getByText('The red mouse 🐭').waitFor(within);
    await shown(m);
    await screenshot(m, 'stories-viewer-pet-1366');
    const violations = await audit(m, 'viewer as pet');

    // Lia's open list shows his answer live, and the count follows.
    await answers.getByTestId(`person-${max.username}`).getByText('The red mouse 🐭').waitFor(within);
    await answers.getByRole('heading', { name: format(en['stories.answersCount'], { count: 1 }) }).waitFor(within);
    await screenshot(l, 'stories-answers-390');
    violations.push(...(await audit(l, 'answers')));
    expect(await noHorizontalScroll(l)).toBeLessThanOrEqual(PHONE.width);
    await l.setViewportSize(DESKTOP);
    await screenshot(l, 'stories-answers-1366');
    await l.keyboard.press('Escape');
    await answers.waitFor({ state: 'detached', ...within });
    expect(await own.getByTestId('story-answers-open').textContent()).toBe(format(en['stories.answersCount'], { count: 1 }));
    await screenshot(l, 'stories-viewer-own-question-1366');
    // In Arabic the list mirrors.
    await l.keyboard.press('Escape');
    await own.waitFor({ state: 'detached', ...within });
    await l.setViewportSize(PHONE);
    await chooseLanguage(l, 'ar');
    await l.getByTestId(`story-item-${lia.username}`).click();
    await own.getByTestId('story-answers-open').click();
    await answers.getByTestId(`person-${max.username}`).getByText('The red mouse 🐭').waitFor(within);
    expect(await answers.evaluate((dialog) => getComputedStyle(dialog).direction)).toBe('rtl');
    await screenshot(l, 'stories-answers-ar-390');

    // The linked post opens from Max's viewer.
    await viewer.getByRole('link', { name: en['stories.linkedPost'] }).click();
    await m.waitForURL(/\/posts\//, within);
    await m.getByText('Miso found the sunny spot ☀️').first().waitFor(within);
    expect(violations).toEqual([]);
  }, 180_000);

  test('e2e: the author makes a highlight of two stories from her archive, reorders them and takes the second as cover; a friend sees that cover on her profile and plays them in that order', async () => {
    const [hana, ivo] = [await env.register(), await env.register()];
    await befriend(env.node, hana, ivo);
    const h = await signIn(hana, PHONE);
    await postStory(h, 'Best of summer', 'friends');
    await postStory(h, 'Sunset walk', 'friends');

    await h.goto(`${env.node.url}/u/${hana.username}`);
    await h.getByTestId('highlight-new').click();
    const editor = h.getByTestId('highlight-editor');
    await editor.getByLabel(en['highlights.name']).fill('Summer ☀️');
    // The archive is newest first: "Sunset walk", then "Best of summer".
    const [sunset, best] = [editor.getByTestId('highlight-pick').first(), editor.getByTestId('highlight-pick').nth(1)];
    await best.locator('img').waitFor(within);
    await sunset.getByRole('checkbox').check();
    await best.getByRole('checkbox').check();
    await best.getByText('2').waitFor();
    await editor.getByRole('button', { name: format(en['highlights.later'], { number: 1 }) }).click();
    // The pressed button's story moved last, where "later" is off: the focus is on its "earlier".
    expect(await h.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      format(en['highlights.earlier'], { number: 2 }),
    );
    await best.getByText('1').waitFor();
    await sunset.getByText('2').waitFor();
    const cover = editor.getByRole('radio', { name: format(en['highlights.coverOf'], { number: 2 }) });
    expect(await cover.isChecked()).toBe(false);
    await cover.check();
    const sunsetMedia = mediaIdOf(await sunset.locator('img').getAttribute('src'));
    expect(sunsetMedia).toBeDefined();
    await screenshot(h, 'stories-highlight-editor-390');
    const violations = await audit(h, 'highlight editor');
    await h.setViewportSize(DESKTOP);
    await screenshot(h, 'stories-highlight-editor-1366');
    await h.setViewportSize(PHONE);
    await editor.getByRole('button', { name: en['highlights.save'] }).click();
    await editor.waitFor({ state: 'detached', ...within });
    await h.getByTestId('highlight').filter({ hasText: 'Summer ☀️' }).waitFor(within);
    expect(await noHorizontalScroll(h)).toBeLessThanOrEqual(PHONE.width);

    const i = await signIn(ivo, DESKTOP);
    await i.goto(`${env.node.url}/u/${hana.username}`);
    const highlight = i.getByTestId('highlight').filter({ hasText: 'Summer ☀️' });
    await highlight.locator('img').waitFor(within);
    expect(mediaIdOf(await highlight.locator('img').getAttribute('src'))).toBe(sunsetMedia);
    expect(await i.getByTestId('highlight-new').count()).toBe(0);
    await screenshot(i, 'stories-highlights-profile-1366');
    violations.push(...(await audit(i, 'highlights')));
    await highlight.click();
    const viewer = i.getByTestId('story-viewer');
    await viewer.getByTestId('story-overlay').filter({ hasText: 'Best of summer' }).waitFor(within);
    await viewer.getByTestId('story-pause').click();
    expect(await viewer.getByTestId('story-reply').count()).toBe(0);
    await shown(i);
    await screenshot(i, 'stories-highlight-viewer-1366');
    await viewer.getByRole('button', { name: en['stories.next'] }).click();
    await viewer.getByTestId('story-overlay').filter({ hasText: 'Sunset walk' }).waitFor(within);
    expect(await viewer.locator('.story-bars li').count()).toBe(2);
    await i.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached', ...within });

    // In Arabic the editor mirrors: "earlier" points right.
    await chooseLanguage(h, 'ar');
    await h.locator('.highlight-edit').click();
    await editor.getByTestId('highlight-selected').nth(1).waitFor(within);
    await screenshot(h, 'stories-highlight-editor-ar-390');
    violations.push(...(await audit(h, 'highlight editor in Arabic')));
    await h.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached', ...within });
    await chooseLanguage(h, 'en');

    // A second highlight goes last; "Arrange" moves it first, for the friend too.
    await h.getByTestId('highlight-new').click();
    await editor.getByLabel(en['highlights.name']).fill('Sunsets');
    await sunset.getByRole('checkbox').check();
    await editor.getByRole('button', { name: en['highlights.save'] }).click();
    await editor.waitFor({ state: 'detached', ...within });
    const titles = (page: Page) => page.getByTestId('highlight').allTextContents();
    await expect.poll(() => titles(h), within).toEqual(['Summer ☀️', 'Sunsets']);
    await h.getByTestId('highlights-arrange').click();
    await h.getByRole('button', { name: format(en['highlights.moveEarlier'], { title: 'Sunsets' }) }).click();
    expect(await titles(h)).toEqual(['Sunsets', 'Summer ☀️']);
    await screenshot(h, 'stories-highlights-arrange-390');
    // A mouse can drag one onto the other's place too (and back).
    const named = (title: string) => h.getByTestId('highlight').filter({ hasText: title });
    await named('Summer ☀️').dragTo(named('Sunsets'));
    await expect.poll(() => titles(h), within).toEqual(['Summer ☀️', 'Sunsets']);
    await named('Summer ☀️').dragTo(named('Sunsets'));
    await expect.poll(() => titles(h), within).toEqual(['Sunsets', 'Summer ☀️']);
    violations.push(...(await audit(h, 'arranging highlights')));
    await h.getByTestId('highlights-arrange').click();
    await expect
      .poll(async () => {
        await i.reload();
        await i.getByTestId('highlight').nth(1).waitFor(within);
        return titles(i);
      }, within)
      .toEqual(['Sunsets', 'Summer ☀️']);

    // Hana renames it (its stories still picked in their order, its cover still chosen), then deletes it after confirming.
    await h.getByRole('button', { name: format(en['highlights.edit'], { title: 'Summer ☀️' }) }).click();
    await editor.getByLabel(en['highlights.name']).fill('Summer 2026');
    await best.getByText('1').waitFor(within);
    await sunset.getByText('2').waitFor(within);
    expect(await cover.isChecked()).toBe(true);
    await editor.getByRole('button', { name: en['highlights.save'] }).click();
    await editor.waitFor({ state: 'detached', ...within });
    await h.getByTestId('highlight').filter({ hasText: 'Summer 2026' }).waitFor(within);
    await screenshot(h, 'stories-highlights-own-390');
    violations.push(...(await audit(h, 'own highlights')));
    await h.getByRole('button', { name: format(en['highlights.edit'], { title: 'Summer 2026' }) }).click();
    await editor.getByRole('button', { name: en['highlights.delete'] }).click();
    await editor.getByText(en['highlights.deleteConfirm']).waitFor();
    await editor.getByRole('button', { name: en['highlights.delete'] }).last().click();
    await editor.waitFor({ state: 'detached', ...within });
    await h
      .getByTestId('highlight')
      .filter({ hasText: 'Summer 2026' })
      .waitFor({ state: 'detached', ...within });
    await i.reload();
    await i.getByTestId('highlight').first().waitFor(within);
    expect(await titles(i)).toEqual(['Sunsets']);
    expect(violations).toEqual([]);
  }, 180_000);

  test('e2e: a video over 60 s is refused, then split into two clips on request; the clips play one after the other from where each starts', async () => {
    const dora = await env.register();
    const eli = await env.register();
    await befriend(env.node, dora, eli);
    const d = await signIn(dora, PHONE);
    const e = await signIn(eli, DESKTOP);

    await d.getByTestId('story-add').click();
    const dialog = d.getByTestId('story-create');
    await dialog.getByLabel(en['stories.pick']).setInputFiles(video);
    await dialog.getByTestId('story-preview').locator('video').waitFor(processing);
    await dialog.getByRole('button', { name: en['stories.share'] }).click();
    const split = dialog.getByTestId('story-split');
    await split.waitFor(within);
    await dialog.getByText(format(en['stories.tooLong'], { duration: '1:10', max: '1:00' })).waitFor();
    await screenshot(d, 'stories-too-long-390');
    expect(await split.textContent()).toBe(format(en['stories.split'], { seconds: 60 }));
    await split.click();
    await d.getByText(format(en['stories.shared'], { count: 2 })).waitFor(within);

    // Eli's tray shows Dora live; the first clip plays from 0 s, the second from 60 s.
    await expect.poll(() => ring(e, dora.username), within).toBe('unseen');
    await e.getByTestId(`story-item-${dora.username}`).click();
    const viewer = e.getByTestId('story-viewer');
    await expect.poll(() => viewer.locator('.story-bars li').count(), within).toBe(2);
    const playing = viewer.locator('video');
    await expect.poll(() => playing.evaluate((element: HTMLVideoElement) => element.currentTime), within).toBeGreaterThan(0.5);
    expect(await playing.evaluate((element: HTMLVideoElement) => element.controls)).toBe(false);
    await screenshot(e, 'stories-video-1366');
    await e.keyboard.press('ArrowRight');
    await viewer.locator('.story-stage[data-index="1"]').waitFor(within);
    await expect
      .poll(() => viewer.locator('video').evaluate((element: HTMLVideoElement) => element.currentTime), within)
      .toBeGreaterThanOrEqual(60);
    // The second bar fills as the clip plays.
    await expect
      .poll(
        () =>
          viewer
            .locator('.story-bars li')
            .nth(1)
            .locator('span')
            .evaluate((bar: HTMLElement) => Number.parseFloat(bar.style.width)),
        within,
      )
      .toBeGreaterThan(0);
  }, 180_000);
});
