// The web client in headless Chromium against a real node (real PostgreSQL, Redis, NATS, SMTP, a
// local geocoder with Nominatim's API): sign up on a phone-sized screen, go through the welcome
// steps (photo, first pet, people, language and place), confirm the address from the mail
// received and continue into the app, see the session connected and the user online; sign in with two-factor in Spanish; the Arabic interface reads
// right to left. Screenshots of each screen are kept in .test-results/screenshots.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../client/src/i18n/messages/ar.ts';
import { en, type Messages } from '../../client/src/i18n/messages/en.ts';
import { es } from '../../client/src/i18n/messages/es.ts';
import { users } from '../../server/accounts/schema.ts';
import { base32Decode, totp } from '../../server/accounts/totp.ts';
import { profiles } from '../../server/people/schema.ts';
import { pets } from '../../server/pets/schema.ts';
import { type AccountsEnv, newIdentity, PASSWORD, startAccountsEnv } from '../harness/accounts.ts';
import { connectionOf, launchBrowser, screenshot, userContext } from '../harness/browser.ts';
import { format } from '../harness/i18n.ts';
import { linkToken } from '../harness/mailbox.ts';
import { type FakeNominatim, startFakeNominatim } from '../harness/nominatim.ts';
import { befriend } from '../harness/social.ts';

