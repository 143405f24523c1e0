// The client library's own repeat of calls after a failover (PROTOCOL.md, "Failover and retries"),
// against a stand-in server that answers each call with scripted errors before its reply: reads,
// repeatable calls and keyed creates with their clientId are repeated after the pause the server
// asks for; an unsafe call, a keyed create without its key and a refusal surface at once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PetAmigosClient, type ProtocolError } from './client.ts';
import { decodeFrame, encodeFrame } from './codec.ts';

/** Per op: the error codes to answer, in order, before replying `{ ok: true }`. */
const script = new Map<string, string[]>();
const seen: { op: string; at: number }[] = [];
/** While set, new connections are refused (a node that went away). */
let refusing = false;
let server: { readonly port: number | undefined; stop(closeActiveConnections?: boolean): unknown };

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    fetch: (request, bun) => (!refusing && bun.upgrade(request) ? undefined : new Response('no', { status: 503 })),
    websocket: {
      message(ws, data) {
        const frame = decodeFrame(data as Uint8Array) as { type: string; ref?: number; op?: string };
        if (frame.type === 'hello') {
          ws.send(
            encodeFrame({
              type: 'welcome',
              version: 1,
              socketId: 's-1',
              userId: 'u',
              sessionId: 's',
              node: 'n',
              heartbeatMs: 30_000,
              tokenExpiresAt: Date.now() + 900_000,
              serverTime: Date.now(),
              limits: { callTimeoutMs: 2000 },
            }),
          );
          return;
        }
        if (frame.type !== 'call') return;
        const op = frame.op as string;
        seen.push({ op, at: Date.now() });
        if (op === 'chats.pins') {
          // A server hint no client should follow as it is.
          ws.send(encodeFrame({ type: 'error', ref: frame.ref, code: 'ACTOR_UNAVAILABLE', message: 'x', details: { retryAfterMs: -1 } }));
          return;
        }
        if (op === 'session.get') {
          refusing = true;
          ws.close(1001, 'going away');
          return;
        }
        const code = script.get(op)?.shift();
        if (code === undefined) ws.send(encodeFrame({ type: 'reply', ref: frame.ref, body: { ok: true } }));
        else ws.send(encodeFrame({ type: 'error', ref: frame.ref, code, message: code, details: { retryAfterMs: 40 } }));
      },
    },
  });
});
afterAll(() => {
  server.stop(true);
});

async function connected(options: { repeatWithinMs?: number | false; reconnect?: { initialMs: number; maxMs: number } } = {}) {
  const client = new PetAmigosClient({ url: `ws://localhost:${server.port}/ws`, token: () => 't', reconnect: false, ...options });
  await client.connect();
  return client;
}

const attempts = (op: string) => seen.filter((call) => call.op === op);

test('client repeat: a read and a repeatable call are repeated after ACTOR_UNAVAILABLE, each after retryAfterMs', async () => {
  const client = await connected();
  script.set('presence.get', ['ACTOR_UNAVAILABLE', 'ACTOR_UNAVAILABLE']);
  script.set('presence.setStatus', ['ACTOR_UNAVAILABLE', 'TIMEOUT']);
  expect(await client.call('presence.get', { userId: crypto.randomUUID() })).toEqual({ ok: true });
  expect(await client.call('presence.setStatus', { text: 'Napping' })).toEqual({ ok: true });
  const reads = attempts('presence.get');
  expect(reads).toHaveLength(3);
  for (let i = 1; i < reads.length; i++) expect((reads[i]?.at as number) - (reads[i - 1]?.at as number)).toBeGreaterThanOrEqual(35);
  expect(attempts('presence.setStatus')).toHaveLength(3);
  client.close();
});

test('client repeat: a keyed create is repeated only with its clientId; an unsafe call and a refusal surface at once; MAILBOX_FULL is always repeated', async () => {
  const client = await connected();
  const clientId = crypto.randomUUID();
  script.set('posts.create', ['ACTOR_UNAVAILABLE', 'ACTOR_UNAVAILABLE']);
  expect(await client.call('posts.create', { text: 'hola', visibility: 'public', clientId })).toEqual({ ok: true });
  expect(attempts('posts.create')).toHaveLength(3);

  script.set('posts.create', ['ACTOR_UNAVAILABLE']);
  const unkeyed = await client.call('posts.create', { text: 'hola', visibility: 'public' }).catch((error: ProtocolError) => error);
  expect((unkeyed as ProtocolError).code).toBe('ACTOR_UNAVAILABLE');
  expect(attempts('posts.create')).toHaveLength(4);

  script.set('system.announce', ['ACTOR_UNAVAILABLE']);
  const announce = await client.call('system.announce', { text: 'x', level: 'info' }).catch((error: ProtocolError) => error);
  expect((announce as ProtocolError).code).toBe('ACTOR_UNAVAILABLE');
  expect(attempts('system.announce')).toHaveLength(1);

  script.set('friends.accept', ['NOT_FOUND']);
  const refused = await client.call('friends.accept', { userId: crypto.randomUUID() }).catch((error: ProtocolError) => error);
  expect((refused as ProtocolError).code).toBe('NOT_FOUND');
  expect(attempts('friends.accept')).toHaveLength(1);

  script.set('system.announce', ['MAILBOX_FULL']);
  expect(await client.call('system.announce', { text: 'x', level: 'info' })).toEqual({ ok: true });
  client.close();
});

test('client repeat: it gives up at repeatWithinMs with the last error, and repeatWithinMs false never repeats', async () => {
  const patient = await connected({ repeatWithinMs: 150 });
  script.set(
    'chats.list',
    Array.from({ length: 50 }, () => 'ACTOR_UNAVAILABLE'),
  );
  const before = attempts('chats.list').length;
  const failed = await patient.call('chats.list', {}).catch((error: ProtocolError) => error);
  expect((failed as ProtocolError).code).toBe('ACTOR_UNAVAILABLE');
  const made = attempts('chats.list').length - before;
  expect(made).toBeGreaterThan(1);
  expect(made).toBeLessThan(6);
  patient.close();

  const strict = await connected({ repeatWithinMs: false });
  const once = attempts('chats.list').length;
  await strict.call('chats.list', {}).catch((error: ProtocolError) => error);
  expect(attempts('chats.list').length - once).toBe(1);
  strict.close();
  script.clear();
});

test('client repeat: after a dropped socket a read waits for the reconnection only until repeatWithinMs, then fails DISCONNECTED', async () => {
  const client = await connected({ repeatWithinMs: 400, reconnect: { initialMs: 50, maxMs: 100 } });
  const started = Date.now();
  const failed = await client.call('session.get', {}).catch((error: ProtocolError) => error);
  expect((failed as ProtocolError).code).toBe('DISCONNECTED');
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  expect(attempts('session.get')).toHaveLength(1);
  client.close();
  refusing = false;
});

test('client repeat: a nonsensical retryAfterMs is bounded: the client neither spins nor repeats past repeatWithinMs', async () => {
  const client = await connected({ repeatWithinMs: 200 });
  const failed = await client.call('chats.pins', { conversationId: crypto.randomUUID() }).catch((error: ProtocolError) => error);
  expect((failed as ProtocolError).code).toBe('ACTOR_UNAVAILABLE');
  // At least 10 ms between repeats: at most about 20 in 200 ms, not thousands.
  expect(attempts('chats.pins').length).toBeGreaterThan(1);
  expect(attempts('chats.pins').length).toBeLessThanOrEqual(21);
  client.close();
});
