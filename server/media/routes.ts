// Uploads and reads of media over HTTP. A resumable upload: POST /media/uploads announces kind and
// size; PUT /media/uploads/:id?offset=N sends each chunk (8 MiB at most) from where the upload
// stands (GET /media/uploads/:id says where, after a dropped connection); POST …/complete
// starts processing; DELETE /media/uploads/:id gives up an unfinished one. On S3 the start also
// gives a presigned URL for one direct PUT of the whole file instead. POST /media takes a file of up to 20 MB as multipart form data in one request.
// GET /media/files/… serves the signed URLs that ready media carry.
import { Elysia } from 'elysia';
import { MEDIA_KINDS } from '../../media/detect.ts';
import { MediaItem } from '../../protocol/calls/media.ts';
import { MEDIA_LIMITS } from '../../protocol/lists.ts';
import type { AccountsDeps } from '../accounts/context.ts';
import { accountsGuard } from '../accounts/guard.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { readLimited } from '../http/body.ts';
import { answers, refusals } from '../http/openapi.ts';
import { t } from '../http/schema.ts';
import { missingAsUndefined, type ObjectStore } from '../platform/storage/index.ts';
import type { Media } from './media.ts';
import type { MediaUrls } from './urls.ts';

const MULTIPART_BYTES = MEDIA_LIMITS.image.bytes;
const Kind = t.Union(MEDIA_KINDS.map((kind) => t.Literal(kind)));
const Id = t.Object({ id: t.String({ format: 'uuid' }) });
const OneMedia = t.Object({ media: MediaItem });
const MiB = (bytes: number) => `${bytes / 1024 / 1024} MiB`;
/** The bytes each kind may have, for the documentation. */
const KIND_BYTES = MEDIA_KINDS.map((kind) => `${kind} ${MiB(MEDIA_LIMITS[kind].bytes)}`).join(', ');
/** What `complete` refuses a file for once all its bytes are there (media.ts). */
const CONTENT_REFUSALS = ['UNSUPPORTED_MEDIA', 'TOO_MANY_PIXELS', 'UPLOAD_INCOMPLETE'] as const;

