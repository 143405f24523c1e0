// Security headers on every kind of response a node gives: API JSON, an API error, the web
// client's page and a hashed asset, a media file, a 404, the /ws refusal; HSTS only with an
// https APP_URL.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { memberPool } from '../../test/harness/social.ts';
import type { RunningNode } from '../node.ts';

type MediaItem = CallResponse<'media.get'>['items'][number];

let env: AccountsEnv;
let secure: RunningNode;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('headers');
  // No media role: the upload below lives in the first node's folder storage, so only it may process it.
  secure = await env.peer('https-node', { APP_URL: 'https://petamigos.example', ROLES: 'gateway,actors' });
  pool = memberPool(env);
}, 60_000);
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const asset = /src="(\/assets\/index-[^"]+\.js)"/.exec(readFileSync('client/dist/index.html', 'utf8'))?.[1] as string;

function expectSecurityHeaders(response: Response, what: string) {
  const csp = response.headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name as string, values];
    }),
  );
  expect(directives.get('default-src'), what).toEqual(["'self'"]);
  expect(directives.get('script-src'), what).toEqual(["'self'"]);
  expect(directives.get('object-src'), what).toEqual(["'none'"]);
  expect(directives.get('base-uri'), what).toEqual(["'none'"]);
  expect(directives.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(csp, what).not.toContain('unsafe-inline');
  expect(csp, what).not.toContain('unsafe-eval');
  expect(directives.get('connect-src'), what).toContain("'self'");
  expect(directives.get('img-src'), what).toEqual(expect.arrayContaining(["'self'", 'data:', 'blob:']));
  expect(directives.get('media-src'), what).toEqual(expect.arrayContaining(["'self'", 'blob:']));
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(response.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
  expect(response.headers.get('permissions-policy'), what).toBe('camera=(self), microphone=(self), geolocation=(self)');
  expect(response.headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
}

describe('security headers', () => {
  test('headers: API JSON, an API error, the app, a static asset, a media file, a 404 and the /ws refusal all carry them', async () => {
    const owner = await pool.member();
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c84' } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.set('kind', 'image');
    form.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'dot.png');
    const uploaded = await env
      .client()
      .request<{ media: MediaItem }>('POST', '/media', { raw: form, token: owner.user.tokens.accessToken });
    expect(uploaded.status).toBe(201);
    const done = (
      await owner.event(
        'media.changed',
        (body) => (body.media as MediaItem).id === uploaded.body.media.id && (body.media as MediaItem).status === 'ready',
        30_000,
      )
    ).media as MediaItem;
    const mediaUrl = done.urls?.['small.webp'] as string;

    const responses: [string, Response, number][] = [
      ['API JSON', await fetch(`${env.node.url}/health`), 200],
      [
        'API error',
        await fetch(`${env.node.url}/auth/login`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }),
        400,
      ],
      ['unauthenticated API call', await fetch(`${env.node.url}/auth/me`), 401],
      ['the app', await fetch(`${env.node.url}/`), 200],
      ['a client route', await fetch(`${env.node.url}/settings`), 200],
      ['a static asset', await fetch(`${env.node.url}${asset}`), 200],
      ['a media file', await fetch(`${env.node.url}${mediaUrl}`), 200],
      ['a 404', await fetch(`${env.node.url}/no/such/file.png`), 404],
      ['the /ws refusal', await fetch(`${env.node.url}/ws`), 426],
    ];
    for (const [what, response, status] of responses) {
      expect(response.status, what).toBe(status);
      expectSecurityHeaders(response, what);
      expect(response.headers.get('strict-transport-security'), what).toBeNull();
      await response.arrayBuffer();
    }
    expect((await fetch(`${env.node.url}${mediaUrl}`)).headers.get('content-type')).toBe('image/webp');
  }, 60_000);

  test('headers: the app allows its own WebSocket origin and no inline script or style', async () => {
    const response = await fetch(`${env.node.url}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' ws://app.petamigos.test");
    expect(csp).toContain("style-src 'self'");
    const html = await response.text();
    // Every script of the page is a file; an inline one would be refused by the policy.
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/assets\//.test(tag))).toBe(true);
    expect(html).not.toMatch(/<style\b|\sstyle="/);
  });

  test('headers: no page of the node loads a script from elsewhere: the OpenAPI document is JSON only', async () => {
    const document = await fetch(`${env.node.url}/openapi/json`);
    expect(document.headers.get('content-type')).toContain('application/json');
    expect(((await document.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    const page = await (await fetch(`${env.node.url}/openapi`)).text();
    expect(page).not.toMatch(/<script[^>]+src="https?:/);
  });

  test('headers: HSTS only when APP_URL is https, and then with wss: for the socket', async () => {
    for (const path of ['/health', '/', '/no/such/file.png']) {
      const response = await fetch(`${secure.url}${path}`);
      expectSecurityHeaders(response, path);
      expect(response.headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers.get('content-security-policy'), path).toContain('wss://petamigos.example');
      expect((await fetch(`${env.node.url}${path}`)).headers.get('strict-transport-security'), path).toBeNull();
    }
  });
});
