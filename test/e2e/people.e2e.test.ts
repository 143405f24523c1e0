// People, the social graph and notifications in two browsers against a real node: Ana finds Bruno
// by search, opens his profile and asks to be friends; Bruno's unread badge goes up live, he
// accepts in /friends, and Ana's page turns to "Friends" without a reload; her badge tells her. Ana adds a pet and it
// appears on her profile open in Bruno's browser. Bruno blocks Ana: her open page of his profile
// becomes "not available" live, and stays so after a reload. Then the own-profile editor (a
// refused field is highlighted with the reason), privacy, and a lost pet alerting a friend whose
// health notes the friend may not read. Phone-sized (360 px) throughout,
// screenshots in .test-results/screenshots.

import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { NOTIFICATION_TYPES } from '../../protocol/calls/notifications.ts';
import { reports } from '../../server/posts/schema.ts';
import type { AccountsEnv, RegisteredUser } from '../harness/accounts.ts';
import { screenshot } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { befriend, join } from '../harness/social.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

let web: WebEnv;
let env: AccountsEnv;
beforeAll(async () => {
  web = await startWebEnv('people-e2e');
  ({ env } = web);
});
afterAll(async () => {
  await web.close();
});

const signIn = (user: RegisteredUser): Promise<Page> => web.signIn(user);

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const within = { timeout: 10_000 };
const MADRID = 'Madrid, Community of Madrid, Spain';

