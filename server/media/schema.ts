// Tables owned by media: one row per uploaded file, from its first byte to its renditions. The
// original is stored under `media/<ownerId>/<mediaId>/upload/` (one part per uploaded chunk, or
// one object for a direct upload) until the job has made the renditions (`…/out/`), then removed.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Composition } from '../../media/compose.ts';
import { MEDIA_KINDS } from '../../media/detect.ts';
import { userRef } from '../accounts/schema.ts';

export const MEDIA_STATUSES = ['uploading', 'processing', 'ready', 'failed'] as const;

/** A file the renditions consist of, under `media/<ownerId>/<mediaId>/out/`. */
export interface StoredFile {
  /** Relative to the media's out/ folder: large.webp, master.m3u8, 720p/seg_000.ts, … */
  name: string;
  mime: string;
  bytes: number;
  width?: number;
  height?: number;
}

export const media = pgTable(
  'media',
  {
    id: uuid('id').primaryKey(),
    ownerId: userRef('owner_id'),
    kind: text('kind', { enum: MEDIA_KINDS }).notNull(),
    status: text('status', { enum: MEDIA_STATUSES }).notNull(),
    /** Why it failed, in words for the owner (the log has the detail). */
    failure: text('failure'),
    /** Why it failed, as a stable code for clients to word (media/errors.ts: TOO_LONG, …). */
    failureCode: text('failure_code'),
    /** The numbers of the failure (the limit passed, the value found), for clients to show. */
    failureDetails: jsonb('failure_details').$type<Record<string, number | string>>(),
    /** The size the uploader announced; the upload is complete when this many bytes arrived. */
    size: bigint('size', { mode: 'number' }).notNull(),
    received: bigint('received', { mode: 'number' }).notNull().default(0),
    /** Keys of the chunks stored so far, in order; one key (upload/original) for a direct upload. */
    parts: jsonb('parts').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** The container found by content, once the upload is complete (jpeg, mp4, webm, …). */
    format: text('format'),
    width: integer('width'),
    height: integer('height'),
    durationMs: integer('duration_ms'),
    /** A tiny image as a data URL, shown blurred until the real one loads. */
    preview: text('preview'),
    waveform: jsonb('waveform').$type<number[]>(),
    files: jsonb('files').$type<StoredFile[]>().notNull().default(sql`'[]'::jsonb`),
    progress: smallint('progress').notNull().default(0),
    /** A media the server makes from others (reels.compose) rather than an upload: what from, and how. */
    recipe: jsonb('recipe').$type<Composition>(),
    /** The key of the call that made it (reels.compose's clientId): the same key gives the same media. */
    clientId: uuid('client_id'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('media_owner').on(table.ownerId, table.id.desc()),
    uniqueIndex('media_client').on(table.ownerId, table.clientId),
    // The sweeps: uploads abandoned, jobs never queued.
    index('media_unfinished').on(table.status, table.updatedAt).where(sql`${table.status} in ('uploading', 'processing')`),
    check('media_kind_known', sql`${table.kind} in ('image', 'video', 'voice', 'reel', 'blob')`),
    check('media_status_known', sql`${table.status} in ('uploading', 'processing', 'ready', 'failed')`),
  ],
);

/**
 * Bytes each user's media hold in storage (what the quota is checked against): kept in the same
 * transaction as every change of a media row that changes them (Media.#stored says how much a row
 * holds), so an upload's start need not sum every media row of its owner. A user's row is created,
 * from that sum, by the first change after this table appeared.
 */
export const mediaUsage = pgTable('media_usage', {
  ownerId: userRef('owner_id').primaryKey(),
  storedBytes: bigint('stored_bytes', { mode: 'number' }).notNull(),
});
