// Reactions on posts and comments: one per person per target, changeable and removable. Each
// change runs under an advisory lock on (person, target) and moves the target's counters in the
// same transaction, so counters always equal the rows they count, however many people react at
// once. A first reaction (not a change of kind) notifies the target's author.

import type { Static } from '@sinclair/typebox';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { postCalls } from '../../protocol/calls/posts.ts';
import { REACTIONS } from '../../protocol/lists.ts';
import { users } from '../accounts/schema.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import { notBlockedWith } from '../graph/relations.ts';
import { notifications } from '../notifications/schema.ts';
import type { SocialDeps } from '../people/context.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import { decodeCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { logOnReel, unlogOnReel } from '../reels/log.ts';
import type { Comments } from './comments.ts';
import type { Posts } from './posts.ts';
import { comments, posts, type ReactionKind, reactions } from './schema.ts';
import { countsOf } from './views.ts';

type Target = { kind: 'post'; id: string } | { kind: 'comment'; id: string };

/** A target's counters as the counts events carry them (a post's with its comments and shares), named as countsOf reads them. */
type CountRow = Parameters<typeof countsOf>[0] & { commentCount?: number; shareCount?: number };
const REACTION_COLUMNS = REACTIONS.map((kind) => `${kind}_count as "${kind}Count"`).join(', ');
const COUNT_COLUMNS = {
  post: `${REACTION_COLUMNS}, comment_count as "commentCount", share_count as "shareCount"`,
  comment: REACTION_COLUMNS,
} as const;

export class Reactions {
  readonly #deps: SocialDeps;
  readonly #posts: Posts;
  readonly #comments: Comments;

  constructor(deps: SocialDeps, posts: Posts, comments: Comments) {
    this.#deps = deps;
    this.#posts = posts;
    this.#comments = comments;
  }

  /** The target's author and post, once the viewer is known to be allowed to see it. */
  async #reach(viewerId: string, target: Target) {
    if (target.kind === 'post') {
      const post = await this.#posts.visible(viewerId, target.id);
      return { authorId: post.authorId, postId: post.id };
    }
    const comment = await this.#comments.visible(viewerId, target.id);
    return { authorId: comment.authorId, postId: comment.postId };
  }

  async react(viewerId: string, target: Target, kind: ReactionKind | null) {
    const { db } = this.#deps;
    const { authorId, postId } = await this.#reach(viewerId, target);
    const table = target.kind === 'post' ? posts : comments;
    const { counts, totals, notify } = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`react:${target.kind}:${target.id}:${viewerId}`}, 0))`);
      const key = and(eq(reactions.targetKind, target.kind), eq(reactions.targetId, target.id), eq(reactions.userId, viewerId));
      const [old] = await tx.select({ kind: reactions.kind }).from(reactions).where(key);
      const before = old?.kind ?? null;
      if (before !== kind) {
        if (kind === null) await tx.delete(reactions).where(key);
        else if (before === null)
          await tx
            .insert(reactions)
            .values({ targetKind: target.kind, targetId: target.id, userId: viewerId, kind, createdAt: new Date() });
        else await tx.update(reactions).set({ kind, createdAt: new Date() }).where(key);
        // A reel's like, in its interaction log: the first reaction of any kind, gone when taken back.
        if (target.kind === 'post' && before === null) await logOnReel(tx, target.id, viewerId, 'like');
        if (target.kind === 'post' && kind === null) await unlogOnReel(tx, target.id, viewerId, 'like');
      }
      // Told once per person and target: taking a reaction back and giving it again is not news.
      const type = target.kind === 'post' ? 'post.reaction' : 'comment.reaction';
      const [told] =
        before === null && kind !== null && authorId !== viewerId
          ? await tx
              .select({ id: notifications.id })
              .from(notifications)
              .where(
                and(
                  eq(notifications.userId, authorId),
                  eq(notifications.actorId, viewerId),
                  eq(notifications.type, type),
                  sql`${notifications.data}->>${target.kind === 'post' ? 'postId' : 'commentId'} = ${target.id}`,
                ),
              )
              .limit(1)
          : [];
      const notify =
        before === null && kind !== null && authorId !== viewerId && told === undefined
          ? await this.#deps.notifier.prepare(tx, {
              userId: authorId,
              type,
              actorId: viewerId,
              data: target.kind === 'post' ? { postId, kind } : { postId, commentId: target.id, kind },
            })
          : undefined;
      // The counters move last: a popular target's row stays locked only from here to the commit,
      // not through the notification's statements, and the update returns what the event carries.
      const moves: string[] = [];
      if (before !== null && before !== kind) moves.push(`${before}_count = ${before}_count - 1`);
      if (kind !== null && before !== kind) moves.push(`${kind}_count = ${kind}_count + 1`);
      const [row] =
        moves.length === 0
          ? rowsOf<CountRow>(await tx.execute(sql`select ${sql.raw(COUNT_COLUMNS[target.kind])} from ${table} where id = ${target.id}`))
          : // The kinds come from the catalogue's closed list (checked at the edge), never from free text.
            rowsOf<CountRow>(
              await tx.execute(
                sql`update ${table} set ${sql.raw(moves.join(', '))} where id = ${target.id} returning ${sql.raw(COUNT_COLUMNS[target.kind])}`,
              ),
            );
      if (row === undefined) throw new NotFoundError(target.kind);
      const totals = row.commentCount === undefined ? undefined : { comments: row.commentCount, shares: row.shareCount as number };
      return { counts: countsOf(row), totals, notify };
    });
    if (totals !== undefined) await emit(this.#deps, 'post', postId, 'post.counts', { postId, reactions: counts, ...totals });
    else await emit(this.#deps, 'post', postId, 'comment.counts', { postId, commentId: target.id, reactions: counts });
    this.#deps.notifier.dispatch([notify]);
    return { reactions: counts, myReaction: kind };
  }

  async list(viewerId: string, request: Static<(typeof postCalls)['posts.reactions']['request']>) {
    if ((request.postId === undefined) === (request.commentId === undefined))
      throw new InvalidInputError('give postId or commentId', { field: 'postId' });
    const target: Target =
      request.postId !== undefined ? { kind: 'post', id: request.postId } : { kind: 'comment', id: request.commentId as string };
    await this.#reach(viewerId, target);
    const after = decodeCursor(request.cursor, 2);
    const rows = await this.#deps.db
      .select({ ...summaryColumns, kind: reactions.kind, at: reactions.createdAt })
      .from(reactions)
      .innerJoin(users, eq(users.id, reactions.userId))
      .leftJoin(profiles, eq(profiles.userId, reactions.userId))
      .where(
        and(
          eq(reactions.targetKind, target.kind),
          eq(reactions.targetId, target.id),
          request.kind === undefined ? undefined : eq(reactions.kind, request.kind),
          notBlockedWith(viewerId, reactions.userId),
          after === undefined
            ? undefined
            : or(
                lt(reactions.createdAt, new Date(after[0] as string)),
                and(eq(reactions.createdAt, new Date(after[0] as string)), lt(reactions.userId, after[1] as string)),
              ),
        ),
      )
      .orderBy(desc(reactions.createdAt), desc(reactions.userId))
      .limit(PAGE_SIZE + 1);
    return pageOf(
      rows,
      PAGE_SIZE,
      (row) => [row.at.toISOString(), row.id],
      (row) => ({ person: toSummary(row), kind: row.kind }),
    );
  }
}
