// Provider sign-in in a real browser: a node serving the app at http://localhost:<port> and fake
// Google and Apple providers at http://127.0.0.1:<port>, so the browser treats them as different
// sites and enforces SameSite as it would in production.
import { createServer } from 'node:net';
import { exportPKCS8, generateKeyPair } from 'jose';
import type { Browser } from 'playwright-core';
import { type AccountsEnv, startAccountsEnv } from './accounts.ts';
import { launchBrowser } from './browser.ts';
import { type FakeOidcProvider, startFakeOidcProvider } from './oidc-provider.ts';

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
  const appleKeys = await generateKeyPair('ES256', { extractable: true });
  const google = await startFakeOidcProvider({
    clientId: 'google-client',
    clientSecret: 'google-secret',
    redirectUris: [callback('google')],
    flavor: 'oidc',
  });
  const apple = await startFakeOidcProvider({
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
  const env = await startAccountsEnv(label, {
    PORT: String(port),
    APP_URL: appUrl,
    CLIENT_DIR: clientDir,
    OAUTH_GOOGLE_CLIENT_ID: 'google-client',
    OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
    ...endpoints('GOOGLE', google),
    OAUTH_APPLE_CLIENT_ID: 'com.petamigos.web',
    OAUTH_APPLE_TEAM_ID: 'TEAM123456',
    OAUTH_APPLE_KEY_ID: 'KEY987654',
    OAUTH_APPLE_PRIVATE_KEY: (await exportPKCS8(appleKeys.privateKey)).replaceAll('\n', '\\n'),
    ...endpoints('APPLE', apple),
  });
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
