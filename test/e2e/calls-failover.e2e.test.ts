// A video call in two browsers while the node carrying its router dies: three node processes on
// the real services, the browsers' sockets on one without the SFU role (so the call, placed on the
// least-loaded SFU node, is on one of the two others), and that node killed with SIGKILL mid-call.
// The call goes on without anyone doing anything: once the nodes that stay miss three of the dead
// node's heartbeats (3 s) they fence it, the call is activated on the other SFU node at once
// (the default lease TTL, 10 s, is not waited out), both browsers close their dead transports,
// negotiate new ones with the new router and decode each other's video and audio again. How long
// that took is printed (the 5 s goal is a figure, not a test threshold).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, screenshot } from '../harness/browser.ts';
import { closedUpTo, DESKTOP, expectMediaFlowing, PHONE, peerCount, received, signInWatched, within } from '../harness/calls-web.ts';
import { befriend, type Cluster, client, holderOf, register, startCluster } from '../harness/cluster.ts';
import type { NodeProcess } from '../harness/processes.ts';

let cluster: Cluster;
let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  [cluster, browser] = await Promise.all([
    startCluster(
      3,
      {
        CLIENT_DIR: new URL('../../client/dist', import.meta.url).pathname,
        AUTH_JWT_KEYS: `k1:${'calls-failover-key-'.repeat(3)}`,
      },
      // n0 serves the browsers and runs no SFU: the call's router is on n1 or n2.
      { nodeEnv: (index): Record<string, string> => (index === 0 ? { ROLES: 'gateway,actors,media' } : {}) },
    ),
    launchBrowser(),
  ]);
}, 90_000);
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await cluster?.stop();
});

/** Whether the page decodes video and audio over peer connections made after the first `count`. */
async function decodingOnNew(page: Page, count: number): Promise<boolean> {
  if ((await peerCount(page)) <= count || !(await closedUpTo(page, count))) return false;
  const first = await received(page);
  await Bun.sleep(300);
  const then = await received(page);
  return then.frames > first.frames && then.energy > first.energy;
}

test('e2e calls failover: the node holding a call’s router is SIGKILLed mid-call; both browsers get media again through a router on another node, without doing anything', async () => {
  const [gateway] = cluster.nodes as [NodeProcess];
  const [ana, bruno] = await Promise.all([register(gateway), register(gateway)]);
  await befriend(gateway, ana, bruno);
  const watcher = client(gateway, ana.token, { repeatWithinMs: false });
  await watcher.connect();
  const { conversationId } = await watcher.call('chats.send', { to: bruno.id, clientId: crypto.randomUUID(), text: '¿Video?' });

  const a = await signInWatched(browser, contexts, gateway.url, ana, DESKTOP);
  const b = await signInWatched(browser, contexts, gateway.url, bruno, PHONE);
  await a.goto(`${gateway.url}/chats/${conversationId}`);
  await a.getByTestId('call-video').click();
  await b.getByTestId('incoming-call').waitFor(within);
  await b.getByTestId('call-accept').click();
  await b.getByTestId('call-screen').waitFor(within);
  await Promise.all([expectMediaFlowing(a), expectMediaFlowing(b)]);

  const [call] = (await watcher.call('calls.history', { limit: 1 })).items;
  const callId = call?.id as string;
  const before = await watcher.call('calls.get', { callId });
  const host = await holderOf(cluster, `call.${callId}`);
  expect(['n1', 'n2']).toContain(host);
  const victim = cluster.nodes[Number(host?.slice(1))] as NodeProcess;
  const made = { a: await peerCount(a), b: await peerCount(b) };

  const killedAt = Date.now();
  await victim.stop('SIGKILL');
  await expect
    .poll(async () => (await decodingOnNew(a, made.a)) && (await decodingOnNew(b, made.b)), { timeout: 30_000, interval: 100 })
    .toBe(true);
  const backAfterMs = Date.now() - killedAt;
  process.stderr.write(`calls failover: both browsers decode again ${backAfterMs} ms after the SIGKILL\n`);

  // Nobody left the call; it is on a new router of the node that stayed.
  for (const page of [a, b]) expect(await page.getByTestId('call-screen').count()).toBe(1);
  const after = await watcher.call('calls.get', { callId });
  expect(after.state).toBe('active');
  expect(after.participants.map((p) => p.state)).toEqual(['joined', 'joined']);
  expect(after.media?.epoch).toBeDefined();
  expect(after.media?.epoch).not.toBe(before.media?.epoch);
  expect(await holderOf(cluster, `call.${callId}`)).toBe(host === 'n1' ? 'n2' : 'n1');
  await screenshot(a, 'calls-failover-1366');
  await screenshot(b, 'calls-failover-390');

  await a.getByTestId('call-hang-up').click();
  await b.getByTestId('call-screen').waitFor({ state: 'detached', ...within });
  watcher.close();
}, 150_000);
