// A story as the protocol shows it to one viewer: its author and pet, the people it mentions whom
// the viewer may see, whether the viewer saw it, and its sticker with what the viewer may know of
// the answers (the author: all counts; someone who voted: the poll's counts). Read for many
// stories at once, a few queries in all.
import type { Static } from '@sinclair/typebox';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Story } from '../../protocol/calls/stories.ts';
import { users } from '../accounts/schema.ts';
import { notBlockedWith } from '../graph/relations.ts';
import { type SummaryRow, selectSummaries, toSummary } from '../people/summaries.ts';
import { pets } from '../pets/schema.ts';
import type { Database } from '../platform/db/index.ts';
import { type stories, storyAnswers, storyViews } from './schema.ts';

export type StoryRow = typeof stories.$inferSelect;
export type StoryView = Static<typeof Story>;

export async function storyViewsFor(db: Database, viewerId: string, rows: readonly StoryRow[]): Promise<StoryView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const authorIds = [...new Set(rows.map((row) => row.authorId))];
  const petIds = [...new Set(rows.flatMap((row) => (row.petId === null ? [] : [row.petId])))];
  const mentionIds = [...new Set(rows.flatMap((row) => row.mentionIds))];
  const withPoll = rows.filter((row) => row.sticker?.kind === 'poll').map((row) => row.id);
  const withQuestion = rows.filter((row) => row.sticker?.kind === 'question' && row.authorId === viewerId).map((row) => row.id);
  const [authors, petRows, mentioned, seen, mine, votes, answerCounts] = await Promise.all([
    selectSummaries(db).where(inArray(users.id, authorIds)),
    petIds.length === 0 ? [] : db.select({ id: pets.id, name: pets.name }).from(pets).where(inArray(pets.id, petIds)),
    mentionIds.length === 0
      ? []
      : db
          .select({ id: users.id, username: users.username })
          .from(users)
          .where(and(inArray(users.id, mentionIds), notBlockedWith(viewerId, users.id))),
    db
      .select({ storyId: storyViews.storyId })
      .from(storyViews)
      .where(and(inArray(storyViews.storyId, ids), eq(storyViews.viewerId, viewerId))),
    db
      .select({ storyId: storyAnswers.storyId, option: storyAnswers.option, answer: storyAnswers.answer })
      .from(storyAnswers)
      .where(and(inArray(storyAnswers.storyId, ids), eq(storyAnswers.userId, viewerId))),
    withPoll.length === 0
      ? []
      : db
          .select({ storyId: storyAnswers.storyId, option: storyAnswers.option, n: sql<number>`count(*)::int` })
          .from(storyAnswers)
          .where(inArray(storyAnswers.storyId, withPoll))
          .groupBy(storyAnswers.storyId, storyAnswers.option),
    withQuestion.length === 0
      ? []
      : db
          .select({ storyId: storyAnswers.storyId, n: sql<number>`count(*)::int` })
          .from(storyAnswers)
          .where(inArray(storyAnswers.storyId, withQuestion))
          .groupBy(storyAnswers.storyId),
  ]);
  const authorById = new Map(authors.map((row) => [row.id, toSummary(row as SummaryRow)]));
  const petById = new Map(petRows.map((row) => [row.id, row]));
  const usernameById = new Map(mentioned.map((row) => [row.id, row.username]));
  const seenIds = new Set(seen.map((row) => row.storyId));
  const mineById = new Map(mine.map((row) => [row.storyId, row]));
  const answeredById = new Map(answerCounts.map((row) => [row.storyId, row.n]));
  const votesById = new Map<string, number[]>();
  for (const row of votes) {
    const counts = votesById.get(row.storyId) ?? [];
    counts[row.option as number] = row.n;
    votesById.set(row.storyId, counts);
  }
  const now = Date.now();
  return rows.flatMap((row): StoryView[] => {
    const author = authorById.get(row.authorId);
    if (author === undefined) return [];
    const own = row.authorId === viewerId;
    const pet = row.petId === null ? undefined : petById.get(row.petId);
    const my = mineById.get(row.id);
    let sticker: StoryView['sticker'] = null;
    if (row.sticker?.kind === 'poll') {
      const counts = votesById.get(row.id) ?? [];
      sticker = {
        kind: 'poll',
        question: row.sticker.question,
        options: row.sticker.options,
        myVote: my?.option ?? null,
        votes: own || my !== undefined ? row.sticker.options.map((_, i) => counts[i] ?? 0) : null,
      };
    } else if (row.sticker?.kind === 'question')
      sticker = {
        kind: 'question',
        prompt: row.sticker.prompt,
        myAnswer: my?.answer ?? null,
        answers: own ? (answeredById.get(row.id) ?? 0) : null,
      };
    return [
      {
        id: row.id,
        author,
        pet: pet === undefined ? null : { id: pet.id, name: pet.name },
        mediaId: row.mediaId,
        kind: row.kind,
        clip: row.clipStartMs === null || row.clipEndMs === null ? null : { startMs: row.clipStartMs, endMs: row.clipEndMs },
        audience: row.audience,
        overlays: row.overlays,
        mentions: row.mentionIds.flatMap((userId) => {
          const username = usernameById.get(userId);
          return username === undefined ? [] : [{ userId, username }];
        }),
        hashtag: row.hashtag,
        linkPostId: row.linkPostId,
        sticker,
        createdAt: row.createdAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
        expired: row.expiresAt.getTime() <= now,
        seen: own || seenIds.has(row.id),
        views: own ? row.viewCount : null,
      },
    ];
  });
}