let env: AccountsEnv;
let browser: Browser;
let geocoder: FakeNominatim;
let dir: string;
let photo: string;
const processing = { timeout: 60_000 };
beforeAll(async () => {
  geocoder = startFakeNominatim();
  env = await startAccountsEnv('e2e', {
    CLIENT_DIR: new URL('../../client/dist', import.meta.url).pathname,
    GEOCODER_URL: geocoder.url,
    GEOCODER_REQUESTS_PER_SECOND: '100',
  });
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'accounts-e2e-'));
  photo = join(dir, 'me.jpg');
  await sharp({ create: { width: 480, height: 480, channels: 3, background: '#c98b4f' } })
    .jpeg()
    .toFile(photo);
});
afterAll(async () => {
  await browser.close();
  await env.close();
  geocoder.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web client', () => {
  test('e2e: sign up, the welcome steps (photo, first pet, people, language and a place from the device), confirm from the mail and continue into the app (English, 360 px)', async () => {
    const context = await userContext(browser, { locale: 'en-US', timezoneId: 'America/Mexico_City' });
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 20.67671, longitude: -103.34749 });
    const page = await context.newPage();
    const identity = newIdentity('web');
    await page.goto(`${env.node.url}/signup`);
    await page.getByLabel(en['form.email']).fill(identity.email);
    await page.getByLabel(en['form.username']).fill(identity.username);
    await page.getByLabel(en['form.password']).fill(PASSWORD);
    await screenshot(page, 'signup-en');
    await page.getByRole('button', { name: en['signUp.submit'] }).click();

    // Step 1: the photo; the mail to confirm is mentioned, not a dead end.
    await page.waitForURL(/\/welcome$/);
    await page.getByRole('heading', { name: en['welcome.photoTitle'] }).waitFor();
    await page.getByRole('status').filter({ hasText: identity.email }).waitFor();
    expect(await page.getByText(format(en['welcome.step'], { step: 1, steps: 4 })).count()).toBe(1);
    await page.getByLabel(en['profile.changeAvatar']).setInputFiles(photo);
    await page.getByText(en['profile.photoSaved']).waitFor(processing);
    await screenshot(page, 'welcome-1-photo');
    await page.getByTestId('welcome-next').click();

    // Step 2: a first pet, with a photo.
    await page.getByRole('heading', { name: en['welcome.petTitle'] }).waitFor();
    await page.getByLabel(en['pets.name']).fill('Luna');
    await page.getByLabel(en['pets.species']).selectOption('cat');
    await page.getByLabel(en['welcome.petPhotoChoose']).setInputFiles(photo);
    await page.getByTestId('welcome-pet-photo').getByRole('img').waitFor(processing);
    await screenshot(page, 'welcome-2-pet');
    await page.getByTestId('welcome-next').click();

    // Step 3: people (a new account has no suggestions yet; search is there), then Back works.
    await page.getByRole('heading', { name: en['welcome.peopleTitle'] }).waitFor();
    await page
      .getByText(format(en['welcome.petAdded'], { pet: 'Luna' }))
      .first()
      .waitFor();
    await screenshot(page, 'welcome-3-people');
    await page.goBack();
    await page.getByRole('heading', { name: en['welcome.petTitle'] }).waitFor();
    await page.goForward();
    await page.getByTestId('welcome-next').click();

    // Step 4: the language, the place from the device (named, never coordinates), the browser's zone.
    await page.getByRole('heading', { name: en['welcome.placeTitle'] }).waitFor();
    const zone = 'America/Mexico_City';
    expect(await page.getByLabel(en['profile.timezone']).inputValue()).toBe(zone);
    await page.getByTestId('welcome-place-locate').click();
    await page.getByTestId('welcome-place-chosen').filter({ hasText: 'Guadalajara, Jalisco, Mexico' }).waitFor();
    expect(await page.getByLabel(/latitude/i).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'welcome-4-place');
    await page.getByTestId('welcome-next').click();
    await page.getByRole('heading', { name: en['feed.title'] }).waitFor();

    const { db } = env.node.platform.database;
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.username, identity.username));
    const userId = user?.id ?? '';
    const place = {
      latitude: profiles.latitude,
      longitude: profiles.longitude,
      placeName: profiles.placeName,
      timezone: profiles.timezone,
    };
    expect(await db.select(place).from(profiles).where(eq(profiles.userId, userId))).toEqual([
      { latitude: 20.68, longitude: -103.35, placeName: 'Guadalajara, Jalisco, Mexico', timezone: zone },
    ]);
    const theirPets = await db
      .select({ name: pets.name, species: pets.species, photos: pets.photoMediaIds })
      .from(pets)
      .where(eq(pets.ownerId, userId));
    expect(theirPets.map((pet) => ({ ...pet, photos: pet.photos.length }))).toEqual([{ name: 'Luna', species: 'cat', photos: 1 }]);

    // The confirmation link continues into the app.
    const token = linkToken(await env.mailbox.waitFor(identity.email, /Confirm your email/), '/verify-email');
    await page.goto(`${env.node.url}/verify-email?token=${token}`);
    await page.getByTestId('verified').waitFor();
    await screenshot(page, 'verified-en');
    await page.getByTestId('verify-continue').click();
    // Home is the feed, inside the app's navigation.
    await page.getByRole('heading', { name: en['feed.title'] }).waitFor();
    await page.getByRole('navigation', { name: en['nav.main'] }).getByRole('link', { name: en['nav.home'], exact: true }).waitFor();
    await expect.poll(async () => connectionOf(page), { timeout: 10_000 }).toBe('open');
    // The connection state shows only while it is not open.
    expect(await page.getByTestId('connection').count()).toBe(0);
    await expect.poll(async () => page.getByTestId('presence-self').getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'home-en');
    await context.close();
  }, 120_000);

  test('e2e: the welcome steps at 1366 px can all be skipped, and a place can be picked by its name', async () => {
    const user = await env.register();
    const context = await userContext(browser, { locale: 'es-MX', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.node.url}/login`);
    await page.getByLabel(es['form.login']).fill(user.username);
    await page.getByLabel(es['form.password']).fill(user.password);
    await page.getByRole('button', { name: es['signIn.submit'] }).click();
    await page.getByTestId('presence-self').waitFor();
    await page.goto(`${env.node.url}/welcome`);
    await page.getByTestId('welcome-skip').click();
    await page.getByRole('heading', { name: es['welcome.petTitle'] }).waitFor();
    await page.getByTestId('welcome-skip').click();
    await page.getByRole('heading', { name: es['welcome.peopleTitle'] }).waitFor();
    await page.getByTestId('welcome-next').click();
    await page.getByLabel(es['welcome.placeLabel']).fill('guadalaj');
    // Two places share the name: each says where it is.
    await page.getByRole('option', { name: 'Guadalajara, Castilla-La Mancha, España' }).click();
    await page.getByTestId('welcome-place-chosen').filter({ hasText: 'Guadalajara, Castilla-La Mancha, España' }).waitFor();
    await screenshot(page, 'welcome-4-place-desktop-es');
    await page.getByTestId('welcome-next').click();
    await page.getByRole('heading', { name: es['feed.title'] }).waitFor();
    const { db } = env.node.platform.database;
    expect(
      await db.select({ placeName: profiles.placeName, locale: profiles.locale }).from(profiles).where(eq(profiles.userId, user.id)),
    ).toEqual([{ placeName: 'Guadalajara, Castilla-La Mancha, España', locale: 'es-MX' }]);
    expect(await db.select({ id: pets.id }).from(pets).where(eq(pets.ownerId, user.id))).toEqual([]);
    await context.close();
  }, 90_000);

  test('e2e: sign in with two-factor, in Spanish', async () => {
    const user = await env.register({ language: 'es' });
    const setup = await user.client.post<{ secret: string }>('/auth/2fa/setup', {}, user.tokens.accessToken);
    const secret = base32Decode(setup.body.secret);
    await user.client.post('/auth/2fa/enable', { code: totp(secret, Date.now()), password: user.password }, user.tokens.accessToken);

    const context = await userContext(browser, { locale: 'es-MX' });
    const page = await context.newPage();
    await page.goto(`${env.node.url}/login`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es-MX');
    await page.getByLabel(es['form.login']).fill(user.username);
    await page.getByLabel(es['form.password']).fill(user.password);
    await page.getByRole('button', { name: es['signIn.submit'] }).click();
    await page.getByLabel(es['form.code']).waitFor();
    await screenshot(page, 'two-factor-es');
    await page.getByLabel(es['form.code']).fill(totp(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: es['signIn.submit'] }).click();
    await page.getByTestId('presence-self').waitFor();
    await screenshot(page, 'home-es');
    await context.close();
  });

  test('e2e: the Arabic interface is right to left', async () => {
    const context = await userContext(browser, { locale: 'ar' });
    const page = await context.newPage();
    await page.goto(`${env.node.url}/login`);
    await page.getByRole('heading', { name: ar['signIn.title'] }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    await screenshot(page, 'login-ar');
    await context.close();
  });

  test('e2e: two friends in separate browsers see each other online, and offline when one leaves', async () => {
    const alice = await env.register();
    const bob = await env.register({ language: 'es' });
    // Presence is shown to friends only.
    await befriend(env.node, alice, bob);
    const signIn = async (locale: string, user: { username: string; password: string }, labels: Messages) => {
      const context = await userContext(browser, { locale });
      const page = await context.newPage();
      await page.goto(`${env.node.url}/login`);
      await page.getByLabel(labels['form.login']).fill(user.username);
      await page.getByLabel(labels['form.password']).fill(user.password);
      await page.getByRole('button', { name: labels['signIn.submit'] }).click();
      await page.getByTestId('presence-self').waitFor();
      return { context, page };
    };
    const a = await signIn('en-US', alice, en);
    const b = await signIn('es-MX', bob, es);
    // Each opens the other's profile, which shows their presence live.
    await b.page.goto(`${env.node.url}/u/${alice.username}`);
    await expect.poll(() => b.page.getByTestId('profile-presence').getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    await a.page.goto(`${env.node.url}/u/${bob.username}`);
    await expect.poll(() => a.page.getByTestId('profile-presence').getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    await screenshot(b.page, 'friend-online-es');
    await a.context.close();
    await expect.poll(() => b.page.getByTestId('profile-presence').getAttribute('data-status'), { timeout: 10_000 }).toBe('offline');
    await screenshot(b.page, 'friend-offline-es');
    await b.context.close();
  });

  test('e2e: signing in works with the keyboard alone, and the skip link comes first', async () => {
    const user = await env.register();
    const context = await userContext(browser, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.node.url}/login`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(en['nav.skipToContent']);
    await page.getByLabel(en['form.login']).focus();
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('presence-self').getAttribute('data-status'), { timeout: 10_000 }).toBe('online');
    // On a desktop the side rail holds the navigation, with labels; no phone bars.
    await page.getByRole('navigation', { name: en['nav.main'] }).getByRole('link', { name: en['nav.explore'] }).waitFor();
    expect(await page.locator('.nav-bottom').count()).toBe(0);
    await screenshot(page, 'home-desktop-en');
    await context.close();
  });
});
