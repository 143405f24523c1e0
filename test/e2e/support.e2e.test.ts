// Help and support in the web client against a real node and a fake Chatwoot, screenshots at 390
// and 1366 px (and in Arabic) in .test-results/screenshots. Ana, on Pro, opens Settings → Help and
// support, writes to the team; the message reaches Chatwoot marked priority; an agent's answer
// appears on her screen without a reload; the team resolves the conversation and the screen says
// the next message opens another.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ar } from '../../client/src/i18n/messages/ar.ts';
import { en } from '../../client/src/i18n/messages/en.ts';
import { audit, chooseLanguage, screenshot } from '../harness/browser.ts';
import { type FakeChatwoot, startFakeChatwoot } from '../harness/fake-chatwoot.ts';
import { givePlan } from '../harness/plans.ts';
import { startWebEnv, type WebEnv } from '../harness/web.ts';

const CHATWOOT = { accountId: 1, inboxId: 4, apiToken: 'e2e-agent-token', webhookSecret: 'e2e-webhook-secret' };
let web: WebEnv;
let fake: FakeChatwoot;

beforeAll(async () => {
  fake = startFakeChatwoot(CHATWOOT);
  web = await startWebEnv('support-e2e', {
    CHATWOOT_BASE_URL: fake.url,
    CHATWOOT_ACCOUNT_ID: String(CHATWOOT.accountId),
    CHATWOOT_INBOX_ID: String(CHATWOOT.inboxId),
    CHATWOOT_API_TOKEN: CHATWOOT.apiToken,
    CHATWOOT_WEBHOOK_SECRET: CHATWOOT.webhookSecret,
  });
  fake.webhookUrl = `${web.env.node.url}/webhooks/chatwoot`;
}, 120_000);
afterAll(async () => {
  await web?.close();
  fake?.close();
});

const within = { timeout: 15_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

async function shoot(page: Page, name: string): Promise<string[]> {
  for (const close of await page.getByRole('button', { name: en['toast.dismiss'] }).all()) await close.click();
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await screenshot(page, `${name}-${size.width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways`).toBeLessThanOrEqual(size.width);
  }
  return audit(page, name);
}

test('e2e: a Pro user writes to support from the settings; the message reaches Chatwoot with priority, the agent’s answer appears live, and the team’s resolving shows', async () => {
  const { env } = web;
  const ana = await env.register();
  await givePlan(env.node.platform.database.db, ana.id, 'pro');
  const page = await web.signIn(ana);
  await page.getByTestId('nav-settings').click();
  await page.locator('a[href="/settings/support"]').click();
  await page.getByLabel(en['support.message']).waitFor(within);
  const violations = await shoot(page, 'support-empty');

  await page.getByLabel(en['support.message']).fill('My Pro badge does not show on my profile.');
  await page.getByRole('button', { name: en['support.send'] }).click();
  await page.getByTestId('support-priority').waitFor(within);
  await expect
    .poll(() => fake.conversations.find((conversation) => conversation.messages.length > 0)?.priority ?? null, within)
    .toBe('high');
  const conversation = fake.conversations.find((each) => each.messages.length > 0);
  if (conversation === undefined) throw new Error('the message did not reach Chatwoot');
  expect(conversation.labels).toEqual(['pro']);

  await fake.reply(conversation.id, 'Thanks! It shows again now; reload your profile.', { agent: 'Lucía' });
  await page.locator('[data-author="agent"]').waitFor(within);
  expect(await page.locator('[data-author="agent"] .sender').textContent()).toContain('Lucía');
  violations.push(...(await shoot(page, 'support-answered')));

  await fake.resolve(conversation.id);
  await page.getByTestId('support-closed').waitFor(within);
  violations.push(...(await shoot(page, 'support-closed')));

  await chooseLanguage(page, 'ar');
  await page.getByLabel(ar['support.message']).waitFor(within);
  violations.push(...(await shoot(page, 'support-ar')));
  expect(violations).toEqual([]);
}, 120_000);
