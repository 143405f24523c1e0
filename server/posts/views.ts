// Posts as the protocol shows them, built for one viewer in a fixed number of queries however many
// posts a page holds: authors, pets, polls with the viewer's votes, the viewer's reactions and
// saves, mention links, and the shared post (shown only if the viewer may see it, else
// `unavailable`).

import type { Static } from '@sinclair/typebox';
import { and, eq, sql } from 'drizzle-orm';
import type { Post } from '../../protocol/calls/posts.ts';
import { users } from '../accounts/schema.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import { pets } from '../pets/schema.ts';
import { anyOf, uuids } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { pollOptions, polls, pollVotes, posts, type ReactionKind, reactions, savedPosts } from './schema.ts';
import { parseEntities } from './text.ts';
import { visibleTo } from './visibility.ts';

export type PostRow = typeof posts.$inferSelect;
export type PostView = Static<typeof Post>;
type CoreView = Omit<PostView, 'shared'>;

export function countsOf(row: {
  likeCount: number;
  loveCount: number;
  hahaCount: number;
  wowCount: number;
  sadCount: number;
  angryCount: number;
}) {
  return { like: row.likeCount, love: row.loveCount, haha: row.hahaCount, wow: row.wowCount, sad: row.sadCount, angry: row.angryCount };
}

/** The body of a post's `post.counts` event, from its row. */
export function countsEventOf(row: PostRow) {
  return { postId: row.id, reactions: countsOf(row), comments: row.commentCount, shares: row.shareCount };
}

/** Entities of a text with mentions linked to the users they name (unknown names stay plain text). */
export async function linkedEntities(db: Database, texts: string[]) {
  const parsed = texts.map((text) => parseEntities(text));
  const names = [
    ...new Set(
      parsed
        .flat()
        .filter((entity) => entity.type === 'mention')
        .map((entity) => entity.value),
    ),
  ];
  const found =
    names.length === 0 ? [] : await db.select({ id: users.id, username: users.username }).from(users).where(anyOf(users.username, names));
  const ids = new Map(found.map((row) => [row.username, row.id]));
  return parsed.map((entities) =>
    entities.flatMap((entity) => {
      if (entity.type === 'hashtag') return [entity];
      const userId = ids.get(entity.value);
      return userId === undefined ? [] : [{ ...entity, userId }];
    }),
  );
}

async function pollsOf(db: Database, viewerId: string, postIds: string[]) {
  const result = new Map<string, CoreView['poll']>();
  if (postIds.length === 0) return result;
  // Most pages hold no poll: one query finds out, and the other three run only when needed.
  const pollRows = await db.select().from(polls).where(anyOf(polls.postId, postIds));
  if (pollRows.length === 0) return result;
  postIds = pollRows.map((poll) => poll.postId);
  const [options, mine, voters] = await Promise.all([
    db.select().from(pollOptions).where(anyOf(pollOptions.postId, postIds)).orderBy(pollOptions.postId, pollOptions.position),
    db
      .select({ postId: pollVotes.postId, position: pollVotes.position })
      .from(pollVotes)
      .where(and(anyOf(pollVotes.postId, postIds), eq(pollVotes.userId, viewerId))),
    db.execute(
      sql`select post_id, count(distinct user_id)::int as n from poll_votes where post_id = any(${uuids(postIds)}) group by post_id`,
    ),
  ]);
  const voterCounts = new Map(rowsOf<{ post_id: string; n: number }>(voters).map((row) => [row.post_id, row.n]));
  const now = Date.now();
  for (const poll of pollRows) {
    result.set(poll.postId, {
      multiple: poll.multiple,
      closesAt: poll.closesAt?.toISOString() ?? null,
      closed: poll.closesAt !== null && poll.closesAt.getTime() <= now,
      options: options.filter((option) => option.postId === poll.postId).map((option) => ({ text: option.text, votes: option.votes })),
      voters: voterCounts.get(poll.postId) ?? 0,
      myVotes: mine.filter((vote) => vote.postId === poll.postId).map((vote) => vote.position),
    });
  }
  return result;
}

