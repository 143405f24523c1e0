// JSON request bodies, parsed strictly before any handler sees them: a size limit, UTF-8 that
// must be valid (a lenient decoder would silently turn bad bytes into U+FFFD and store them),
// JSON that must parse, no NUL character in any string or key (PostgreSQL text cannot hold one,
// so it would fail deep inside instead of here), and no key that shadows an Object.prototype
// method (`{"toString": []}` makes any later String(value) throw, Elysia's validation messages
// included). Each failure is its own typed error.
import { Elysia } from 'elysia';
import { BodyTooLargeError, InvalidInputError } from '../errors.ts';

export const JSON_BODY_LIMIT_BYTES = 64 * 1024;
/**
 * Routes whose JSON bodies a third party writes and may be larger: Chatwoot's webhook carries an
 * agent's answer twice (the message, and the conversation's last message), and Chatwoot takes
 * answers far beyond 64 KiB.
 */
const LARGER_JSON_BODIES: Record<string, number> = { '/webhooks/chatwoot': 1024 * 1024 };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const SHADOWING_KEYS = new Set([
  'toString',
  'valueOf',
  'toJSON',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'toLocaleString',
  'propertyIsEnumerable',
]);

/** The raw body, refused with BodyTooLargeError past `limit` bytes (declared or streamed). */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new BodyTooLargeError(limit);
  if (request.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The bytes of each JSON body as received, for the routes that check a signature over them (webhooks). */
const rawBodies = new WeakMap<Request, Uint8Array>();

/** The JSON body of `request` exactly as it came (empty when it had none or was not JSON). */
export function rawBodyOf(request: Request): Uint8Array {
  return rawBodies.get(request) ?? new Uint8Array();
}

async function parseJsonBody(request: Request, limit = JSON_BODY_LIMIT_BYTES): Promise<unknown> {
  const bytes = await readLimited(request, limit);
  rawBodies.set(request, bytes);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch (cause) {
    throw new InvalidInputError('the request body is not valid UTF-8', { code: 'INVALID_BODY', cause });
  }
  let hasNul = false;
  let shadowing: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, item: unknown) => {
      if (key.includes('\0') || (typeof item === 'string' && item.includes('\0'))) hasNul = true;
      if (SHADOWING_KEYS.has(key)) shadowing = key;
      return item;
    });
  } catch (cause) {
    throw new InvalidInputError('the request body is not valid JSON', { code: 'INVALID_BODY', cause });
  }
  if (hasNul) throw new InvalidInputError('text in the request body may not contain NUL characters', { code: 'INVALID_BODY' });
  if (shadowing !== undefined)
    throw new InvalidInputError(`the key ${JSON.stringify(shadowing)} is not allowed in a request body`, { code: 'INVALID_BODY' });
  return value;
}

/** The parsed body of an upload: nothing, the route reads the request itself. */
const UNREAD = '';

/** Takes over JSON parsing for every route of the app it is used in. */
export const strictJson = new Elysia({ name: 'strict-json' }).onParse({ as: 'global' }, async ({ request, contentType }) => {
  if (contentType === 'application/json' || contentType.endsWith('+json'))
    return parseJsonBody(request, LARGER_JSON_BODIES[new URL(request.url).pathname] ?? JSON_BODY_LIMIT_BYTES);
  // Uploads (chunks, multipart files) are read by their routes, with their own limits, as streams.
  if (contentType === 'application/octet-stream' || contentType.startsWith('multipart/form-data')) return UNREAD;
  return undefined;
});