describe('people and pets in the web client', () => {
  test('e2e: search, friend request with a live badge, accept, a pet seen by the friend, and a block that hides the profile', async () => {
    const ana = await env.register();
    const bruno = await env.register();
    const a = await signIn(ana);
    const b = await signIn(bruno);
    expect(await b.getByTestId('nav-notifications-count').count()).toBe(0);

    // Ana finds Bruno and asks to be friends.
    await a.getByRole('link', { name: en['nav.friends'] }).click();
    await a.getByRole('searchbox', { name: en['friends.searchLabel'] }).fill(bruno.username.slice(0, 8));
    await a.getByRole('button', { name: en['friends.searchSubmit'] }).click();
    await a.getByTestId(`person-${bruno.username}`).getByRole('link').click();
    await a.getByTestId('profile').waitFor();
    expect(new URL(a.url()).pathname).toBe(`/u/${bruno.username}`);
    await a.getByRole('button', { name: en['relation.add'] }).click();
    await expect.poll(() => a.getByTestId('relation-state').textContent(), within).toBe(en['relation.requestSent']);
    await screenshot(a, 'people-request-sent');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);

    // Bruno's badge goes up while he looks at another screen; he accepts in /friends.
    await expect.poll(() => b.getByTestId('nav-notifications-count').textContent(), within).toBe('1');
    await b.getByRole('link', { name: en['nav.notificationsUnread'].replace('{count}', '1') }).waitFor();
    await b.getByRole('link', { name: en['nav.friends'] }).click();
    const request = b.getByTestId('incoming').getByTestId(`person-${ana.username}`);
    await request.waitFor();
    await screenshot(b, 'people-incoming-request');
    expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);
    await request.getByRole('button', { name: en['relation.accept'] }).click();
    await b.getByTestId('friends-list').getByTestId(`person-${ana.username}`).waitFor(within);

    // Ana's open profile of Bruno turns to friends without a reload.
    await expect.poll(() => a.getByTestId('relation-state').textContent(), within).toBe(en['relation.friends']);
    await screenshot(a, 'people-friends');

    // The request's notification has done its job: Bruno's badge goes. Ana is told of the accept.
    await expect.poll(() => b.getByTestId('nav-notifications-count').count(), within).toBe(0);
    await expect.poll(() => a.getByTestId('nav-notifications-count').textContent(), within).toBe('1');
    await a.getByRole('link', { name: en['nav.notificationsUnread'].replace('{count}', '1') }).click();
    const accepted = format(en['notifications.friendAccepted'], { name: bruno.username });
    await a.getByTestId('notifications').getByRole('link', { name: accepted }).waitFor(within);
    await screenshot(a, 'people-notifications');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);
    await a.getByRole('button', { name: en['notifications.markAll'] }).click();
    await expect.poll(() => a.getByTestId('nav-notifications-count').count(), within).toBe(0);

    // Bruno opens Ana's profile; Ana adds a pet, and it shows there live.
    await b.goto(`${env.node.url}/u/${ana.username}`);
    await b.getByTestId('profile').waitFor();
    await expect.poll(() => b.getByTestId('relation-state').textContent(), within).toBe(en['relation.friends']);
    await a.goto(`${env.node.url}/pets/new`);
    await a.getByLabel(en['pets.name']).fill('Mishka');
    await a.getByLabel(en['pets.species']).selectOption('cat');
    await a.getByLabel(en['pets.breed']).fill('Siberian');
    await a.getByRole('button', { name: en['pets.create'] }).click();
    await a.getByTestId('pet').waitFor(within);
    await a.getByRole('heading', { name: 'Mishka' }).waitFor();
    await screenshot(a, 'people-pet');
    await b.getByRole('tab', { name: en['pets.title'] }).click();
    await b.getByTestId('pets').getByRole('link', { name: 'Mishka' }).waitFor(within);
    await screenshot(b, 'people-friend-pet');

    // Ana looks at Bruno's profile; Bruno blocks her (asked twice); his profile disappears for her.
    await a.goto(`${env.node.url}/u/${bruno.username}`);
    await a.getByTestId('profile').waitFor();
    // Her page follows him live (his presence shows) before he blocks her.
    await a.getByTestId('profile-presence').waitFor(within);
    // Block is in the profile's overflow menu.
    await b.getByRole('button', { name: new RegExp(`^${en['relation.more'].replace('{name}', '.+')}$`) }).click();
    await b.getByRole('menuitem', { name: en['relation.block'] }).click();
    await b.getByRole('button', { name: en['relation.blockYes'] }).click();
    await expect.poll(() => b.getByTestId('relation-state').textContent(), within).toBe(en['relation.blocked']);
    await a.getByTestId('profile-not-found').waitFor(within);
    expect(await a.getByTestId('profile').count()).toBe(0);
    await screenshot(a, 'people-blocked-live');
    await a.reload();
    await a.getByTestId('profile-not-found').waitFor(within);
    await screenshot(a, 'people-blocked-reload');

    // Bruno finds Ana in his blocked list.
    await b.goto(`${env.node.url}/settings/blocked`);
    await b.getByTestId('blocked').getByTestId(`person-${ana.username}`).waitFor(within);
    await screenshot(b, 'people-blocked-list');
    expect(await noHorizontalScroll(b)).toBeLessThanOrEqual(360);
  }, 120_000);

  test('e2e: profile editor with a refused field, privacy, and a lost pet that alerts a friend who cannot read its health notes', async () => {
    const ana = await env.register();
    const bruno = await env.register();
    await befriend(env.node, ana, bruno);
    const a = await signIn(ana);
    const b = await signIn(bruno);

    // A time zone the server does not know: the field is marked and the message names it.
    await a.getByRole('link', { name: en['nav.settings'] }).click();
    await a.getByRole('link', { name: en['settings.profile'], exact: true }).click();
    await a.getByLabel(en['profile.displayName']).fill('Ana Luna');
    await a.getByLabel(en['profile.bio']).fill('Two cats and a balcony.');
    await a.getByLabel(en['profile.timezone']).fill('Mars/Olympus_Mons');
    await a.getByRole('button', { name: en['settings.save'], exact: true }).click();
    await expect.poll(() => a.getByRole('alert').textContent(), within).toBe(en['error.INVALID_INPUT'].replace('{field}', 'timezone'));
    expect(await a.getByLabel(en['profile.timezone']).getAttribute('aria-invalid')).toBe('true');
    await screenshot(a, 'people-profile-error');
    await a.getByLabel(en['profile.timezone']).fill('Europe/Madrid');
    // The place is picked by its name, never typed as coordinates.
    await a.getByLabel(en['welcome.placeLabel']).fill('madrid');
    await a.getByRole('option', { name: MADRID }).click();
    await a.getByTestId('place-chosen').filter({ hasText: MADRID }).waitFor(within);
    await a.getByRole('button', { name: en['settings.save'], exact: true }).click();
    await a.getByRole('status').filter({ hasText: en['settings.saved'] }).first().waitFor(within);
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);

    // Location is "only me" by default: Bruno sees the new name, bio and zone, not the place.
    await b.goto(`${env.node.url}/u/${ana.username}`);
    await b.getByRole('heading', { name: 'Ana Luna' }).waitFor(within);
    await b.getByRole('tab', { name: en['profile.tabAbout'] }).click();
    expect(await b.getByText('Two cats and a balcony.').count()).toBe(1);
    expect(await b.getByText('Europe/Madrid').count()).toBe(1);
    expect(await b.getByText(MADRID, { exact: true }).count()).toBe(0);
    await a.getByRole('link', { name: en['settings.privacy'], exact: true }).click();
    await a.getByLabel(en['privacy.location']).selectOption('friends');
    await a.getByRole('status').filter({ hasText: en['settings.saved'] }).first().waitFor(within);
    await screenshot(a, 'people-privacy');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);
    // The profile follows the change live (profile.changed).
    await b.getByText(MADRID, { exact: true }).waitFor(within);
    await screenshot(b, 'people-friend-profile');

    // Ana adds a lost cat with health notes only she may read; Bruno is alerted.
    await a.goto(`${env.node.url}/pets/new`);
    await a.getByLabel(en['pets.name']).fill('Kira');
    await a.getByLabel(en['pets.species']).selectOption('cat');
    await a.getByLabel(en['pets.markLost']).check();
    await a.getByLabel(en['pets.lostNote']).fill('Last seen near Retiro park at 18:00');
    await a.getByLabel(en['pets.healthNotes'], { exact: true }).fill('Needs kidney diet');
    await screenshot(a, 'people-pet-editor');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);
    await a.getByRole('button', { name: en['pets.create'] }).click();
    await a.getByTestId('pet-health').waitFor(within);
    expect(await a.getByText('Needs kidney diet').count()).toBe(1);

    await expect.poll(() => b.getByTestId('nav-notifications-count').textContent(), within).toBe('1');
    await b.getByRole('link', { name: en['nav.notificationsUnread'].replace('{count}', '1') }).click();
    const alert = format(en['notifications.petLost'], { name: 'Ana Luna', pet: 'Kira' });
    await b.getByTestId('notifications').getByRole('link', { name: alert }).click();
    await b.getByTestId('pet').waitFor(within);
    expect(new URL(b.url()).pathname).toMatch(/^\/pets\/[0-9a-f-]{36}$/);
    expect(await b.getByText('Last seen near Retiro park at 18:00').count()).toBe(1);
    expect(await b.getByTestId('pet-health').count()).toBe(0);
    expect(await b.getByText('Needs kidney diet').count()).toBe(0);
    await expect.poll(() => b.getByTestId('nav-notifications-count').count(), within).toBe(0);
    await screenshot(b, 'people-lost-pet');
  }, 120_000);

  test('e2e: notification preferences are saved per type and channel, and push can be offered where the browser has PushManager', async () => {
    const ana = await env.register();
    const a = await signIn(ana);
    await a.goto(`${env.node.url}/settings/notifications`);
    const requests = a.getByRole('group', { name: en['notificationType.friend.request'], exact: true });
    await requests.waitFor(within);
    expect(await a.getByRole('group').count()).toBe(NOTIFICATION_TYPES.length);
    const email = requests.getByLabel(en['channel.email']);
    expect(await email.isChecked()).toBe(true);
    await email.uncheck();
    await a.getByRole('button', { name: en['push.enable'] }).waitFor();
    await screenshot(a, 'people-notification-settings');
    expect(await noHorizontalScroll(a)).toBeLessThanOrEqual(360);
    await expect
      .poll(async () => {
        await a.reload();
        const box = a.getByRole('group', { name: en['notificationType.friend.request'], exact: true }).getByLabel(en['channel.email']);
        await box.waitFor(within);
        return box.isChecked();
      }, within)
      .toBe(false);
  }, 60_000);

  test("e2e: a profile counts the posts its viewer may see; Report sits in the overflow menu and reaches the moderators; Explore suggests a friend of a friend's pet", async () => {
    const [ana, bruno, carla] = await Promise.all([env.register(), env.register(), env.register()]);
    await befriend(env.node, ana, bruno);
    await befriend(env.node, bruno, carla);
    const [hers, carlas] = await Promise.all([join(env, env.node, ana), join(env, env.node, carla)]);
    await carlas.call('posts.create', { text: 'Public walk', visibility: 'public' });
    await carlas.call('posts.create', { text: 'Friends only', visibility: 'friends' });
    const kiwi = await carlas.call('pets.create', { name: 'Kiwi', species: 'bird', clientId: crypto.randomUUID() });
    carlas.close();
    hers.close();

    const a = await signIn(ana);
    await a.goto(`${env.node.url}/u/${carla.username}`);
    await a.getByTestId('profile').waitFor(within);
    expect(await a.getByTestId('count-posts').textContent()).toBe(format(en['profile.postsCount'], { count: 1 }));

    // The overflow menu holds Report and Block; the report names the person and is stored.
    await a.getByRole('button', { name: format(en['relation.more'], { name: carla.username }) }).click();
    expect(await a.getByRole('menuitem').allTextContents()).toEqual([en['report.action'], en['relation.block']]);
    await a.getByRole('menuitem', { name: en['report.action'] }).click();
    const dialog = a.getByTestId('report-dialog');
    await dialog.getByRole('heading', { name: format(en['report.userTitle'], { name: carla.username }) }).waitFor(within);
    await dialog.getByLabel(en['report.reason']).selectOption('scam');
    await dialog.getByLabel(en['report.note']).fill('Asks for money for a pet that does not exist');
    await screenshot(a, 'people-report-person');
    await dialog.getByRole('button', { name: en['report.submit'] }).click();
    await a.getByText(en['report.sent']).waitFor(within);
    const stored = await env.node.platform.database.db.select().from(reports).where(eq(reports.reporterId, ana.id));
    expect(stored).toEqual([expect.objectContaining({ targetKind: 'user', targetId: carla.id, reason: 'scam' })]);

    // Explore: Carla's bird, because Ana and Carla share Bruno.
    await a.getByTestId('nav-explore').click();
    const suggestion = a.getByTestId(`pet-suggestion-${kiwi.id}`);
    await suggestion.waitFor(within);
    expect(await suggestion.textContent()).toContain(format(en['explore.petReason.friends'], { count: 1 }));
    await suggestion.scrollIntoViewIfNeeded();
    await screenshot(a, 'people-explore-pets');
    await suggestion.getByRole('link').click();
    await a.getByRole('heading', { name: 'Kiwi' }).waitFor(within);
  }, 60_000);
});
