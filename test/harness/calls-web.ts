// Calls in a browser, as the end-to-end tests watch them: a user signed in at a viewport with every
// RTCPeerConnection and WebSocket of the page kept where the test can reach them (stats to read,
// a connection to drop), and what the page decodes read from getStats.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { userContext } from './browser.ts';
import { signInThrough } from './web.ts';

export const within = { timeout: 20_000 };
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

/**
 * Signed in on `baseUrl` at `viewport` with `username` and `password`, the page's peer connections
 * (`window.peerConnections`) and sockets (`window.sockets`) kept; the context goes in `contexts`.
 */
export async function signInWatched(
  browser: Browser,
  contexts: BrowserContext[],
  baseUrl: string,
  user: { username: string; password: string },
  viewport: { width: number; height: number },
): Promise<Page> {
  const context = await userContext(browser, { viewport });
  contexts.push(context);
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const made: RTCPeerConnection[] = [];
    Object.assign(window, { peerConnections: made });
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        made.push(this);
      }
    };
    const NativeSocket = window.WebSocket;
    const sockets: WebSocket[] = [];
    Object.assign(window, { sockets });
    window.WebSocket = class extends NativeSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  const page = await context.newPage();
  await signInThrough(page, baseUrl, user);
  return page;
}

/** What the page has decoded so far over all its open peer connections: video frames, audio energy. */
export function received(page: Page): Promise<{ frames: number; energy: number }> {
  return page.evaluate(async () => {
    let frames = 0;
    let energy = 0;
    for (const pc of (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((stat: { type: string; kind?: string; framesDecoded?: number; totalAudioEnergy?: number }) => {
        if (stat.type !== 'inbound-rtp') return;
        if (stat.kind === 'video') frames += stat.framesDecoded ?? 0;
        if (stat.kind === 'audio') energy += stat.totalAudioEnergy ?? 0;
      });
    }
    return { frames, energy };
  });
}

/** Waits until the page decodes more video frames and more audio than it had. */
export async function expectMediaFlowing(page: Page, options = within): Promise<void> {
  const before = await received(page);
  await expect
    .poll(async () => {
      const now = await received(page);
      return now.frames > before.frames && now.energy > before.energy && now.frames > 0 && now.energy > 0;
    }, options)
    .toBe(true);
}

/** How many peer connections the page has made so far. */
export const peerCount = (page: Page) =>
  page.evaluate(() => (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections.length);

/** Whether the first `count` peer connections the page made are all closed. */
export const closedUpTo = (page: Page, count: number) =>
  page.evaluate(
    (upTo) =>
      (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections
        .slice(0, upTo)
        .every((pc) => pc.connectionState === 'closed'),
    count,
  );
