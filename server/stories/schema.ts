// Tables owned by stories: photos and videos that stay 24 hours (or longer in the author's
// archive and highlights), who saw each one and when, the answers to their stickers, the people
// an author hides stories from, the people a viewer muted and the highlights on profiles.
// `view_count` changes in the transaction that adds a view.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { STORY_AUDIENCES, type STORY_COLORS } from '../../protocol/lists.ts';
import { userRef } from '../accounts/schema.ts';
import { media } from '../media/schema.ts';
import { pets } from '../pets/schema.ts';

export type StoryAudience = (typeof STORY_AUDIENCES)[number];
export type StoryColor = (typeof STORY_COLORS)[number];

const listed = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

/** Text over the picture: where its centre sits, as fractions of the width and height. */
export interface StoryOverlay {
  text: string;
  x: number;
  y: number;
  color: StoryColor;
}

export type StorySticker = { kind: 'poll'; question: string; options: string[] } | { kind: 'question'; prompt: string };

export const stories = pgTable(
  'stories',
  {
    id: uuid('id').primaryKey(),
    authorId: userRef('author_id'),
    /** Posted as this pet (one of the author's). */
    petId: uuid('pet_id').references(() => pets.id, { onDelete: 'set null' }),
    /** A media is deleted only once no story that is not deleted shows it (media.useWith): the
     * deleted ones go with it. */
    mediaId: uuid('media_id')
      .notNull()
      .references(() => media.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['image', 'video'] }).notNull(),
    /** A clip of a longer video (a split): the part of it this story plays. */
    clipStartMs: integer('clip_start_ms'),
    clipEndMs: integer('clip_end_ms'),
    /** Which clip of a split this is, from 0 (0 for a story that is not one). */
    part: smallint('part').notNull().default(0),
    audience: text('audience', { enum: STORY_AUDIENCES }).notNull(),
    overlays: jsonb('overlays').$type<StoryOverlay[]>().notNull().default(sql`'[]'::jsonb`),
    /** People mentioned in the overlays (@username), by id. */
    mentionIds: uuid('mention_ids').array().notNull().default(sql`'{}'::uuid[]`),
    hashtag: text('hashtag'),
    /** One of the author's posts, linked from the story. */
    linkPostId: uuid('link_post_id'),
    sticker: jsonb('sticker').$type<StorySticker>(),
    viewCount: integer('view_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** Chosen by the client, the same on every retry of one create (the clips of a split share it). */
    clientId: uuid('client_id'),
  },
  (table) => [
    // The tray and an author's ring: their active stories, oldest first.
    index('stories_author_active').on(table.authorId, table.expiresAt).where(sql`${table.deletedAt} is null`),
    uniqueIndex('stories_client').on(table.authorId, table.clientId, table.part).where(sql`${table.clientId} is not null`),
    index('stories_media').on(table.mediaId),
    // The cleanup's scan: expired, in the order they expired.
    index('stories_expires').on(table.expiresAt),
    // The author of a story by id from the index alone: the tray counts a viewer's views of the
    // last 30 days per author (bench/stories.ts: 1,200 views, a third of the tray's time through
    // the table's pages).
    index('stories_author_of').on(table.id, table.authorId),
    check('stories_audience_known', sql`${table.audience} in (${listed(STORY_AUDIENCES)})`),
    check('stories_kind_known', sql`${table.kind} in ('image', 'video')`),
  ],
);

export const storyViews = pgTable(
  'story_views',
  {
    storyId: uuid('story_id')
      .notNull()
      .references(() => stories.id, { onDelete: 'cascade' }),
    viewerId: userRef('viewer_id'),
    viewedAt: timestamp('viewed_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.storyId, table.viewerId] }),
    // The author's viewer list, newest first (whether a viewer saw a story is the primary key's).
    index('story_views_list').on(table.storyId, table.viewedAt.desc()),
    // A viewer's recent views: whom they watch most (the tray's order).
    index('story_views_viewer').on(table.viewerId, table.viewedAt),
  ],
);

/** A vote in a poll sticker (`option`) or an answer to a question sticker (`answer`), one per person. */
export const storyAnswers = pgTable(
  'story_answers',
  {
    storyId: uuid('story_id')
      .notNull()
      .references(() => stories.id, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
    option: smallint('option'),
    answer: text('answer'),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.storyId, table.userId] }),
    index('story_answers_list').on(table.storyId, table.answeredAt.desc()),
    check('story_answers_one', sql`(${table.option} is null) <> (${table.answer} is null)`),
  ],
);

/** "Hide my story from": the owner's stories are not shown to these people, whatever the audience. */
export const storyHidden = pgTable(
  'story_hidden',
  {
    ownerId: userRef('owner_id'),
    hiddenId: userRef('hidden_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.ownerId, table.hiddenId] }), index('story_hidden_hidden').on(table.hiddenId)],
);

/** "Mute stories": the viewer's tray leaves these people out (their stories stay reachable from their profile). */
export const storyMutes = pgTable(
  'story_mutes',
  {
    userId: userRef('user_id'),
    mutedId: userRef('muted_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.mutedId] })],
);

/** Per author: whether expired stories stay in their archive (on by default) or go at the next cleanup. */
export const storySettings = pgTable('story_settings', {
  userId: userRef('user_id').primaryKey(),
  archive: boolean('archive').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** A named collection of the owner's stories shown on their profile, kept beyond 24 hours. */
export const storyHighlights = pgTable(
  'story_highlights',
  {
    id: uuid('id').primaryKey(),
    ownerId: userRef('owner_id'),
    title: text('title').notNull(),
    /** The story whose picture is the cover (one of the highlight's); its first story when null. */
    coverStoryId: uuid('cover_story_id'),
    /** Order on the profile, lowest first. */
    position: integer('position').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('story_highlights_owner').on(table.ownerId, table.position)],
);

export const storyHighlightItems = pgTable(
  'story_highlight_items',
  {
    highlightId: uuid('highlight_id')
      .notNull()
      .references(() => storyHighlights.id, { onDelete: 'cascade' }),
    storyId: uuid('story_id')
      .notNull()
      .references(() => stories.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (table) => [primaryKey({ columns: [table.highlightId, table.storyId] }), index('story_highlight_items_story').on(table.storyId)],
);
