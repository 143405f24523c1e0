// Uploads and reads of media over HTTP. A resumable upload: POST /media/uploads announces kind and
// size; PUT /media/uploads/:id?offset=N sends each chunk (8 MiB at most) from where the upload
// stands (GET /media/uploads/:id says where, after a dropped connection); POST …/complete
// starts processing; DELETE /media/uploads/:id gives up an unfinished one. On S3 the start also
// gives a presigned URL for one direct PUT of the whole file instead. POST /media takes a file of up to 20 MB as multipart form data in one request.
// GET /media/files/… serves the signed URLs that ready media carry.
import { Elysia } from 'elysia';
import { MEDIA_KINDS } from '../../media/detect.ts';
import { MEDIA_LIMITS } from '../../protocol/lists.ts';
import type { AccountsDeps } from '../accounts/context.ts';
import { accountsGuard } from '../accounts/guard.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { readLimited } from '../http/body.ts';
import { t } from '../http/schema.ts';
import { missingAsUndefined, type ObjectStore } from '../platform/storage/index.ts';
import type { Media } from './media.ts';
import type { MediaUrls } from './urls.ts';

const MULTIPART_BYTES = MEDIA_LIMITS.image.bytes;
const Kind = t.Union(MEDIA_KINDS.map((kind) => t.Literal(kind)));
const Id = t.Object({ id: t.String({ format: 'uuid' }) });

export function mediaRoutes(
  deps: AccountsDeps,
  peerAddress: (request: Request) => string | undefined,
  media: Media,
  store: ObjectStore,
  urls: MediaUrls,
) {
  return new Elysia({ name: 'media-routes', prefix: '/media' })
    .get('/files/*', async ({ params, set }) => {
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
    })
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
        body: t.Object({ kind: Kind, size: t.Integer({ minimum: 1, maximum: MEDIA_LIMITS.video.bytes }) }),
        detail: { tags: ['media'], summary: 'Start an upload (resumable, or direct to storage on S3)' },
      },
    )
    .get('/uploads/:id', async ({ params, principal }) => ({ media: await media.status(principal.userId, params.id) }), {
      role: 'user',
      params: Id,
      detail: { tags: ['media'], summary: 'Where an upload stands (`received` bytes)' },
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
        detail: { tags: ['media'], summary: 'Send the chunk that starts at `offset` (application/octet-stream, ≤ 8 MiB)' },
      },
    )
    .delete(
      '/uploads/:id',
      async ({ params, principal, set }) => {
        await media.cancel(principal.userId, params.id);
        set.status = 204;
      },
      { role: 'user', params: Id, detail: { tags: ['media'], summary: 'Give up an unfinished upload (its chunks are removed)' } },
    )
    .post('/uploads/:id/complete', async ({ params, principal }) => ({ media: await media.complete(principal.userId, params.id) }), {
      role: 'user',
      params: Id,
      detail: { tags: ['media'], summary: 'All bytes sent: check the content and start processing' },
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
      { parse: 'none', role: 'user', detail: { tags: ['media'], summary: 'Upload a file of up to 20 MB in one request (multipart)' } },
    );
}
