// The social core in two browsers against a real node. Ana and Bruno are friends. Ana posts with
// an emoji before a mention, a hashtag and a poll; Bruno, reading his feed, gets the "new posts"
// banner live and opens the fresh page. Bruno reacts, comments and votes; Ana, on the post page,
// sees the reaction count, the comment and the poll results arrive without a reload. Ana switches
// her feed to ranked and opens "why am I seeing this"; Bruno reports the post (stored for the
// moderators); Ana opens the hashtag page from the post's link and the notification of the
// comment leads to the post. Later Ana edits a post from its menu and then deletes it (after
// confirming); Bruno's open feed shows the edit live, then loses the card, and the post's page
// says it is unavailable. Phone-sized (360 px), screenshots in .test-results/screenshots.
import { and, eq } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { reports } from '../../server/posts/schema.ts';
import type { AccountsEnv, RegisteredUser } from '../harness/accounts.ts';
import { screenshot } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { befriend, join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let env: AccountsEnv;
beforeAll(async () => {
  web = await startWebEnv('feed-e2e');
  ({ env } = web);
});
afterAll(async () => {
  await web.close();
});

const signIn = (user: RegisteredUser): Promise<Page> => web.signIn(user);

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const within = { timeout: 10_000 };
const reaction = (post: Locator, kind: string) => post.locator(`[data-kind="${kind}"]`).first();

describe('the social core in the web client', () => {
  test('e2e: a post with a poll reaches a friend live; reactions, comments and votes reach the author live; ranked why, report, hashtag page', async () => {
    const ana = await env.register();
    const bruno = await env.register();
    await befriend(env.node, ana, bruno);
    const a = await signIn(ana);
    const b = await signIn(bruno);

    // Both open their feeds from the shell.
    await a.getByRole('link', { name: en['nav.home'], exact: true }).click();
    await b.getByRole('link', { name: en['nav.home'], exact: true }).click();
    await a.getByRole('heading', { name: en['feed.title'] }).waitFor();
    await b.getByText(en['feed.empty']).waitFor(within);

    // Ana posts: an emoji before the mention (UTF-16 offsets), a hashtag, and a poll.
    const text = `🐶 Walk with @${bruno.username} in the #Parque today?`;
    // The one-line "What's new?" opens the composer as a dialog.
    await a.getByRole('button', { name: en['feed.compose'] }).click();
    await a.getByLabel(en['composer.text']).fill(text);
    await a.getByText(format(en['composer.count'], { count: text.length, max: 5000 })).waitFor();
    await a.getByLabel(en['composer.addPoll']).check();
    await a.getByLabel(format(en['composer.option'], { number: 1 })).fill('Morning');
    await a.getByLabel(format(en['composer.option'], { number: 2 })).fill('Evening');
    await screenshot(a, 'feed-composer');
    await a.getByRole('button', { name: en['composer.submit'], exact: true }).click();
    const mine = a.locator('article.post').first();
    await mine.getByRole('link', { name: `@${bruno.username}` }).waitFor(within);
    const postId = (await mine.getAttribute('data-testid'))?.replace('post-', '') ?? '';
    expect(postId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await mine.getByRole('link', { name: `@${bruno.username}` }).getAttribute('href')).toBe(`/u/${bruno.username}`);
    expect(await mine.getByRole('link', { name: '#Parque' }).getAttribute('href')).toBe('/hashtags/parque');
    expect(await a.getByTestId('composer-dialog').count()).toBe(0);
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);

    // Bruno's feed announces it without moving; the banner loads the fresh page.
    const banner = b.getByTestId('new-posts');
    await banner.waitFor(within);
    expect(await banner.textContent()).toBe(format(en['feed.newPosts'], { count: 1 }));
    expect(await b.locator('article.post').count()).toBe(0);
    await screenshot(b, 'feed-new-posts-banner');
    await banner.click();
    const seen = b.getByTestId(`post-${postId}`);
    await seen.waitFor(within);
    expect(await banner.count()).toBe(0);
    expect(await seen.getByRole('radio').count()).toBe(2);
    const option = (post: Locator, name: string) => post.locator('label.poll-option', { hasText: name });

    // Ana opens her post's page.
    await mine.getByRole('link', { name: format(en['post.comments'], { count: 0 }) }).click();
    await a.getByTestId('post-page').waitFor();
    expect(new URL(a.url()).pathname).toBe(`/posts/${postId}`);
    const open = a.getByTestId(`post-${postId}`);
    await open.waitFor(within);
    expect(await reaction(open, 'love').getAttribute('aria-label')).toBe(format(en['reaction.button'], { reaction: 'Love', count: 0 }));

    // Bruno loves it from the reactions that open above the button (pressed at once); Ana's count
    // goes up live.
    await seen.getByRole('button', { name: format(en['reaction.forPost'], { name: ana.username }) }).click();
    await reaction(seen, 'love').click();
    expect(await seen.getByTestId('reaction-tray').isHidden()).toBe(true);
    expect(await seen.getByTestId('react').textContent()).toContain(en['reaction.love']);
    expect(await reaction(seen, 'love').getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() => reaction(open, 'love').getAttribute('aria-label'), within)
      .toBe(format(en['reaction.button'], { reaction: 'Love', count: 1 }));

    // Bruno votes in the feed; Ana sees the results live.
    await seen.getByRole('radio', { name: /Evening/ }).check();
    await expect.poll(() => seen.getByRole('radio', { name: /Evening/ }).isChecked(), within).toBe(true);
    await expect.poll(() => open.getByTestId('poll-voters').textContent(), within).toBe(format(en['poll.voters'], { count: 1 }));
    expect(await option(open, 'Evening').getByTestId('poll-votes').textContent()).toBe(
      format(en['poll.votes'], { count: 1, percent: 100 }),
    );

    // Bruno comments from the post page; the comment appears on Ana's open page with the count.
    await seen.getByRole('link', { name: format(en['post.comments'], { count: 0 }) }).click();
    await b.getByTestId('post-page').waitFor();
    await b.getByLabel(en['comments.write']).fill('Evening, after the rain 🌧️');
    await b.getByRole('button', { name: en['comments.send'], exact: true }).click();
    await b.getByText('Evening, after the rain 🌧️').waitFor(within);
    await a.getByText('Evening, after the rain 🌧️').waitFor(within);
    await expect
      .poll(() => open.getByTestId('comment-count').locator('.visually-hidden').textContent(), within)
      .toBe(format(en['post.comments'], { count: 1 }));
    await screenshot(a, 'feed-post-page-live');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);

    // Ana answers; Bruno sees the answer live under his comment.
    await a.getByRole('button', { name: en['comments.reply'] }).click();
    await a.getByLabel(format(en['comments.answer'], { name: bruno.username })).fill('Deal!');
    await a.getByRole('button', { name: en['comments.send'], exact: true }).last().click();
    await b.getByRole('button', { name: format(en['comments.showAnswers'], { count: 1 }) }).click(within);
    await b.getByText('Deal!').waitFor(within);
    await screenshot(b, 'feed-post-page-answer');

    // Who reacted.
    await open.getByTestId('who-reacted').click();
    await a.getByTestId('who-reacted-dialog').getByTestId(`person-${bruno.username}`).waitFor(within);
    await a.getByRole('button', { name: en['dialog.close'] }).click();

    // Ana's feed in ranked order, remembered; "why am I seeing this" in words.
    await a.getByRole('link', { name: en['nav.home'], exact: true }).click();
    await a.getByRole('button', { name: en['feed.ranked'] }).click();
    await expect.poll(() => a.getByRole('button', { name: en['feed.ranked'] }).getAttribute('aria-pressed')).toBe('true');
    const why = a.getByTestId(`post-${postId}`).getByTestId('why');
    await why.waitFor(within);
    await why.getByText(en['why.title']).click();
    await why.getByText(en['why.relation.you']).waitFor();
    await why.getByText(en['why.topicNormal']).waitFor();
    await screenshot(a, 'feed-ranked-why');
    await a.reload();
    await a.getByTestId(`post-${postId}`).getByTestId('why').waitFor(within);

    // Bruno reports the post from its menu.
    await b.goto(`${env.node.url}/feed`);
    const reported = b.getByTestId(`post-${postId}`);
    await reported.waitFor(within);
    await reported.getByLabel(format(en['post.menu'], { name: ana.username })).click();
    await reported.getByRole('button', { name: en['report.action'] }).click();
    const dialog = b.getByRole('dialog', { name: en['report.postTitle'] });
    await dialog.getByLabel(en['report.reason']).selectOption('animal_cruelty');
    await dialog.getByLabel(en['report.note']).fill('Testing the report dialog');
    await screenshot(b, 'feed-report');
    await dialog.getByRole('button', { name: en['report.submit'] }).click();
    await b.getByRole('status').filter({ hasText: en['report.sent'] }).waitFor(within);
    expect(await dialog.count()).toBe(0);
    const stored = await env.node.platform.database.db
      .select()
      .from(reports)
      .where(and(eq(reports.targetId, postId), eq(reports.reporterId, bruno.id)));
    expect(stored.map((row) => [row.reason, row.note])).toEqual([['animal_cruelty', 'Testing the report dialog']]);

    // Ana follows the hashtag link to its page.
    await a.getByTestId(`post-${postId}`).getByRole('link', { name: '#Parque' }).click();
    await a.getByRole('heading', { name: '#parque' }).waitFor(within);
    await a.getByTestId('hashtag-page').getByTestId(`post-${postId}`).waitFor(within);
    await screenshot(a, 'feed-hashtag');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);

    // Ana's notification of Bruno's comment leads to the post.
    await a.goto(`${env.node.url}/notifications`);
    await a
      .getByTestId('notifications')
      .getByRole('link', { name: format(en['notifications.postComment'], { name: bruno.username }) })
      .click(within);
    await a.getByTestId('post-page').waitFor(within);
    expect(new URL(a.url()).pathname).toBe(`/posts/${postId}`);
  }, 150_000);

  test("e2e: in Ana's open feed, Bruno's new post, his reaction and his comment on her post appear live", async () => {
    const ana = await env.register();
    const bruno = await env.register();
    await befriend(env.node, ana, bruno);
    const a = await signIn(ana);
    const hers = await env.node.social.posts.create(ana.id, { text: 'Our first walk', visibility: 'friends' });
    await a.goto(`${env.node.url}/feed`);
    const card = a.getByTestId(`post-${hers.id}`);
    await card.waitFor(within);
    // Bruno uses a native client: the protocol over its own socket.
    const native = await join(env, env.node, bruno);
    const his = await native.call('posts.create', { text: 'Max at the vet, all good', visibility: 'friends' });
    await a.getByTestId('new-posts').click();
    await a.getByTestId(`post-${his.id}`).waitFor(within);
    await native.call('posts.react', { postId: hers.id, kind: 'love' });
    const love = card.locator('button.reaction[data-kind="love"]');
    await expect
      .poll(() => love.getAttribute('aria-label'), within)
      .toBe(format(en['reaction.button'], { reaction: en['reaction.love'], count: 1 }));
    await native.call('comments.add', { postId: hers.id, text: 'So sweet!' });
    await expect
      .poll(() => card.getByTestId('comment-count').locator('.visually-hidden').textContent(), within)
      .toBe(format(en['post.comments'], { count: 1 }));
    await screenshot(a, 'feed-live-counts');
    native.close();
  }, 120_000);

  test("e2e: edit and delete by the author, live in a friend's feed; edit history, share with a comment (nested), hide with undo, mute, and trending by region", async () => {
    const ana = await env.register();
    const bruno = await env.register();
    await befriend(env.node, ana, bruno);
    const author = await join(env, env.node, ana);
    const post = await author.call('posts.create', { text: 'Sunny day at the #playa', visibility: 'public' });
    await author.call('posts.edit', { postId: post.id, text: 'Sunny day at the #playa with Luna' });
    const draft = await author.call('posts.create', { text: 'Luna got a new collar', visibility: 'friends' });
    author.close();
    const a = await signIn(ana);
    await a.goto(`${env.node.url}/feed`);
    const b = await signIn(bruno);
    await b.goto(`${env.node.url}/feed`);
    const card = b.getByTestId(`post-${post.id}`);
    await card.waitFor(within);

    // Ana edits her newest post from its menu (text with the counter, and who may see it); Bruno's
    // open feed shows the new text live.
    const hers = a.getByTestId(`post-${draft.id}`);
    const his = b.getByTestId(`post-${draft.id}`);
    await his.getByText('Luna got a new collar').waitFor(within);
    await hers.getByLabel(format(en['post.menu'], { name: ana.username })).click();
    await hers.getByRole('button', { name: en['post.edit'] }).click();
    const editing = a.getByRole('dialog', { name: en['post.editTitle'] });
    const edited = 'Luna got a new collar, a red one #collar';
    await editing.getByLabel(en['post.editText']).fill(edited);
    await editing.getByText(format(en['composer.count'], { count: edited.length, max: 5000 })).waitFor();
    await editing.getByLabel(en['composer.visibility']).selectOption('public');
    await screenshot(a, 'feed-edit-post');
    await editing.getByRole('button', { name: en['settings.save'] }).click();
    await expect.poll(() => editing.count(), within).toBe(0);
    await hers.getByRole('link', { name: '#collar' }).waitFor(within);
    expect(await hers.getByRole('img', { name: en['visibility.public'] }).count()).toBe(1);
    await his.getByRole('link', { name: '#collar' }).waitFor(within);
    expect(await his.getByRole('button', { name: en['post.edited'] }).count()).toBe(1);
    expect(await his.getByRole('img', { name: en['visibility.public'] }).count()).toBe(1);

    // Ana deletes it after confirming: gone from her feed, then live from Bruno's.
    await hers.getByLabel(format(en['post.menu'], { name: ana.username })).click();
    await hers.getByRole('button', { name: en['post.delete'] }).click();
    const deleting = a.getByRole('dialog', { name: en['post.deleteTitle'] });
    await deleting.getByText(en['post.deleteHelp']).waitFor();
    await screenshot(a, 'feed-delete-post');
    await deleting.getByRole('button', { name: en['post.delete'] }).click();
    await a.getByRole('status').filter({ hasText: en['post.deleted'] }).waitFor(within);
    await expect.poll(() => hers.count(), within).toBe(0);
    await expect.poll(() => his.count(), within).toBe(0);
    expect(await b.getByText(en['post.unavailable']).count()).toBe(0);
    await a.goto(`${env.node.url}/posts/${draft.id}`);
    await a.getByTestId('post-missing').waitFor(within);

    // The edited marker opens the history: the first text, then the current one.
    await card.getByRole('button', { name: en['post.edited'] }).click();
    const history = b.getByTestId('history-dialog');
    await history.getByText('Sunny day at the #playa', { exact: true }).waitFor(within);
    await history.getByText('Sunny day at the #playa with Luna', { exact: true }).waitFor();
    await screenshot(b, 'feed-history');
    await b.keyboard.press('Escape');
    expect(await history.count()).toBe(0);

    // Sharing with a comment puts the share on top, with the post nested in it.
    await card.getByRole('button', { name: en['post.share'] }).click();
    const sharing = b.getByRole('dialog', { name: en['composer.shareTitle'] });
    await sharing.getByLabel(en['composer.shareText']).fill('Look at this!');
    await sharing.getByRole('button', { name: en['composer.shareSubmit'] }).click();
    await b.getByRole('status').filter({ hasText: en['post.sharedToast'] }).waitFor(within);
    const share = b.locator('article.post').first();
    await share.getByText('Look at this!').waitFor(within);
    expect(await share.getByTestId('shared-post').getByText('Sunny day at the #playa with Luna').count()).toBe(1);
    await expect
      .poll(() => card.getByTestId('share-count').locator('.visually-hidden').textContent(), within)
      .toBe(`${en['post.share']} · ${format(en['post.shares'], { count: 1 })}`);
    await screenshot(b, 'feed-shared');
    expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);

    // Hide, then undo from the toast.
    await card.getByLabel(format(en['post.menu'], { name: ana.username })).click();
    await card.getByRole('button', { name: en['feed.hide'] }).click();
    await expect.poll(() => card.count(), within).toBe(0);
    await b.getByRole('status').filter({ hasText: en['feed.hidden'] }).getByRole('button', { name: en['toast.undo'] }).click();
    await card.waitFor(within);
    await b.reload();
    await card.waitFor(within);

    // Muting Ana takes her posts out, also after a reload; Bruno's share stays.
    await card.getByLabel(format(en['post.menu'], { name: ana.username })).click();
    await card.getByRole('button', { name: format(en['feed.mute'], { name: ana.username }) }).click();
    await expect.poll(() => card.count(), within).toBe(0);
    await b.reload();
    await share.getByText('Look at this!').waitFor(within);
    expect(await card.count()).toBe(0);

    // Trending in the user's region, then in the chosen one, on Explore.
    await b.getByRole('link', { name: en['nav.explore'] }).click();
    const trending = b.getByTestId('trending');
    await trending.getByRole('link', { name: '#playa' }).waitFor(within);
    expect(await trending.getByLabel(en['trending.region']).inputValue()).toBe('en');
    await trending.getByLabel(en['trending.region']).selectOption('en-US');
    await trending.getByText(en['trending.none']).waitFor(within);
    await screenshot(b, 'feed-trending');
    await trending.getByLabel(en['trending.region']).selectOption('en');
    await trending.getByRole('link', { name: '#playa' }).click();
    await b.getByRole('heading', { name: '#playa' }).waitFor(within);
  }, 120_000);
});
