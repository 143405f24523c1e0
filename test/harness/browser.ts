// Headless Chromium (Debian's package) driven by playwright-core, for end-to-end tests of the
// web client against a real node: one browser per test file, one context per simulated user
// (its own storage, language and viewport), and screenshots kept as test artifacts.
import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const SCREENSHOTS = new URL('../../.test-results/screenshots/', import.meta.url).pathname;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A fake microphone and camera that need no permission prompt (voice notes).
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}

/** A user's browser: a phone-sized viewport unless told otherwise, in `locale`. */
export function userContext(
  browser: Browser,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  return browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.viewport ?? { width: 360, height: 740 } });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}
