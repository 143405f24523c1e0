// Media from the first byte to the renditions. An upload announces its kind and size; its bytes
// arrive in chunks at increasing offsets (resumable: the server says how much it has), or in one
// direct PUT to object storage; when all are there, the first bytes decide what it is (an image
// is also decoded in full at once), and a job makes the renditions (media/worker.ts). The owner's
// sessions hear every step as `media.changed` on `user:<id>`. Nothing is stored for a file refused.
// Per user, at most `uploadsPerUser` uploads are unfinished and `jobsPerUser` processing at once,
// and what is stored stays within `quotaBytes`; the checks and the change they allow run under a
// per-user lock, so parallel requests cannot pass a limit together. What a user stores is a counter
// (`media_usage`) changed in the same transaction as every media row change that changes it.
import { and, desc, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Composition } from '../../media/compose.ts';
import { type Detected, detect, type MediaKind, SNIFF_BYTES } from '../../media/detect.ts';
import { TooManyPixelsError } from '../../media/errors.ts';
import { probeImage } from '../../media/images.ts';
import type { JobQueue } from '../../media/queue.ts';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { MEDIA_LIMITS } from '../../protocol/lists.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import { decodeCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import { anyOf } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Logger } from '../platform/log.ts';
import { missingAsUndefined, type ObjectStore } from '../platform/storage/index.ts';
import { MediaInUseError, type MediaUse, QuotaExceededError, TooManyUploadsError, UnsupportedMediaError } from './errors.ts';
import { media, mediaUsage } from './schema.ts';
import type { MediaUrls } from './urls.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export type MediaRow = typeof media.$inferSelect;
/** SQL true when something `viewerId` may see shows the media `mediaId` (an SQL expression). */
export type ShowsMedia = (viewerId: string, mediaId: SQL) => SQL;
/** SQL true when something, seen by anyone, shows the media `mediaId` (an SQL expression). */
export type UsesMedia = (mediaId: SQL) => SQL;
export type MediaView = CallResponse<'media.get'>['items'][number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The failure of a media being deleted (its objects are going; the row goes next). */
const DELETED = 'deleted';

export const mediaFolder = (row: Pick<MediaRow, 'ownerId' | 'id'>) => `media/${row.ownerId}/${row.id}/`;

interface UploadLimits {
  /** Images whose header announces more pixels are refused before decoding. */
  imageMaxPixels: number;
  /** Uploads started and not completed, per user. */
  uploadsPerUser: number;
  /** Media processing at once, per user. */
  jobsPerUser: number;
  /** Bytes of stored media per user. */
  quotaBytes: number;
}

/** Bytes a media row holds in storage: its renditions once ready, its original until then, nothing once failed. */
export function storedBytesOf(row: Pick<MediaRow, 'status' | 'size' | 'files'>): number {
  if (row.status === 'ready') return row.files.reduce((sum, file) => sum + file.bytes, 0);
  return row.status === 'uploading' || row.status === 'processing' ? row.size : 0;
}

/** The same, summed over rows in SQL: what a user's `media_usage` starts from. */
const storedBytes = sql<number>`coalesce(sum(case
  when ${media.status} = 'ready' then (select coalesce(sum((file->>'bytes')::bigint), 0) from jsonb_array_elements(${media.files}) as file)
  when ${media.status} in ('uploading', 'processing') then ${media.size}
  else 0 end), 0)`.mapWith(Number);

/** Why a media failed: words for the log and older clients, a code and numbers for clients to word. */
export interface Failure {
  reason: string;
  code: string;
  details?: Record<string, number | string>;
}

export interface MediaDeps {
  db: Database;
  store: ObjectStore;
  queue: JobQueue;
  /** Tells the owner's sessions (through their user actor) that a media moved on. */
  announce(ownerId: string, media: MediaView): void;
  log: Logger;
  urls: MediaUrls;
  limits: UploadLimits;
}

/** Is what was found acceptable for the kind announced? Voice notes come in WebM or MP4 containers
 * too; a reel is a video. */
function accepts(kind: MediaKind, found: Detected): boolean {
  if (found.kind === kind || (kind === 'reel' && found.kind === 'video')) return true;
  return kind === 'voice' && (found.format === 'webm' || found.format === 'mp4');
}

export class Media {
  readonly #deps: MediaDeps;
  readonly #shows: ShowsMedia[] = [];
  readonly #uses: { use: MediaUse; rule: UsesMedia }[] = [];
  constructor(deps: MediaDeps) {
    this.#deps = deps;
  }

  async #own(ownerId: string, mediaId: string): Promise<MediaRow> {
    const [row] = await this.#deps.db
      .select()
      .from(media)
      .where(and(eq(media.id, mediaId), eq(media.ownerId, ownerId)));
    if (row === undefined) throw new NotFoundError('media');
    return row;
  }

  async view(row: MediaRow): Promise<MediaView> {
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      progress: row.progress,
      failure: row.failure,
      failureCode: row.failureCode,
      failureDetails: row.failureDetails,
      size: row.size,
      received: row.received,
      width: row.width,
      height: row.height,
      durationMs: row.durationMs,
      preview: row.preview,
      waveform: row.waveform,
      urls: row.status === 'ready' ? this.#deps.urls.of(row) : null,
      createdAt: row.createdAt.toISOString(),
    };
  }

  async #changed(row: MediaRow): Promise<void> {
    this.#deps.announce(row.ownerId, await this.view(row));
  }

  /**
   * Changes one media row, and its owner's stored bytes by as much as the change moves them, in
   * one transaction (`tx`'s when given). `change` sees the row locked; undefined leaves it as it is.
   * Undefined when there is no such row.
   */
  async #rewrite(id: string, change: (row: MediaRow) => Partial<MediaRow> | undefined, tx?: Tx): Promise<MediaRow | undefined> {
    const run = async (tx: Tx) => {
      const [old] = await tx.select().from(media).where(eq(media.id, id)).for('update');
      if (old === undefined) return undefined;
      const set = change(old);
      if (set === undefined) return old;
      await this.#ensureUsage(tx, old.ownerId);
      const [row] = await tx
        .update(media)
        .set({ ...set, updatedAt: new Date() })
        .where(eq(media.id, id))
        .returning();
      await this.#addUsage(tx, old.ownerId, storedBytesOf(row as MediaRow) - storedBytesOf(old));
      return row;
    };
    return tx === undefined ? this.#deps.db.transaction(run) : run(tx);
  }

  /**
   * Creates the owner's usage counter from the sum of their rows, if they have none yet. Called in
   * a transaction before it changes a row of theirs: a counter another transaction creates first
   * makes this one wait for it and then do nothing, so no change is counted twice or missed.
   */
  async #ensureUsage(tx: Tx | Database, ownerId: string): Promise<void> {
    // A counter, once made, stays: look it up by key before paying for the sum of every row.
    const [exists] = await tx.select({ ownerId: mediaUsage.ownerId }).from(mediaUsage).where(eq(mediaUsage.ownerId, ownerId));
    if (exists !== undefined) return;
    await tx
      .insert(mediaUsage)
      .select(
        tx
          .select({ ownerId: sql`${ownerId}::uuid`.as('owner_id'), storedBytes: sql`${storedBytes}`.as('stored_bytes') })
          .from(media)
          .where(eq(media.ownerId, ownerId)),
      )
      .onConflictDoNothing();
  }

  async #addUsage(tx: Tx, ownerId: string, delta: number): Promise<void> {
    if (delta === 0) return;
    await tx
      .update(mediaUsage)
      .set({ storedBytes: sql`${mediaUsage.storedBytes} + ${delta}` })
      .where(eq(mediaUsage.ownerId, ownerId));
  }

  /** Runs `work` holding the owner's media lock (a transaction-scoped advisory lock). */
  #locked<T>(ownerId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#deps.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`media:${ownerId}`}, 0))`);
      return work(tx);
    });
  }

  /** Bytes of the user's stored media, and their quota. */
  async quota(ownerId: string, db: Database | Tx = this.#deps.db): Promise<{ usedBytes: number; quotaBytes: number }> {
    const read = () => db.select({ used: mediaUsage.storedBytes }).from(mediaUsage).where(eq(mediaUsage.ownerId, ownerId));
    let [row] = await read();
    if (row === undefined) {
      await this.#ensureUsage(db, ownerId);
      [row] = await read();
    }
    return { usedBytes: row?.used ?? 0, quotaBytes: this.#deps.limits.quotaBytes };
  }

  /** Starts an upload: the media id, and (on S3) a URL for one direct PUT of the whole file. */
  async start(ownerId: string, kind: MediaKind, size: number) {
    const limit = MEDIA_LIMITS[kind].bytes;
    if (size > limit) throw new InvalidInputError(`a ${kind} is at most ${limit} bytes`, { field: 'size', code: 'TOO_LARGE' });
    const { uploadsPerUser } = this.#deps.limits;
    const created = await this.#locked(ownerId, async (tx) => {
      const [unfinished] = await tx
        .select({ count: sql<number>`count(*)`.mapWith(Number) })
        .from(media)
        .where(and(eq(media.ownerId, ownerId), eq(media.status, 'uploading')));
      if ((unfinished?.count ?? 0) >= uploadsPerUser) throw new TooManyUploadsError('uploading', uploadsPerUser);
      const { usedBytes, quotaBytes } = await this.quota(ownerId, tx);
      if (usedBytes + size > quotaBytes) throw new QuotaExceededError(usedBytes, quotaBytes, size);
      const now = new Date();
      const [row] = await tx
        .insert(media)
        .values({ id: Bun.randomUUIDv7(), ownerId, kind, status: 'uploading', size, createdAt: now, updatedAt: now })
        .returning();
      await this.#addUsage(tx, ownerId, size);
      return row as MediaRow;
    });
    const direct = await this.#deps.store.presign('PUT', `${mediaFolder(created)}upload/original`, 3600);
    return { media: await this.view(created), chunkBytes: MEDIA_LIMITS.chunkBytes, directUploadUrl: direct ?? null };
  }

  /**
   * A whole file at once (POST /media): started, stored in chunks, completed. Whatever fails before
   * processing begins leaves nothing stored (a refused file is removed by `complete` itself).
   */
  async uploadWhole(ownerId: string, kind: MediaKind, bytes: Uint8Array): Promise<MediaView> {
    const { media: started } = await this.start(ownerId, kind, bytes.byteLength);
    try {
      for (let offset = 0; offset < bytes.byteLength; offset += MEDIA_LIMITS.chunkBytes)
        await this.append(ownerId, started.id, offset, bytes.subarray(offset, offset + MEDIA_LIMITS.chunkBytes));
      return await this.complete(ownerId, started.id, bytes);
    } catch (error) {
      const row = await this.load(started.id);
      if (row?.status === 'uploading') await this.#discard(row);
      throw error;
    }
  }

  /**
   * A media the server makes from others (reels.compose): processing at once, its job queued,
   * within the limits of uploads (media processing at once, the storage quota, where it counts as
   * `estimateBytes` until its renditions are stored). The same `clientId` gives the same media.
   */
  async derive(ownerId: string, recipe: Composition, estimateBytes: number, clientId: string | undefined): Promise<MediaView> {
    const { jobsPerUser } = this.#deps.limits;
    const { row, fresh } = await this.#locked(ownerId, async (tx) => {
      const [existing] =
        clientId === undefined
          ? []
          : await tx
              .select()
              .from(media)
              .where(and(eq(media.ownerId, ownerId), eq(media.clientId, clientId)));
      if (existing !== undefined) return { row: existing, fresh: false };
      const [processing] = await tx
        .select({ count: sql<number>`count(*)`.mapWith(Number) })
        .from(media)
        .where(and(eq(media.ownerId, ownerId), eq(media.status, 'processing')));
      if ((processing?.count ?? 0) >= jobsPerUser) throw new TooManyUploadsError('processing', jobsPerUser);
      const { usedBytes, quotaBytes } = await this.quota(ownerId, tx);
      if (usedBytes + estimateBytes > quotaBytes) throw new QuotaExceededError(usedBytes, quotaBytes, estimateBytes);
      const now = new Date();
      const [created] = await tx
        .insert(media)
        .values({
          id: Bun.randomUUIDv7(),
          ownerId,
          kind: 'reel',
          status: 'processing',
          size: estimateBytes,
          received: estimateBytes,
          recipe,
          clientId: clientId ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await this.#addUsage(tx, ownerId, estimateBytes);
      return { row: created as MediaRow, fresh: true };
    });
    if (fresh) await this.#changed(row);
    // Made before, but no worker has started on it (the node died before queueing): queue it again.
    if (fresh || (row.status === 'processing' && row.attempts === 0)) await this.#deps.queue.enqueue({ mediaId: row.id });
    return this.view(row);
  }

  /** Stores the chunk starting at `offset`, which must be where the upload stands. */
  async append(ownerId: string, mediaId: string, offset: number, bytes: Uint8Array): Promise<{ received: number }> {
    const row = await this.#own(ownerId, mediaId);
    if (row.status !== 'uploading') throw new ConflictError('UPLOAD_FINISHED', 'this upload is complete');
    if (offset !== row.received)
      throw new ConflictError('OFFSET_MISMATCH', `the upload stands at ${row.received} bytes; send from there`, 'offset');
    if (bytes.byteLength === 0 || bytes.byteLength > MEDIA_LIMITS.chunkBytes)
      throw new InvalidInputError(`a chunk is 1 to ${MEDIA_LIMITS.chunkBytes} bytes`, { field: 'body' });
    if (offset + bytes.byteLength > row.size)
      throw new InvalidInputError('more bytes than announced', { field: 'body', code: 'TOO_LARGE' });
    const key = `${mediaFolder(row)}upload/part-${String(offset).padStart(12, '0')}-${crypto.randomUUID().slice(0, 8)}`;
    await this.#deps.store.put(key, bytes, { contentType: 'application/octet-stream' });
    // Two chunks for the same offset: the first to record itself wins; the other's bytes go.
    const [updated] = await this.#deps.db
      .update(media)
      .set({ received: offset + bytes.byteLength, parts: sql`${media.parts} || ${JSON.stringify([key])}::jsonb`, updatedAt: new Date() })
      .where(and(eq(media.id, mediaId), eq(media.received, offset), eq(media.status, 'uploading')))
      .returning({ received: media.received });
    if (updated === undefined) {
      await this.#deps.store.remove(key);
      throw new ConflictError('OFFSET_MISMATCH', 'another chunk for this offset arrived first', 'offset');
    }
    return updated;
  }

  /**
   * Adds what shows media to people (posts, profiles, pets, conversations): each rule is SQL true
   * when something `viewerId` may see shows the media `mediaId`. The modules that attach media
   * register them; the pipeline itself knows none of them.
   */
  showWith(...rules: ShowsMedia[]): void {
    this.#shows.push(...rules);
  }

  /**
   * Adds a kind of thing that shows media (a post, a pet, …): `rule` is SQL true when one of them,
   * not deleted, shows the media `mediaId`. A media so used cannot be deleted.
   */
  useWith(use: MediaUse, rule: UsesMedia): void {
    this.#uses.push({ use, rule });
  }

  /**
   * The owner deletes one of their ready or failed media, and its bytes stop counting against
   * their quota at once. Refused while something still shows it (MEDIA_IN_USE, naming what):
   * deleting it would leave a hole in a post or a conversation that others see. Under the owner's
   * lock the row is first marked failed with no files (quota freed; no longer attachable), then
   * the objects go, then the row: a failure between leaves a failed row, which points at no file
   * and which the owner may delete again.
   */
  async delete(ownerId: string, mediaId: string): Promise<void> {
    const row = await this.#locked(ownerId, async (tx) => {
      const [row] = await tx
        .select()
        .from(media)
        .where(and(eq(media.id, mediaId), eq(media.ownerId, ownerId)))
        .for('update');
      if (row === undefined) throw new NotFoundError('media');
      if (row.status === 'uploading' || row.status === 'processing')
        throw new ConflictError(
          'MEDIA_NOT_READY',
          row.status === 'uploading'
            ? 'an unfinished upload is cancelled with DELETE /media/uploads/:id'
            : 'the media is still being processed',
          'mediaId',
        );
      const usedBy = await this.#usedBy(tx, mediaId);
      if (usedBy.length > 0) throw new MediaInUseError(usedBy);
      await this.#rewrite(
        mediaId,
        () => ({ status: 'failed', failure: DELETED, failureCode: DELETED, failureDetails: null, files: [], parts: [], progress: 0 }),
        tx,
      );
      return row;
    });
    await this.#deps.store.removePrefix(mediaFolder(row));
    // Failed rows hold no bytes: the counter does not move.
    await this.#deps.db.delete(media).where(and(eq(media.id, row.id), eq(media.status, 'failed')));
  }

  /** The owner's ready and failed media, newest first (ids are time-ordered), a page at a time. */
  async list(ownerId: string, cursor: string | undefined): Promise<{ items: MediaView[]; nextCursor: string | null }> {
    const after = decodeCursor(cursor, 1)?.[0];
    if (after !== undefined && !UUID.test(after))
      throw new InvalidInputError('the cursor is not one this server gave', { field: 'cursor', code: 'INVALID_CURSOR' });
    const rows = await this.#deps.db
      .select()
      .from(media)
      .where(
        and(eq(media.ownerId, ownerId), inArray(media.status, ['ready', 'failed']), after === undefined ? undefined : lt(media.id, after)),
      )
      .orderBy(desc(media.id))
      .limit(PAGE_SIZE + 1);
    const page = pageOf(
      rows,
      PAGE_SIZE,
      (row) => [row.id],
      (row) => row,
    );
    return { items: await Promise.all(page.items.map((row) => this.view(row))), nextCursor: page.nextCursor };
  }

  /** What still shows the media, by kind. */
  async #usedBy(tx: Tx, mediaId: string): Promise<MediaUse[]> {
    if (this.#uses.length === 0) return [];
    const id = sql`${mediaId}::uuid`;
    const result = await tx.execute(
      sql`select ${sql.join(
        this.#uses.map(({ use, rule }) => sql`${rule(id)} as ${sql.identifier(use)}`),
        sql`, `,
      )}`,
    );
    const [row] = rowsOf<Record<string, boolean>>(result);
    return this.#uses.filter(({ use }) => row?.[use] === true).map(({ use }) => use);
  }

  /**
   * The media of `ids` the viewer may see, with their signed URLs: their own, in any state, and
   * ready ones that something the viewer may see shows. Others are left out, as if unknown.
   */
  async get(viewerId: string, ids: string[]): Promise<MediaView[]> {
    const mediaId = sql`${media.id}`;
    const shown = this.#shows.map((rule) => rule(viewerId, mediaId));
    const rows = await this.#deps.db
      .select()
      .from(media)
      .where(
        and(
          anyOf(media.id, ids),
          or(eq(media.ownerId, viewerId), shown.length === 0 ? sql`false` : and(eq(media.status, 'ready'), or(...shown))),
        ),
      );
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** The first bytes of the upload, which decide what it is (a direct upload can be 500 MB). */
  #head(row: MediaRow): Promise<Uint8Array> {
    return this.#deps.store.head(row.parts[0] ?? `${mediaFolder(row)}upload/original`, SNIFF_BYTES);
  }

  /** Removes what was stored and the row: a refused file leaves nothing behind. */
  async #discard(row: MediaRow): Promise<void> {
    await this.#deps.store.removePrefix(mediaFolder(row));
    await this.#deps.db.transaction(async (tx) => {
      await this.#ensureUsage(tx, row.ownerId);
      const [gone] = await tx.delete(media).where(eq(media.id, row.id)).returning();
      if (gone !== undefined) await this.#addUsage(tx, row.ownerId, -storedBytesOf(gone));
    });
  }

  /** Where the caller's own upload stands. */
  async status(ownerId: string, mediaId: string): Promise<MediaView> {
    return this.view(await this.#own(ownerId, mediaId));
  }

  /** Gives up an unfinished upload: its row and chunks go (and it no longer counts against the limits). */
  async cancel(ownerId: string, mediaId: string): Promise<void> {
    const row = await this.#own(ownerId, mediaId);
    if (row.status !== 'uploading') throw new ConflictError('UPLOAD_FINISHED', 'this upload is complete');
    await this.#discard(row);
  }

  /**
   * All bytes are there: decide what it is and queue the job. `original`: the bytes, when the
   * caller still holds them (a one-request upload), so an image is not read back from storage.
   */
  async complete(ownerId: string, mediaId: string, original?: Uint8Array): Promise<MediaView> {
    let row = await this.#own(ownerId, mediaId);
    // Completed before, but no worker has started on it: the node that completed it may have died
    // between marking it and queueing its job. Queue it (again: duplicates are dropped).
    if (row.status === 'processing' && row.attempts === 0) await this.#deps.queue.enqueue({ mediaId: row.id });
    if (row.status !== 'uploading') return this.view(row);
    if (row.parts.length === 0) {
      // A direct upload: it is complete when the object is there with the size announced.
      const info = await this.#deps.store.stat(`${mediaFolder(row)}upload/original`).catch(missingAsUndefined);
      if (info === undefined) throw new ConflictError('UPLOAD_INCOMPLETE', 'nothing was uploaded yet');
      if (info.size !== row.size) {
        await this.#discard(row);
        throw new InvalidInputError(`${info.size} bytes arrived, ${row.size} were announced`, { field: 'size', code: 'UPLOAD_INCOMPLETE' });
      }
      row = { ...row, received: info.size };
    }
    if (row.received !== row.size)
      throw new ConflictError('UPLOAD_INCOMPLETE', `${row.received} of ${row.size} bytes have arrived`, 'offset');
    if (row.kind === 'blob') return this.view(await this.#storeBlob(row, original));
    const found = detect(original?.subarray(0, SNIFF_BYTES) ?? (await this.#head(row)));
    if (found === undefined || !accepts(row.kind, found)) {
      await this.#discard(row);
      throw new UnsupportedMediaError(`the file is not ${row.kind === 'image' ? 'an image' : `a ${row.kind}`} the pipeline accepts`);
    }
    if (row.kind === 'image') {
      const bytes = original ?? (await this.original(row));
      const probed = await probeImage(bytes, this.#deps.limits.imageMaxPixels).catch(async (error: unknown) => {
        await this.#discard(row);
        if (error instanceof TooManyPixelsError)
          throw new UnsupportedMediaError(error.message, { code: error.code, cause: error, limits: error.details() });
        throw new UnsupportedMediaError(`the image cannot be decoded: ${(error as Error).message.split('\n')[0]}`, { cause: error });
      });
      row = { ...row, width: probed.width, height: probed.height };
    }
    const { jobsPerUser } = this.#deps.limits;
    const marked = { status: 'processing', received: row.received, format: found.format, width: row.width, height: row.height } as const;
    const updated = await this.#locked(ownerId, async (tx) => {
      const [processing] = await tx
        .select({ count: sql<number>`count(*)`.mapWith(Number) })
        .from(media)
        .where(and(eq(media.ownerId, ownerId), eq(media.status, 'processing')));
      if ((processing?.count ?? 0) >= jobsPerUser) throw new TooManyUploadsError('processing', jobsPerUser);
      const [changed] = await tx
        .update(media)
        .set({ ...marked, updatedAt: new Date() })
        .where(and(eq(media.id, mediaId), eq(media.status, 'uploading')))
        .returning();
      return changed;
    });
    // Completed meanwhile by a parallel request, which queued the job.
    if (updated === undefined) return this.view(await this.#own(ownerId, mediaId));
    await this.#changed(updated);
    await this.#deps.queue.enqueue({ mediaId: row.id });
    return this.view(updated);
  }

  /**
   * A blob (a file encrypted on the device, at most MEDIA_LIMITS.blob.bytes) is ready once its
   * bytes are: stored as they came as its one file `out/blob`, never sniffed, decoded or queued.
   */
  async #storeBlob(row: MediaRow, original?: Uint8Array): Promise<MediaRow> {
    const bytes = original ?? (await this.original(row));
    await this.#deps.store.put(`${mediaFolder(row)}out/blob`, bytes, { contentType: 'application/octet-stream' });
    await this.#deps.store.removePrefix(`${mediaFolder(row)}upload/`);
    const stored = await this.ready(
      row.id,
      {
        received: row.received,
        format: 'blob',
        parts: [],
        files: [{ name: 'blob', mime: 'application/octet-stream', bytes: bytes.byteLength }],
      },
      'uploading',
    );
    // Cancelled or deleted meanwhile: what was just written goes too.
    if (stored === undefined || stored.status !== 'ready') {
      await this.#deps.store.removePrefix(mediaFolder(row));
      throw new NotFoundError('media');
    }
    return stored;
  }

  /** The original as one buffer (images: at most 20 MB, blobs 25 MiB). */
  async original(row: MediaRow): Promise<Uint8Array> {
    if (row.parts.length === 0) return this.#deps.store.get(`${mediaFolder(row)}upload/original`);
    const chunks = await Promise.all(row.parts.map((key) => this.#deps.store.get(key)));
    return new Uint8Array(Buffer.concat(chunks));
  }

  /** For the worker: the row, and a way to report progress and the end. */
  async load(mediaId: string): Promise<MediaRow | undefined> {
    const [row] = await this.#deps.db.select().from(media).where(eq(media.id, mediaId));
    return row;
  }

  async progress(id: string, progress: number, attempts?: number): Promise<MediaRow> {
    const [row] = await this.#deps.db
      .update(media)
      .set({ progress, ...(attempts === undefined ? {} : { attempts }), updatedAt: new Date() })
      .where(eq(media.id, id))
      .returning();
    if (row === undefined) throw new NotFoundError('media');
    await this.#changed(row);
    return row;
  }

  /**
   * The job made the renditions: the media is ready, if it is still processing. Undefined when it
   * is gone or failed meanwhile (deleted by its owner): what the job wrote belongs to nothing.
   * Already ready (an earlier delivery of the job finished first): left as it is.
   */
  /** `from`: the status the row must still have (a blob becomes ready straight from uploading). */
  async ready(id: string, set: Partial<MediaRow>, from: MediaRow['status'] = 'processing'): Promise<MediaRow | undefined> {
    const row = await this.#rewrite(id, (old) =>
      old.status === from ? { ...set, status: 'ready', progress: 100, failure: null, failureCode: null, failureDetails: null } : undefined,
    );
    if (row === undefined || row.status === 'failed') return undefined;
    await this.#changed(row);
    return row;
  }

  /**
   * A media failed. `from`: the status the row must still have, as for ready: a job that gives up
   * passes 'processing', so a delivery of the same job that finished first (ready), or the owner's
   * delete, is not undone. The row stops pointing at its files before they are removed.
   */
  async failed(id: string, failure: Failure, from?: MediaRow['status']): Promise<void> {
    let changed = false;
    const updated = await this.#rewrite(id, (old) => {
      if (from !== undefined && old.status !== from) return undefined;
      changed = true;
      return {
        status: 'failed',
        failure: failure.reason,
        failureCode: failure.code,
        failureDetails: failure.details ?? {},
        parts: [],
        files: [],
      };
    });
    if (updated === undefined || !changed) return;
    await this.#deps.store.removePrefix(mediaFolder(updated));
    await this.#changed(updated);
  }

  /**
   * Media completed more than `maxAgeMs` ago that no worker has started (their job was never
   * queued: the node died between marking and queueing, and the owner did not complete again):
   * their jobs are queued again. Returns how many.
   */
  async requeueStuck(maxAgeMs: number): Promise<number> {
    const stuck = await this.#deps.db
      .select({ id: media.id })
      .from(media)
      .where(and(eq(media.status, 'processing'), eq(media.attempts, 0), lt(media.updatedAt, new Date(Date.now() - maxAgeMs))));
    for (const { id } of stuck) await this.#deps.queue.enqueue({ mediaId: id });
    return stuck.length;
  }

  /** Uploads nobody finished within `maxAgeMs`: their rows and chunks go. Returns how many. */
  async sweepAbandoned(maxAgeMs: number): Promise<number> {
    const stale = await this.#deps.db
      .select()
      .from(media)
      .where(and(eq(media.status, 'uploading'), lt(media.updatedAt, new Date(Date.now() - maxAgeMs))));
    for (const row of stale) await this.#discard(row);
    return stale.length;
  }

  /**
   * Checks media about to be attached (to a post, a message, a profile, a pet): each must exist,
   * belong to `ownerId`, be of an allowed kind, and be ready. Anything else is NOT_FOUND or
   * MEDIA_NOT_READY, so nobody attaches another person's file.
   */
  async attachable<K extends MediaKind>(ownerId: string, ids: readonly string[], kinds: readonly K[]): Promise<(MediaRow & { kind: K })[]> {
    if (ids.length === 0) return [];
    const rows = await this.#deps.db
      .select()
      .from(media)
      .where(and(anyOf(media.id, [...ids]), eq(media.ownerId, ownerId)));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => {
      const row = byId.get(id);
      if (row === undefined || !(kinds as readonly MediaKind[]).includes(row.kind)) throw new NotFoundError('media');
      if (row.status !== 'ready')
        throw new ConflictError(
          'MEDIA_NOT_READY',
          `media ${id} is ${row.status === 'failed' ? 'failed' : 'still being processed'}`,
          'mediaIds',
        );
      return row as MediaRow & { kind: K };
    });
  }
}
