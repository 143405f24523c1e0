// The web client's speed as a phone on a slow network sees it (issue 18's budget): headless
// Chromium with the network throttled like a slow 4G (150 ms round trip, 1.6 Mb/s down, 750 kb/s
// up, through the DevTools protocol) and the CPU slowed 4x. For this commit's client and for the
// client before the app shell (BASELINE_COMMIT, built from git into a temporary folder), each
// served by its own node of one cluster with the same user and posts, in the same run:
//  - the home feed opened cold (a new browser context, nothing cached): Largest Contentful Paint,
//    and when the first post shows;
//  - a route change in the app: from the feed to Friends, until its heading shows.
// Budget: LCP under 2 s and route changes under 500 ms. Needs the services the tests use and
// Chromium (/usr/bin/chromium). `bun bench/web-speed.ts`
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { en } from '../client/src/i18n/messages/en.ts';
import { startAccountsEnv } from '../test/harness/accounts.ts';
import { launchBrowser, userContext } from '../test/harness/browser.ts';
import { befriend, join as joinAs } from '../test/harness/social.ts';
import { percentile, row } from './stats.ts';

/** The client before issue 18's shell. */
const BASELINE_COMMIT = '06094ff';
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 5);
const REPO = new URL('..', import.meta.url).pathname;
const BUDGET = { lcpMs: 2000, routeMs: 500 };

function buildBaseline(): string {
  const dir = join('/tmp', `petamigos-web-baseline-${BASELINE_COMMIT}`);
  const dist = join(dir, 'client', 'dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', [
    '-c',
    `git -C ${REPO} archive ${BASELINE_COMMIT} client protocol server package.json tsconfig.json | tar -x -C ${dir}`,
  ]);
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(
    join(REPO, 'node_modules/.bin/bun'),
    ['--bun', 'node_modules/.bin/vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'error'],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  return dist;
}

const baselineDist = buildBaseline();
const env = await startAccountsEnv('web-speed', { CLIENT_DIR: join(REPO, 'client/dist') });
const baselineNode = await env.peer('web-speed-baseline', { CLIENT_DIR: baselineDist });
const browser = await launchBrowser();

async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

interface Client {
  name: string;
  url: string;
  feedPath: string;
}

try {
  const ana = await env.register();
  const bruno = await env.register();
  await befriend(env.node, ana, bruno);
  const his = await joinAs(env, env.node, bruno);
  for (let i = 0; i < 12; i++) await his.call('posts.create', { text: `Walk number ${i} with Max in the park`, visibility: 'friends' });
  his.close();

  const measure = async (client: Client) => {
    const lcp: number[] = [];
    const firstPost: number[] = [];
    const route: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await userContext(browser, { viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      // Signed in without throttling; then a cold start of the feed (the cache emptied).
      await page.goto(`${client.url}/login`);
      await page.getByLabel(en['form.login']).fill(ana.username);
      await page.getByLabel(en['form.password']).fill(ana.password);
      await page.getByRole('button', { name: en['signIn.submit'] }).click();
      await page.waitForFunction(() => localStorage.getItem('petamigos.session') !== null);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await context
        .serviceWorkers()
        .at(0)
        ?.evaluate(() => caches.keys().then((keys) => Promise.all(keys.map((key) => caches.delete(key)))));
      await throttle(page);
      await page.goto(`${client.url}${client.feedPath}`, { waitUntil: 'commit' });
      await page.locator('article.post').first().waitFor({ timeout: 60_000 });
      firstPost.push(await page.evaluate(() => performance.now()));
      lcp.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              new PerformanceObserver((list) => resolve(list.getEntries().at(-1)?.startTime ?? Number.NaN)).observe({
                type: 'largest-contentful-paint',
                buffered: true,
              });
            }),
        ),
      );
      const started = Date.now();
      await page.getByRole('link', { name: en['nav.friends'], exact: true }).first().click();
      await page.getByRole('heading', { name: en['friends.title'] }).first().waitFor({ timeout: 30_000 });
      route.push(Date.now() - started);
      await context.close();
    }
    return { lcp: lcp.sort((a, b) => a - b), firstPost: firstPost.sort((a, b) => a - b), route: route.sort((a, b) => a - b) };
  };

  const now = await measure({ name: 'this commit', url: env.node.url, feedPath: '/' });
  const before = await measure({ name: `before the shell (${BASELINE_COMMIT})`, url: baselineNode.url, feedPath: '/feed' });
  const line = (label: string, mine: number[], theirs: number[], budget?: number) =>
    console.log(
      row(label, {
        'p50 ms': percentile(mine, 50),
        'worst ms': mine.at(-1) ?? Number.NaN,
        'baseline p50 ms': percentile(theirs, 50),
        ...(budget === undefined ? {} : { 'budget ms': budget, within: (mine.at(-1) ?? Number.POSITIVE_INFINITY) < budget ? 'yes' : 'NO' }),
      }),
    );
  console.log(`web-speed: ${RUNS} cold starts each, 390 px, slow 4G (150 ms RTT, 1.6 Mb/s down) and CPU 4x; baseline ${BASELINE_COMMIT}`);
  line('web: home feed LCP', now.lcp, before.lcp, BUDGET.lcpMs);
  line('web: first post shown', now.firstPost, before.firstPost);
  line('web: route change to Friends', now.route, before.route, BUDGET.routeMs);
} finally {
  await browser.close();
  await env.close();
}
