// Tables owned by reels. A reel is a post (posts.id, its caption the post's text; reactions,
// comments, shares and saves stay the post's) plus what a vertical video player and its feed
// need: the video, its cover frame, its duet and stitch switches, the language it is for, and its
// counters. `reel_viewers` holds one row per person who watched a reel (their watch time, whether
// their view counted, finished, skipped, "not interested"); `reel_interactions` is the log the
// recommender and the creator's analytics read. Counters change in the transaction that adds the
// rows they count.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { REEL_INTERACTIONS, REEL_SOURCES } from '../../protocol/lists.ts';
import { userRef } from '../accounts/schema.ts';
import { media } from '../media/schema.ts';
import { posts } from '../posts/schema.ts';

export type ReelSource = (typeof REEL_SOURCES)[number];
export type ReelInteraction = (typeof REEL_INTERACTIONS)[number];

const listed = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

export const reels = pgTable(
  'reels',
  {
    /** The post this reel is: deleting the post (posts.delete) deletes the reel for everyone. */
    postId: uuid('post_id')
      .primaryKey()
      .references(() => posts.id, { onDelete: 'cascade' }),
    authorId: userRef('author_id'),
    mediaId: uuid('media_id')
      .notNull()
      .references(() => media.id, { onDelete: 'cascade' }),
    durationMs: integer('duration_ms').notNull(),
    /** The frame shown before it plays, as a time into the video. */
    coverMs: integer('cover_ms').notNull().default(0),
    /** Primary language subtag of the author's locale when posting (es, en…): the For You feed's first filter. */
    language: text('language').notNull(),
    allowDuet: boolean('allow_duet').notNull().default(true),
    allowStitch: boolean('allow_stitch').notNull().default(true),
    /** The sound heard: its own original sound, the one it was made with, or (a duet) the original's. Null: silent. */
    soundId: uuid('sound_id').references((): AnyPgColumn => sounds.id, { onDelete: 'set null' }),
    /** Made from another reel (reels.compose): how, and which (null once that reel is gone). */
    remixKind: text('remix_kind', { enum: ['duet', 'stitch'] }),
    remixOf: uuid('remix_of').references((): AnyPgColumn => reels.postId, { onDelete: 'set null' }),
    /** The colour filter baked into its video (protocol/filters.ts). */
    filter: text('filter'),
    /** The caption's vector (embedder.ts), unit length; null for a caption without words. */
    captionVector: real('caption_vector').array(),
    /** The embedder that made caption_vector (its name); null: unknown (reels from before it was kept). A
     * vector of another embedder than the node's counts as none, and the caption job re-embeds it. */
    captionModel: text('caption_model'),
    /** People whose view counted (reel_viewers.viewed). */
    viewCount: integer('view_count').notNull().default(0),
    /** Milliseconds watched by everyone, each viewer capped at REEL_LIMITS.watchPlays plays. */
    watchMs: bigint('watch_ms', { mode: 'number' }).notNull().default(0),
    /** People who watched it to the end. */
    completions: integer('completions').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Set with the post's: a deleted reel leaves every list. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (table) => [
    // A creator's reels, newest first (profiles' grid, the Following tab).
    index('reels_author').on(table.authorId, table.postId.desc()).where(sql`${table.deletedAt} is null`),
    // The For You feed's candidates: recent reels in a language.
    index('reels_recent').on(table.language, table.createdAt.desc()).where(sql`${table.deletedAt} is null`),
    index('reels_media').on(table.mediaId),
    // A sound's page, newest first; trending sounds.
    index('reels_sound').on(table.soundId, table.postId.desc()).where(sql`${table.deletedAt} is null`),
    // The caption job's first question, every round: is any reel embedded otherwise than now?
    index('reels_caption_model').on(table.captionModel).where(sql`${table.deletedAt} is null`),
    check('reels_remix_known', sql`(${table.remixKind} is null) or (${table.remixKind} in ('duet', 'stitch'))`),
    check('reels_cover_within', sql`${table.coverMs} >= 0 and ${table.coverMs} <= ${table.durationMs}`),
  ],
);