export function mediaRoutes(
  deps: AccountsDeps,
  peerAddress: (request: Request) => string | undefined,
  media: Media,
  store: ObjectStore,
  urls: MediaUrls,
) {
  return new Elysia({ name: 'media-routes', prefix: '/media' })
    .get(
      '/files/*',
      async ({ params, set }) => {
        const key = urls.verify(params['*']);
        if (key === undefined) throw new NotFoundError('file (or its link expired)');
        const info = await store.stat(key).catch(missingAsUndefined);
        if (info === undefined) throw new NotFoundError('file');
        set.headers['cache-control'] = 'private, max-age=3600';
        // Playlists are served here on S3 too: their relative links must resolve to signed paths here.
        // So are blobs: the browser reads them with fetch, which a redirect to the bucket would
        // take across origins (needing CORS there).
        const direct = key.endsWith('.m3u8') || key.endsWith('/out/blob') ? undefined : await store.presign('GET', key, 3600);
        if (direct !== undefined) return Response.redirect(direct, 302);
        return new Response((await store.get(key)) as Uint8Array<ArrayBuffer>, {
          headers: { 'content-type': info.contentType, 'cache-control': 'private, max-age=3600' },
        });
      },
      {
        detail: {
          tags: ['media'],
          summary:
            'A file of a ready media, by the signed path in its `urls` (no Authorization: the path is the credential, for a few hours)',
          ...answers({
            200: { description: 'The file, with its content type', type: '*/*', schema: { type: 'string', format: 'binary' } },
            302: { description: 'On S3: to a presigned URL of the bucket (not for playlists and blobs)' },
          }),
          ...refusals({ 404: ['NOT_FOUND'] }),
        },
      },
    )
    .use(accountsGuard(deps, peerAddress))
    .post(
      '/uploads',
      async ({ body, principal, set }) => {
        const started = await media.start(principal.userId, body.kind, body.size);
        set.status = 201;
        return { ...started, uploadUrl: `/media/uploads/${started.media.id}` };
      },
      {
        role: 'user',
        body: t.Object({
          kind: Kind,
          size: t.Integer({ minimum: 1, maximum: MEDIA_LIMITS.video.bytes, description: `Bytes of the file: ${KIND_BYTES} at most` }),
        }),
        detail: {
          tags: ['media'],
          ...answers({
            201: {
              description: 'Started: send the bytes',
              schema: t.Object({
                media: MediaItem,
                chunkBytes: t.Integer({ description: 'The most bytes one PUT may carry' }),
                directUploadUrl: t.Union([t.String(), t.Null()], {
                  description: 'On S3: a presigned URL for one PUT of the whole file; null otherwise',
                }),
                uploadUrl: t.String({ description: 'Where the chunks go: PUT uploadUrl?offset=N' }),
              }),
            },
          }),
          summary: 'Start an upload (resumable, or direct to storage on S3)',
          description:
            "Counts against MEDIA_UPLOADS_PER_USER unfinished uploads (TOO_MANY_UPLOADS) and MEDIA_QUOTA_BYTES stored (QUOTA_EXCEEDED); a size over its kind's limit is TOO_LARGE.",
          ...refusals({ 400: ['TOO_LARGE'], 413: ['QUOTA_EXCEEDED'], 429: ['TOO_MANY_UPLOADS'] }),
        },
      },
    )
    .get('/uploads/:id', async ({ params, principal }) => ({ media: await media.status(principal.userId, params.id) }), {
      role: 'user',
      params: Id,
      detail: {
        tags: ['media'],
        summary: 'Where an upload stands (`received` bytes)',
        ...answers({ 200: { description: 'The media', schema: OneMedia } }),
        ...refusals({ 404: ['NOT_FOUND'] }),
      },
    })
    .put(
      '/uploads/:id',
      async ({ params, query, request, principal }) => {
        if (!(request.headers.get('content-type') ?? '').startsWith('application/octet-stream'))
          throw new InvalidInputError('send the chunk as application/octet-stream', { code: 'INVALID_BODY' });
        const bytes = await readLimited(request, MEDIA_LIMITS.chunkBytes);
        return media.append(principal.userId, params.id, query.offset, bytes);
      },
      {
        // The route reads the body itself, with its limit, whatever the type sent.
        parse: 'none',
        role: 'user',
        params: Id,
        query: t.Object({ offset: t.Integer({ minimum: 0, maximum: MEDIA_LIMITS.video.bytes }) }),
        detail: {
          tags: ['media'],
          ...answers({
            200: { description: 'Stored', schema: t.Object({ received: t.Integer({ description: 'Bytes of the upload stored so far' }) }) },
          }),
          summary: `Send the chunk that starts at \`offset\` (application/octet-stream, ≤ ${MiB(MEDIA_LIMITS.chunkBytes)})`,
          requestBody: {
            required: true,
            description: `The bytes from \`offset\`: 1 to ${MEDIA_LIMITS.chunkBytes} (the last chunk may be smaller), never past the size announced`,
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary', maxLength: MEDIA_LIMITS.chunkBytes } } },
          },
          ...refusals({
            400: ['INVALID_BODY', 'INVALID_INPUT', 'TOO_LARGE'],
            404: ['NOT_FOUND'],
            409: ['UPLOAD_FINISHED', 'OFFSET_MISMATCH'],
            413: ['BODY_TOO_LARGE'],
          }),
        },
      },
    )
    .delete(
      '/uploads/:id',
      async ({ params, principal, set }) => {
        await media.cancel(principal.userId, params.id);
        set.status = 204;
      },
      {
        role: 'user',
        params: Id,
        detail: {
          tags: ['media'],
          summary: 'Give up an unfinished upload (its chunks are removed)',
          ...answers({ 204: { description: 'Given up; nothing of it is kept' } }),
          ...refusals({ 404: ['NOT_FOUND'], 409: ['UPLOAD_FINISHED'] }),
        },
      },
    )
    .post('/uploads/:id/complete', async ({ params, principal }) => ({ media: await media.complete(principal.userId, params.id) }), {
      role: 'user',
      params: Id,
      detail: {
        tags: ['media'],
        summary: 'All bytes sent: check the content and start processing',
        ...answers({ 200: { description: 'The media, processing (or ready: blobs are stored as they came)', schema: OneMedia } }),
        description:
          'What the file is comes from its bytes; one that is not of its kind, or an image over MEDIA_IMAGE_MAX_PIXELS, is refused and removed. At most MEDIA_JOBS_PER_USER media of a user process at once (TOO_MANY_UPLOADS).',
        ...refusals({ 400: CONTENT_REFUSALS, 404: ['NOT_FOUND'], 409: ['UPLOAD_INCOMPLETE'], 429: ['TOO_MANY_UPLOADS'] }),
      },
    })
    .post(
      '/',
      async ({ request, principal, set }) => {
        const type = request.headers.get('content-type') ?? '';
        if (!type.startsWith('multipart/form-data'))
          throw new InvalidInputError('send multipart/form-data with kind and file', { field: 'file' });
        const form = await new Response((await readLimited(request, MULTIPART_BYTES + 64 * 1024)) as Uint8Array<ArrayBuffer>, {
          headers: { 'content-type': type },
        })
          .formData()
          .catch((cause: unknown) => {
            throw new InvalidInputError('the form data cannot be read', { field: 'file', cause });
          });
        const kind = form.get('kind');
        const file = form.get('file');
        if (typeof kind !== 'string' || !(MEDIA_KINDS as readonly string[]).includes(kind))
          throw new InvalidInputError('kind is image, video, voice, reel or blob', { field: 'kind' });
        if (!(file instanceof Blob) || file.size === 0) throw new InvalidInputError('file is missing', { field: 'file' });
        const uploaded = await media.uploadWhole(
          principal.userId,
          kind as (typeof MEDIA_KINDS)[number],
          new Uint8Array(await file.arrayBuffer()),
        );
        set.status = 201;
        return { media: uploaded };
      },
      {
        parse: 'none',
        role: 'user',
        detail: {
          tags: ['media'],
          ...answers({ 201: { description: 'The media, processing', schema: OneMedia } }),
          summary: `Upload a file of up to ${MiB(MULTIPART_BYTES)} in one request (multipart)`,
          requestBody: {
            required: true,
            description: `Two parts; the whole request at most ${MULTIPART_BYTES + 64 * 1024} bytes (BODY_TOO_LARGE). Larger files use the resumable upload.`,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['kind', 'file'],
                  properties: {
                    kind: { type: 'string', enum: [...MEDIA_KINDS], description: 'What the file is meant to be; its bytes must agree' },
                    file: {
                      type: 'string',
                      format: 'binary',
                      description: `The file, 1 to ${MULTIPART_BYTES} bytes (and at most its kind's limit: ${KIND_BYTES})`,
                    },
                  },
                },
                encoding: { file: { contentType: 'application/octet-stream, image/*, video/*, audio/*' } },
              },
            },
          },
          ...refusals({
            400: ['INVALID_INPUT', 'TOO_LARGE', ...CONTENT_REFUSALS],
            413: ['BODY_TOO_LARGE', 'QUOTA_EXCEEDED'],
            429: ['TOO_MANY_UPLOADS'],
          }),
        },
      },
    );
}