async function coreViews(db: Database, viewerId: string, rows: PostRow[]): Promise<Map<string, CoreView>> {
  const views = new Map<string, CoreView>();
  if (rows.length === 0) return views;
  const ids = rows.map((row) => row.id);
  const authorIds = [...new Set(rows.map((row) => row.authorId))];
  const petIds = [...new Set(rows.flatMap((row) => (row.petId === null ? [] : [row.petId])))];
  const [authors, petRows, pollViews, mine, saved, entities] = await Promise.all([
    db.select(summaryColumns).from(users).leftJoin(profiles, eq(profiles.userId, users.id)).where(anyOf(users.id, authorIds)),
    petIds.length === 0 ? [] : db.select({ id: pets.id, name: pets.name }).from(pets).where(anyOf(pets.id, petIds)),
    pollsOf(db, viewerId, ids),
    db
      .select({ targetId: reactions.targetId, kind: reactions.kind })
      .from(reactions)
      .where(and(eq(reactions.targetKind, 'post'), anyOf(reactions.targetId, ids), eq(reactions.userId, viewerId))),
    db
      .select({ postId: savedPosts.postId })
      .from(savedPosts)
      .where(and(eq(savedPosts.userId, viewerId), anyOf(savedPosts.postId, ids))),
    linkedEntities(
      db,
      rows.map((row) => row.text),
    ),
  ]);
  const authorById = new Map(authors.map((author) => [author.id, toSummary(author)]));
  const petById = new Map(petRows.map((pet) => [pet.id, pet]));
  const reactionByPost = new Map(mine.map((reaction) => [reaction.targetId, reaction.kind as ReactionKind]));
  const savedIds = new Set(saved.map((row) => row.postId));
  rows.forEach((row, index) => {
    const author = authorById.get(row.authorId);
    if (author === undefined) return;
    views.set(row.id, {
      id: row.id,
      author,
      pet: row.petId === null ? null : (petById.get(row.petId) ?? null),
      text: row.text,
      entities: entities[index] ?? [],
      visibility: row.visibility,
      mediaIds: row.mediaIds,
      place: row.placeName === null ? null : { name: row.placeName, latitude: row.latitude, longitude: row.longitude },
      poll: pollViews.get(row.id) ?? null,
      reactions: countsOf(row),
      comments: row.commentCount,
      shares: row.shareCount,
      myReaction: reactionByPost.get(row.id) ?? null,
      saved: savedIds.has(row.id),
      createdAt: row.createdAt.toISOString(),
      editedAt: row.editedAt?.toISOString() ?? null,
    });
  });
  return views;
}

/** Views of `rows` (already known visible to the viewer), in the same order. */
export async function postViews(db: Database, viewerId: string, rows: PostRow[]): Promise<PostView[]> {
  const sharedIds = [...new Set(rows.flatMap((row) => (row.sharedPostId === null ? [] : [row.sharedPostId])))];
  const visibleShared =
    sharedIds.length === 0
      ? []
      : rowsOf<{ id: string }>(
          await db.execute(sql`select p.id from posts p where p.id = any(${uuids(sharedIds)}) and ${visibleTo(viewerId)}`),
        ).map((row) => row.id);
  const sharedRows = visibleShared.length === 0 ? [] : await db.select().from(posts).where(anyOf(posts.id, visibleShared));
  const [own, shared] = await Promise.all([coreViews(db, viewerId, rows), coreViews(db, viewerId, sharedRows)]);
  return rows.flatMap((row) => {
    const view = own.get(row.id);
    if (view === undefined) return [];
    const inner = row.sharedPostId === null ? null : (shared.get(row.sharedPostId) ?? { unavailable: true as const });
    return [{ ...view, shared: inner }];
  });
}