/** Original sounds: the audio of a reel that had its own (not made with a sound, not a duet), which
 * others may lay under theirs. The audio is the file sound.m4a of that reel's media; the sound goes
 * with its reel (reels made with it keep their audio and lose the link). */
export const sounds = pgTable(
  'sounds',
  {
    id: uuid('id').primaryKey(),
    creatorId: userRef('creator_id'),
    originReelId: uuid('origin_reel_id')
      .notNull()
      .unique()
      .references((): AnyPgColumn => reels.postId, { onDelete: 'cascade' }),
    mediaId: uuid('media_id')
      .notNull()
      .references(() => media.id, { onDelete: 'cascade' }),
    /** Null: not named ("original sound – <creator>"). */
    title: text('title'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('sounds_creator').on(table.creatorId, table.id.desc())],
);

/** A creator's reach: the views of all their reels (each counted once per viewer and reel), moved
 * with reels.view_count in the same transaction. The For You feed's cold-start slots go to
 * creators with little of it. */
export const reelCreators = pgTable('reel_creators', {
  authorId: userRef('author_id').primaryKey(),
  views: integer('views').notNull().default(0),
});

/** The collaborative half of a reel's vector, learned from what people did with it (collaborative.ts),
 * unit length. Apart from `reels`, whose rows every counted view updates, so that the job's writes
 * and the counters never wait on each other; a reel nobody acted on in 30 days has none. */
export const reelVectors = pgTable('reel_vectors', {
  reelId: uuid('reel_id')
    .primaryKey()
    .references(() => reels.postId, { onDelete: 'cascade' }),
  collab: real('collab').array().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** One row per person and reel they watched: what the For You feed calls "seen". */
export const reelViewers = pgTable(
  'reel_viewers',
  {
    reelId: uuid('reel_id')
      .notNull()
      .references(() => reels.postId, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
    /** Capped at REEL_LIMITS.watchPlays plays of the reel. */
    watchedMs: integer('watched_ms').notNull().default(0),
    /** Their view counted (they watched REEL_LIMITS.viewAfterMs or half the reel). */
    viewed: boolean('viewed').notNull().default(false),
    completed: boolean('completed').notNull().default(false),
    /** They swiped away before their view counted. */
    skipped: boolean('skipped').notNull().default(false),
    notInterested: boolean('not_interested').notNull().default(false),
    /** Where they first watched it from (null: they said "not interested" before watching). */
    source: text('source', { enum: REEL_SOURCES }),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.reelId, table.userId] }),
    // What a viewer has seen, newest first (the feed leaves it out; their taste is learned from it).
    index('reel_viewers_user').on(table.userId, table.lastAt.desc()),
    check('reel_viewers_source_known', sql`${table.source} in (${listed(REEL_SOURCES)})`),
  ],
);

/** The interaction log: one row per view (once per viewer), like, share, comment, save, "not interested" and skip. */
export const reelInteractions = pgTable(
  'reel_interactions',
  {
    id: uuid('id').primaryKey(),
    reelId: uuid('reel_id')
      .notNull()
      .references(() => reels.postId, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
    kind: text('kind', { enum: REEL_INTERACTIONS }).notNull(),
    /** For a view or a skip: how long they had watched when it was recorded. */
    watchMs: integer('watch_ms'),
    source: text('source', { enum: REEL_SOURCES }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    // A reel's analytics over time, by kind.
    index('reel_interactions_reel').on(table.reelId, table.kind, table.createdAt),
    // A viewer's history (their taste vector; the collaborative job).
    index('reel_interactions_user').on(table.userId, table.createdAt),
    check('reel_interactions_kind_known', sql`${table.kind} in (${listed(REEL_INTERACTIONS)})`),
  ],
);
