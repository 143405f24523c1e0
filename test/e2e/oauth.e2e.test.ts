// Provider sign-in in headless Chromium, where SameSite is enforced for real: the app is served
// at http://localhost:<port> and the fake providers at http://127.0.0.1:<port>, different sites.
// The binding cookie set at the start must come back on the provider's redirect (Google, a
// cross-site top-level GET) and on Apple's form post (a cross-site POST, which drops SameSite=Lax
// cookies, sent on by the server to the GET callback); the one-time code then works from this
// browser's pages and from no other browser.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newIdentity } from '../harness/accounts.ts';
import { userContext } from '../harness/browser.ts';
import { type OAuthWebEnv, startOAuthWebEnv } from '../harness/oauth-web.ts';
import { createTempDir, type TempDir, uniqueName } from '../harness/services.ts';

let web: OAuthWebEnv;
/** A stand-in web client that does nothing: the test trades the code itself (the real app would at once). */
let clientDir: TempDir;

beforeAll(async () => {
  clientDir = createTempDir('oauth-client');
  writeFileSync(join(clientDir.path, 'index.html'), '<!doctype html><title>stand-in client</title>');
  web = await startOAuthWebEnv('oauth_e2e', clientDir.path);
});
afterAll(async () => {
  await web?.close();
  clientDir?.remove();
});

/** Exchanges `code` from a page of `context` on the app's origin (a same-origin fetch, as the web client does). */
async function exchangeFrom(context: BrowserContext, code: string): Promise<{ status: number; userEmail?: string; error?: string }> {
  const page = await context.newPage();
  await page.goto(`${web.appUrl}/auth/oauth/providers`);
  const result = await page.evaluate(async (value) => {
    const response = await fetch('/auth/oauth/exchange', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: value }),
    });
    const body = (await response.json()) as { user?: { email: string }; error?: { code: string } };
    return { status: response.status, userEmail: body.user?.email, error: body.error?.code };
  }, code);
  await page.close();
  return result;
}

describe('oauth in a real browser', () => {
  test.each([
    ['google', () => web.google],
    ['apple', () => web.apple],
  ] as const)('e2e: %s sign-in comes back with the binding cookie, and its code works only in this browser', async (provider, fake) => {
    const person = { sub: uniqueName('sub'), email: newIdentity('oe').email, emailVerified: true, name: 'Kiwi Owner' };
    fake().setUser(person);
    const context = await userContext(web.browser);
    // The app's own page would trade the code at once; this test trades it itself.
    await context.route(
      (url) => url.pathname === '/oauth/complete',
      (route) => route.fulfill({ contentType: 'text/html', body: '<p>complete</p>' }),
    );
    const page = await context.newPage();
    await page.goto(`${web.appUrl}/auth/oauth/${provider}/start`);
    await page.waitForURL((url) => url.pathname === '/oauth/complete' || url.pathname === '/login');
    const landed = new URL(page.url());
    expect(landed.searchParams.get('oauthError')).toBeNull();
    expect(landed.pathname).toBe('/oauth/complete');
    const code = landed.searchParams.get('code') as string;
    const cookies = await context.cookies(`${web.appUrl}/auth/oauth/exchange`);
    expect(cookies.find((cookie) => cookie.name === 'oauth_binding')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    const stranger = await userContext(web.browser);
    expect(await exchangeFrom(stranger, code)).toMatchObject({ status: 400, error: 'INVALID_TOKEN' });
    expect(await exchangeFrom(context, code)).toMatchObject({ status: 200, userEmail: person.email });
    await stranger.close();
    await context.close();
  });
});
