// The web client's side of provider sign-in, in Chromium against a real node: a Google account
// whose address already has an account is refused with the way to link it; the owner signs in,
// links Google from Settings → Sign-in and security with the password and the authenticator code;
// from then on Google signs in to that account, with the two-step verification screen first, and
// a reload stays signed in through the refresh cookie.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { en } from '../../client/src/i18n/messages/en.ts';
import { base32Decode, totp } from '../../server/accounts/totp.ts';
import { connectionOf, userContext } from '../harness/browser.ts';
import { type OAuthWebEnv, startOAuthWebEnv } from '../harness/oauth-web.ts';
import { uniqueName } from '../harness/services.ts';

let web: OAuthWebEnv;
beforeAll(async () => {
  web = await startOAuthWebEnv('oauth_client_e2e', new URL('../../client/dist', import.meta.url).pathname);
});
afterAll(async () => {
  await web?.close();
});

const STEP_MS = 30_000;

async function continueWithGoogle(page: Page): Promise<void> {
  await page.goto(`${web.appUrl}/login`);
  await page.getByRole('link', { name: en['signIn.withProvider'].replace('{provider}', 'Google') }).click();
}

describe('provider sign-in in the web client', () => {
  test('e2e: link required, then linked from the settings, then Google sign-in with the two-step code', async () => {
    const owner = await web.env.register();
    const setup = await owner.client.post<{ secret: string }>('/auth/2fa/setup', {}, owner.tokens.accessToken);
    const secret = base32Decode(setup.body.secret);
    const now = Date.now();
    const enabled = await owner.client.post<{ recoveryCodes: string[] }>(
      '/auth/2fa/enable',
      { code: totp(secret, now - STEP_MS), password: owner.password },
      owner.tokens.accessToken,
    );
    web.google.setUser({ sub: uniqueName('sub'), email: owner.email, emailVerified: true, name: 'Mochi Owner' });

    const context = await userContext(web.browser, { locale: 'en-US' });
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    await continueWithGoogle(page);
    await page.getByRole('alert').filter({ hasText: en['error.OAUTH_LINK_REQUIRED'] }).waitFor();

    await page.getByLabel(en['form.login']).fill(owner.username);
    await page.getByLabel(en['form.password']).fill(owner.password);
    await page.getByRole('button', { name: en['signIn.submit'] }).click();
    await page.getByLabel(en['form.code']).fill(totp(secret, now));
    await page.getByRole('button', { name: en['signIn.submit'] }).click();
    await page.getByTestId('presence-self').waitFor();

    await page.goto(`${web.appUrl}/settings/sign-in`);
    const linkForm = page.locator('form').filter({ has: page.getByRole('button', { name: 'Link Google' }) });
    await linkForm.getByLabel(en['signInSettings.currentPassword']).fill(owner.password);
    await linkForm.getByLabel(en['form.code']).fill(totp(secret, now + STEP_MS));
    await linkForm.getByRole('button', { name: 'Link Google' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: en['signInSettings.linked'].replace('{provider}', 'Google') })
      .waitFor();
    await context.close();

    const elsewhere = await userContext(web.browser, { locale: 'en-US' });
    const second = await elsewhere.newPage();
    await continueWithGoogle(second);
    await second.getByRole('heading', { name: en['signIn.twoFactorTitle'] }).waitFor();
    await second.getByLabel(en['form.code']).fill(enabled.body.recoveryCodes[0] as string);
    await second.getByRole('button', { name: en['signIn.submit'] }).click();
    await second.getByTestId('presence-self').waitFor();
    expect(await second.evaluate(() => localStorage.getItem('petamigos.session'))).toContain(owner.id);
    // The exchange, a fetch of the app's page after the provider's cross-site redirects, set the
    // SameSite=Strict refresh cookie; a reload signs in again from it alone.
    expect((await elsewhere.cookies()).find((cookie) => cookie.name === 'refresh')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    let refreshed = 0;
    second.on('response', (response) => {
      if (response.url().endsWith('/auth/refresh') && response.status() === 200) refreshed++;
    });
    await second.reload();
    await expect.poll(() => connectionOf(second), { timeout: 10_000 }).toBe('open');
    expect(refreshed).toBe(1);
    await elsewhere.close();
  });
});
