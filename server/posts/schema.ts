// Tables owned by posts: what users (or their pets) post, its edit history, mentions and hashtags
// parsed from the text, polls with their options and votes, nested comments, reactions on posts
// and comments, shares (a post pointing at another), the viewer's feed controls (muted people,
// hidden posts, topics to see less of), saved posts and reports for moderation. Counters on posts
// and comments are changed in the same transaction as the rows they count.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { REACTIONS, REPORT_REASONS, VISIBILITIES } from '../../protocol/lists.ts';
import { userRef } from '../accounts/schema.ts';
import { pets } from '../pets/schema.ts';

// The closed lists are the protocol's: one declaration for the wire and the database checks.
export type Visibility = (typeof VISIBILITIES)[number];
export type ReactionKind = (typeof REACTIONS)[number];

const listed = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

/** One counter column per reaction kind, on posts and comments alike. */
const reactionCounters = () => ({
  likeCount: integer('like_count').notNull().default(0),
  loveCount: integer('love_count').notNull().default(0),
  hahaCount: integer('haha_count').notNull().default(0),
  wowCount: integer('wow_count').notNull().default(0),
  sadCount: integer('sad_count').notNull().default(0),
  angryCount: integer('angry_count').notNull().default(0),
});

export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey(),
    authorId: userRef('author_id'),
    /** Posted as this pet (one of the author's); the pet's page lists it. */
    petId: uuid('pet_id').references(() => pets.id, { onDelete: 'set null' }),
    text: text('text').notNull().default(''),
    visibility: text('visibility', { enum: VISIBILITIES }).notNull(),
    mediaIds: uuid('media_ids').array().notNull().default(sql`'{}'::uuid[]`),
    placeName: text('place_name'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /** A share: the post shared, with this post's text as the comment. */
    sharedPostId: uuid('shared_post_id'),
    /** The author's locale when posting (es-MX): the region its hashtags trend in. */
    locale: text('locale').notNull(),
    hashtags: text('hashtags').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    ...reactionCounters(),
    commentCount: integer('comment_count').notNull().default(0),
    shareCount: integer('share_count').notNull().default(0),
    /** Chosen by the client, the same on every retry of one create: a retry answers what the first made. */
    clientId: uuid('client_id'),
  },
  (table) => [
    uniqueIndex('posts_client').on(table.authorId, table.clientId).where(sql`${table.clientId} is not null`),
    index('posts_author').on(table.authorId, table.id.desc()).where(sql`${table.deletedAt} is null`),
    index('posts_shared').on(table.sharedPostId).where(sql`${table.sharedPostId} is not null`),
    index('posts_pet').on(table.petId, table.id.desc()).where(sql`${table.petId} is not null`),
    // Which posts show a media (media.get's access rule).
    index('posts_media').using('gin', table.mediaIds),
    check('posts_visibility_known', sql`${table.visibility} in (${listed(VISIBILITIES)})`),
  ],
);

/** Earlier texts of an edited post, newest last. */
export const postEdits = pgTable(
  'post_edits',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.version] })],
);

export const postMentions = pgTable(
  'post_mentions',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
  },
  (table) => [primaryKey({ columns: [table.postId, table.userId] }), index('post_mentions_user').on(table.userId)],
);

/** A hashtag page lists these, newest first; trending counts are kept in the cache. */
export const postHashtags = pgTable(
  'post_hashtags',
  {
    tag: text('tag').notNull(),
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.tag, table.postId] }), index('post_hashtags_post').on(table.postId)],
);

export const polls = pgTable('polls', {
  postId: uuid('post_id')
    .primaryKey()
    .references(() => posts.id, { onDelete: 'cascade' }),
  multiple: boolean('multiple').notNull(),
  closesAt: timestamp('closes_at', { withTimezone: true }),
});

export const pollOptions = pgTable(
  'poll_options',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    text: text('text').notNull(),
    votes: integer('votes').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.postId, table.position] })],
);

export const pollVotes = pgTable(
  'poll_votes',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: userRef('user_id'),
    position: smallint('position').notNull(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.userId, table.position] })],
);

export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey(),
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    /** The comment answered; null at the first level. */
    parentId: uuid('parent_id'),
    /** 1, 2 or 3. */
    depth: smallint('depth').notNull(),
    authorId: userRef('author_id'),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    ...reactionCounters(),
    replyCount: integer('reply_count').notNull().default(0),
    /** Chosen by the client, the same on every retry of one create: a retry answers what the first made. */
    clientId: uuid('client_id'),
  },
  (table) => [
    uniqueIndex('comments_client').on(table.authorId, table.clientId).where(sql`${table.clientId} is not null`),
    index('comments_post').on(table.postId, table.parentId, table.id),
    check('comments_depth_range', sql`${table.depth} between 1 and 3`),
  ],
);

export const reactions = pgTable(
  'reactions',
  {
    /** 'post' or 'comment'. */
    targetKind: text('target_kind').notNull(),
    targetId: uuid('target_id').notNull(),
    userId: userRef('user_id'),
    kind: text('kind', { enum: REACTIONS }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.targetKind, table.targetId, table.userId] }),
    index('reactions_target').on(table.targetKind, table.targetId, table.kind, table.createdAt),
    index('reactions_user').on(table.userId, table.createdAt),
    check('reactions_kind_known', sql`${table.kind} in (${listed(REACTIONS)})`),
    check('reactions_target_known', sql`${table.targetKind} in ('post', 'comment')`),
  ],
);

/** The viewer's controls over the ranked and chronological feeds. */
export const feedMutes = pgTable(
  'feed_mutes',
  {
    userId: userRef('user_id'),
    mutedId: userRef('muted_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.mutedId] })],
);

export const hiddenPosts = pgTable(
  'hidden_posts',
  {
    userId: userRef('user_id'),
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.postId] })],
);

/**
 * Posts a user saved (bookmarks), only ever shown to that user, newest save first. A saved post
 * the user may no longer see stays here but is left out when the list is read.
 */
export const savedPosts = pgTable(
  'saved_posts',
  {
    userId: userRef('user_id'),
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    /** Set by the server in milliseconds, so the list's cursor (an ISO time) names a row exactly. */
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.postId] }),
    index('saved_posts_user').on(table.userId, table.savedAt.desc(), table.postId.desc()),
  ],
);

/** "Show me less of #topic": a weight below 1 the ranking multiplies by (1 = neutral). */
export const topicPreferences = pgTable(
  'topic_preferences',
  {
    userId: userRef('user_id'),
    tag: text('tag').notNull(),
    weight: real('weight').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.tag] })],
);

export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey(),
    reporterId: userRef('reporter_id'),
    targetKind: text('target_kind').notNull(),
    targetId: uuid('target_id').notNull(),
    reason: text('reason', { enum: REPORT_REASONS }).notNull(),
    note: text('note').notNull().default(''),
    /** open, then resolved by the moderation work to come. */
    status: text('status').notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('reports_target').on(table.targetKind, table.targetId),
    uniqueIndex('reports_one_open').on(table.reporterId, table.targetKind, table.targetId).where(sql`${table.status} = 'open'`),
    index('reports_open').on(table.createdAt).where(sql`${table.status} = 'open'`),
    check('reports_target_known', sql`${table.targetKind} in ('post', 'comment', 'user')`),
  ],
);
