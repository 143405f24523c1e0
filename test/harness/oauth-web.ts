// Provider sign-in in a real browser: a node serving the app at http://localhost:<port> and fake
// Google and Apple providers at http://127.0.0.1:<port>, so the browser treats them as different
// sites and enforces SameSite as it would in production.
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { type AccountsEnv, startAccountsEnv } from './accounts.ts';
import { launchBrowser } from './browser.ts';
import { type FakeOidcProvider, startGoogleAndApple } from './oidc-provider.ts';

export interface OAuthWebEnv {
  env: AccountsEnv;
  browser: Browser;
  appUrl: string;
  google: FakeOidcProvider;
  apple: FakeOidcProvider;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** `clientDir`: the web client the node serves (the built app, or a stand-in). */
export async function startOAuthWebEnv(label: string, clientDir: string): Promise<OAuthWebEnv> {
  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  const callback = (provider: string) => `${appUrl}/auth/oauth/${provider}/callback`;
  const { google, apple, variables } = await startGoogleAndApple(callback);
  const env = await startAccountsEnv(label, { PORT: String(port), APP_URL: appUrl, CLIENT_DIR: clientDir, ...variables });
  if (!google.issuer.includes('127.0.0.1')) throw new Error(`the fake provider must not share the app's site: ${google.issuer}`);
  const browser = await launchBrowser();
  return {
    env,
    browser,
    appUrl,
    google,
    apple,
    async close() {
      await browser.close();
      await env.close();
      await Promise.all([google.close(), apple.close()]);
    },
  };
}
