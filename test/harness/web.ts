// The web client's end-to-end setting: a node with real services serving the built client, a
// local geocoder with Nominatim's API for place names, one headless Chromium, and signing a user
// in through the sign-in screen in a context of their own.
import type { Browser, Page } from 'playwright-core';
import { en } from '../../client/src/i18n/messages/en.ts';
import { type AccountsEnv, type RegisteredUser, startAccountsEnv } from './accounts.ts';
import { launchBrowser, userContext } from './browser.ts';
import { type FakeNominatim, startFakeNominatim } from './nominatim.ts';

export interface WebEnv {
  env: AccountsEnv;
  browser: Browser;
  geocoder: FakeNominatim;
  /** A page signed in as `user` (English, 360 px), on the home screen with the socket up. */
  signIn(user: RegisteredUser): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Fills the sign-in screen of the node at `baseUrl` with `user`'s name and password; the answer
 * submits it and resolves once the socket is up.
 */
export async function fillSignIn(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<() => Promise<void>> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(en['form.login']).fill(user.username);
  await page.getByLabel(en['form.password']).fill(user.password);
  return async () => {
    await page.getByRole('button', { name: en['signIn.submit'] }).click();
    await page.getByTestId('presence-self').waitFor();
  };
}

/** Signs `user` in through the sign-in screen of the node at `baseUrl`; resolves once the socket is up. */
export async function signInThrough(page: Page, baseUrl: string, user: { username: string; password: string }): Promise<void> {
  await (await fillSignIn(page, baseUrl, user))();
}

/** `settings`: more of the node's environment (a shorter story lifetime, say); `browser`: the browser's fake devices. */
export async function startWebEnv(
  label: string,
  settings: Record<string, string> = {},
  browserOptions: { cameras?: number } = {},
): Promise<WebEnv> {
  const geocoder = startFakeNominatim();
  const env = await startAccountsEnv(label, {
    CLIENT_DIR: new URL('../../client/dist', import.meta.url).pathname,
    GEOCODER_URL: geocoder.url,
    GEOCODER_REQUESTS_PER_SECOND: '100',
    ...settings,
  });
  const browser = await launchBrowser(browserOptions);
  return {
    env,
    browser,
    geocoder,
    async signIn(user) {
      const context = await userContext(browser, { locale: 'en-US' });
      const page = await context.newPage();
      await signInThrough(page, env.node.url, user);
      return page;
    },
    async close() {
      await browser.close();
      await env.close();
      geocoder.close();
    },
  };
}
