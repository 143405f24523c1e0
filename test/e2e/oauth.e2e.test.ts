// Provider sign-in in headless Chromium, where SameSite is enforced for real: the app is served
// at http://localhost:<port> and the fake providers at http://127.0.0.1:<port>, different sites.
// The binding cookie set at the start must come back on the provider's redirect (Google, a
// cross-site top-level GET) and on Apple's form post (a cross-site POST, which drops SameSite=Lax
// cookies, sent on by the server to the GET callback); the one-time code then works from this
// browser's pages and from no other browser.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, newIdentity, startAccountsEnv } from '../harness/accounts.ts';
import { launchBrowser, userContext } from '../harness/browser.ts';
import { type FakeOidcProvider, startFakeOidcProvider } from '../harness/oidc-provider.ts';
import { createTempDir, type TempDir, uniqueName } from '../harness/services.ts';

let env: AccountsEnv;
let browser: Browser;
let google: FakeOidcProvider;
let apple: FakeOidcProvider;
let appUrl: string;
/** A stand-in web client that does nothing: the test trades the code itself (the real app would at once). */
let clientDir: TempDir;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  clientDir = createTempDir('oauth-client');
  writeFileSync(join(clientDir.path, 'index.html'), '<!doctype html><title>stand-in client</title>');
  const port = await freePort();
  appUrl = `http://localhost:${port}`;
  const callback = (provider: string) => `${appUrl}/auth/oauth/${provider}/callback`;
  const appleKeys = await generateKeyPair('ES256', { extractable: true });
  google = await startFakeOidcProvider({
    clientId: 'google-client',
    clientSecret: 'google-secret',
    redirectUris: [callback('google')],
    flavor: 'oidc',
  });
  apple = await startFakeOidcProvider({
    clientId: 'com.petamigos.web',
    redirectUris: [callback('apple')],
    flavor: 'oidc',
    responseMode: 'form_post',
    clientAuth: 'private_key_jwt_es256',
    clientPublicKey: appleKeys.publicKey,
    teamId: 'TEAM123456',
    keyId: 'KEY987654',
  });
  const endpoints = (name: string, provider: FakeOidcProvider) => ({
    [`OAUTH_${name}_ISSUER`]: provider.issuer,
    [`OAUTH_${name}_AUTHORIZATION_URL`]: provider.authorizationEndpoint,
    [`OAUTH_${name}_TOKEN_URL`]: provider.tokenEndpoint,
    [`OAUTH_${name}_JWKS_URL`]: provider.jwksUri,
  });
  env = await startAccountsEnv('oauth_e2e', {
    PORT: String(port),
    CLIENT_DIR: clientDir.path,
    APP_URL: appUrl,
    OAUTH_GOOGLE_CLIENT_ID: 'google-client',
    OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
    ...endpoints('GOOGLE', google),
    OAUTH_APPLE_CLIENT_ID: 'com.petamigos.web',
    OAUTH_APPLE_TEAM_ID: 'TEAM123456',
    OAUTH_APPLE_KEY_ID: 'KEY987654',
    OAUTH_APPLE_PRIVATE_KEY: (await exportPKCS8(appleKeys.privateKey)).replaceAll('\n', '\\n'),
    ...endpoints('APPLE', apple),
  });
  expect(google.issuer).toContain('127.0.0.1');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await env?.close();
  await Promise.all([google?.close(), apple?.close()]);
  clientDir?.remove();
});

/** Exchanges `code` from a page of `context` on the app's origin (a same-origin fetch, as the web client does). */
async function exchangeFrom(context: BrowserContext, code: string): Promise<{ status: number; userEmail?: string; error?: string }> {
  const page = await context.newPage();
  await page.goto(`${appUrl}/auth/oauth/providers`);
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
    ['google', () => google],
    ['apple', () => apple],
  ] as const)('e2e: %s sign-in comes back with the binding cookie, and its code works only in this browser', async (provider, fake) => {
    const person = { sub: uniqueName('sub'), email: newIdentity('oe').email, emailVerified: true, name: 'Kiwi Owner' };
    fake().setUser(person);
    const context = await userContext(browser);
    // The app's own page would trade the code at once; this test trades it itself.
    await context.route(
      (url) => url.pathname === '/oauth/complete',
      (route) => route.fulfill({ contentType: 'text/html', body: '<p>complete</p>' }),
    );
    const page = await context.newPage();
    await page.goto(`${appUrl}/auth/oauth/${provider}/start`);
    await page.waitForURL((url) => url.pathname === '/oauth/complete' || url.pathname === '/login');
    const landed = new URL(page.url());
    expect(landed.searchParams.get('oauthError')).toBeNull();
    expect(landed.pathname).toBe('/oauth/complete');
    const code = landed.searchParams.get('code') as string;
    const cookies = await context.cookies(`${appUrl}/auth/oauth/exchange`);
    expect(cookies.find((cookie) => cookie.name === 'oauth_binding')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    const stranger = await userContext(browser);
    expect(await exchangeFrom(stranger, code)).toMatchObject({ status: 400, error: 'INVALID_TOKEN' });
    expect(await exchangeFrom(context, code)).toMatchObject({ status: 200, userEmail: person.email });
    await stranger.close();
    await context.close();
  });
});
