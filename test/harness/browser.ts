// Headless Chromium (Debian's package) driven by playwright-core, for end-to-end tests of the
// web client against a real node: one browser per test file, one context per simulated user
// (its own storage, language and viewport), and screenshots kept as test artifacts.
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core';

const SCREENSHOTS = new URL('../../.test-results/screenshots/', import.meta.url).pathname;

/** `cameras`: how many fake cameras the browser has (1 unless said). Chromium's second is a depth camera (Y16) that no video encoder takes; its third (MJPEG) sends like the first. */
export async function launchBrowser(options: { cameras?: number } = {}): Promise<Browser> {
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
      options.cameras === undefined
        ? '--use-fake-device-for-media-stream'
        : `--use-fake-device-for-media-stream=device-count=${options.cameras}`,
      '--use-fake-ui-for-media-stream',
    ],
  });
}

/** What the server's Content-Security-Policy refused, per context (Chromium logs each refusal). */
const refusals = new WeakMap<BrowserContext, string[]>();

/** A user's browser: a phone-sized viewport unless told otherwise, in `locale`. */
export async function userContext(
  browser: Browser,
  options: {
    locale?: string;
    viewport?: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
    timezoneId?: string;
    hasTouch?: boolean;
  } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
    ...(options.hasTouch === undefined ? {} : { hasTouch: options.hasTouch }),
    viewport: options.viewport ?? { width: 360, height: 740 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const refused: string[] = [];
  refusals.set(context, refused);
  context.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) refused.push(message.text());
  });
  return context;
}

/** Saves a screenshot, and fails when the page was refused anything by the Content-Security-Policy. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const refused = refusals.get(page.context()) ?? [];
  if (refused.length > 0) throw new Error(`the Content-Security-Policy refused: ${refused.join('\n')}`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The bundled emoji font's pieces load on first use: wait for them, not a blank.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** What axe (WCAG 2.1 A and AA) finds serious or critical on the page as it is, each prefixed with `where`. */
export async function audit(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${where}: ${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).join(' | ')}`);
}

/** The shell's connection state ('open', 'connecting', 'reconnecting', 'offline'; null signed out). */
export function connectionOf(page: Page): Promise<string | null> {
  return page.locator('.shell').getAttribute('data-connection');
}

/**
 * Picks the interface language in the settings, as a user would (through the navigation, whatever
 * language it is in), and goes back to the page it was on without reloading it.
 */
export async function chooseLanguage(page: Page, code: string): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.locator('a[href="/settings/appearance"]').click();
  await page.locator('#language').selectOption(code);
  await page.waitForFunction((expected) => document.documentElement.lang === expected, code);
  await page.goBack();
  await page.goBack();
}
