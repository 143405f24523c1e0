// Comments: nested up to three levels under a post, edited by their author, deleted by their
// author or the post's author. A deleted comment that has answers stays as a placeholder so the
// thread keeps its shape; counters (the post's comments, a comment's replies) count the comments
// that are not deleted and move in the same transaction. Comments of people blocked on either
// side of the viewer are left out, and so are live events about them (events carry ids only).

import type { Static } from '@sinclair/typebox';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Comment, postCalls } from '../../protocol/calls/posts.ts';
import { users } from '../accounts/schema.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { emit, emitMany } from '../events.ts';
import { isBlocked, notBlockedWith, relationFacts } from '../graph/relations.ts';
import type { Prepared } from '../notifications/notifier.ts';
import type { SocialDeps } from '../people/context.ts';
import { profiles } from '../people/schema.ts';
import { summaryColumns, toSummary } from '../people/summaries.ts';
import { decodeCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import { createOnce } from '../platform/db/once.ts';
import { checkPlainText } from '../platform/input.ts';
import { logOnReel } from '../reels/log.ts';
import type { Posts } from './posts.ts';
import { comments, posts, type ReactionKind, reactions } from './schema.ts';
import { mentionsAndTags } from './text.ts';
import { countsEventOf, countsOf, linkedEntities } from './views.ts';
import { canSee } from './visibility.ts';

type CommentRow = typeof comments.$inferSelect;
type CommentView = Static<typeof Comment>;
type Request<N extends keyof typeof postCalls> = Static<(typeof postCalls)[N]['request']>;

const MAX_DEPTH = 3;

export class Comments {
  readonly #deps: SocialDeps;
  readonly #posts: Posts;

  constructor(deps: SocialDeps, posts: Posts) {
    this.#deps = deps;
    this.#posts = posts;
  }

  /** The comment, if the viewer may see its post and no block stands between them and its author. */
  async visible(viewerId: string, commentId: string): Promise<CommentRow> {
    const { db } = this.#deps;
    const [comment] = await db.select().from(comments).where(eq(comments.id, commentId)).limit(1);
    if (comment === undefined) throw new NotFoundError('comment');
    await this.#posts.visible(viewerId, comment.postId);
    if (isBlocked(await relationFacts(db, viewerId, comment.authorId))) throw new NotFoundError('comment');
    return comment;
  }

  async #views(viewerId: string, rows: CommentRow[]): Promise<CommentView[]> {
    const { db } = this.#deps;
    if (rows.length === 0) return [];
    const authorIds = [...new Set(rows.map((row) => row.authorId))];
    const ids = rows.map((row) => row.id);
    const [authors, mine, entities] = await Promise.all([
      db.select(summaryColumns).from(users).leftJoin(profiles, eq(profiles.userId, users.id)).where(sql`${users.id} in ${authorIds}`),
      db
        .select({ targetId: reactions.targetId, kind: reactions.kind })
        .from(reactions)
        .where(and(eq(reactions.targetKind, 'comment'), sql`${reactions.targetId} in ${ids}`, eq(reactions.userId, viewerId))),
      linkedEntities(
        db,
        rows.map((row) => row.text),
      ),
    ]);
    const authorById = new Map(authors.map((author) => [author.id, toSummary(author)]));
    const mineById = new Map(mine.map((reaction) => [reaction.targetId, reaction.kind as ReactionKind]));
    return rows.map((row, index) => {
      const deleted = row.deletedAt !== null;
      return {
        id: row.id,
        postId: row.postId,
        parentId: row.parentId,
        depth: row.depth,
        author: deleted ? null : (authorById.get(row.authorId) ?? null),
        text: deleted ? '' : row.text,
        entities: deleted ? [] : (entities[index] ?? []),
        reactions: countsOf(row),
        replies: row.replyCount,
        myReaction: mineById.get(row.id) ?? null,
        createdAt: row.createdAt.toISOString(),
        editedAt: row.editedAt?.toISOString() ?? null,
        deleted,
      };
    });
  }

  async get(viewerId: string, commentId: string): Promise<CommentView> {
    const row = await this.visible(viewerId, commentId);
    // As in lists: a deleted comment exists only as the placeholder its answers hang from.
    if (row.deletedAt !== null && row.replyCount === 0) throw new NotFoundError('comment');
    const [view] = await this.#views(viewerId, [row]);
    if (view === undefined) throw new NotFoundError('comment');
    return view;
  }

  /** With `clientId`, a retry answers the comment the first attempt made (platform/db/once.ts). */
  add(viewerId: string, request: Request<'comments.add'>): Promise<CommentView> {
    return createOnce(
      request.clientId,
      async (clientId) => {
        const [row] = await this.#deps.db
          .select({ id: comments.id })
          .from(comments)
          .where(and(eq(comments.authorId, viewerId), eq(comments.clientId, clientId)));
        return row === undefined ? undefined : this.get(viewerId, row.id);
      },
      () => this.#add(viewerId, request),
    );
  }

  async #add(viewerId: string, request: Request<'comments.add'>): Promise<CommentView> {
    const text = request.text.trim();
    checkPlainText(text, 'text');
    const { db } = this.#deps;
    const post = await this.#posts.visible(viewerId, request.postId);
    const parent = request.parentId === undefined ? undefined : await this.visible(viewerId, request.parentId);
    if (parent !== undefined && parent.postId !== post.id) throw new NotFoundError('comment');
    if (parent !== undefined && parent.deletedAt !== null) throw new ForbiddenError('that comment was deleted', 'COMMENT_DELETED');
    const depth = (parent?.depth ?? 0) + 1;
    if (depth > MAX_DEPTH) throw new ForbiddenError(`comments nest ${MAX_DEPTH} levels deep at most`, 'TOO_DEEP');
    const id = Bun.randomUUIDv7();
    const { row, counts, notify } = await db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(comments)
        .values({
          id,
          postId: post.id,
          parentId: parent?.id ?? null,
          depth,
          authorId: viewerId,
          text,
          createdAt: new Date(),
          clientId: request.clientId ?? null,
        })
        .returning();
      await logOnReel(tx, post.id, viewerId, 'comment');
      // Each person hears once, by the first reason that applies: answered, then commented on, then mentioned.
      const notify: (Prepared | undefined)[] = [];
      const told = new Set([viewerId]);
      const tell = async (userId: string, type: 'comment.reply' | 'post.comment' | 'post.mention') => {
        if (told.has(userId)) return;
        told.add(userId);
        notify.push(await this.#deps.notifier.prepare(tx, { userId, type, actorId: viewerId, data: { postId: post.id, commentId: id } }));
      };
      if (parent !== undefined) await tell(parent.authorId, 'comment.reply');
      await tell(post.authorId, 'post.comment');
      const { mentions } = mentionsAndTags(text);
      if (mentions.length > 0) {
        const named = await tx.select({ id: users.id }).from(users).where(sql`${users.username} in ${mentions}`);
        for (const user of named)
          if (canSee(post, await relationFacts(tx as unknown as Database, user.id, post.authorId))) await tell(user.id, 'post.mention');
      }
      // The counters move last: the post's row (every commenter's and reactor's) stays locked only
      // from here to the commit, and the update returns the counts the event carries.
      const [counted] = await tx
        .update(posts)
        .set({ commentCount: sql`${posts.commentCount} + 1` })
        .where(eq(posts.id, post.id))
        .returning();
      if (parent !== undefined)
        await tx
          .update(comments)
          .set({ replyCount: sql`${comments.replyCount} + 1` })
          .where(eq(comments.id, parent.id));
      if (counted === undefined) throw new NotFoundError('post');
      return { row: inserted as CommentRow, counts: countsEventOf(counted), notify };
    });
    await emitMany(this.#deps, 'post', post.id, [
      { name: 'comment.added', body: { postId: post.id, commentId: id, parentId: row.parentId } },
      { name: 'post.counts', body: counts },
    ]);
    this.#deps.notifier.dispatch(notify);
    // Visible a moment ago, and the viewer wrote it: no need to ask again.
    const [view] = await this.#views(viewerId, [row]);
    if (view === undefined) throw new NotFoundError('comment');
    return view;
  }

  async edit(viewerId: string, request: Request<'comments.edit'>): Promise<CommentView> {
    const text = request.text.trim();
    checkPlainText(text, 'text');
    const comment = await this.visible(viewerId, request.commentId);
    if (comment.authorId !== viewerId || comment.deletedAt !== null) throw new NotFoundError('comment');
    await this.#deps.db.update(comments).set({ text, editedAt: new Date() }).where(eq(comments.id, comment.id));
    await emit(this.#deps, 'post', comment.postId, 'comment.changed', { postId: comment.postId, commentId: comment.id, deleted: false });
    return this.get(viewerId, comment.id);
  }

  async remove(viewerId: string, commentId: string): Promise<Record<string, never>> {
    const { db } = this.#deps;
    const comment = await this.visible(viewerId, commentId);
    const [post] = await db.select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, comment.postId));
    if (comment.deletedAt !== null || (comment.authorId !== viewerId && post?.authorId !== viewerId)) throw new NotFoundError('comment');
    await db.transaction(async (tx) => {
      const [gone] = await tx
        .update(comments)
        .set({ deletedAt: new Date(), text: '' })
        .where(and(eq(comments.id, comment.id), isNull(comments.deletedAt)))
        .returning({ id: comments.id });
      if (gone === undefined) return;
      await tx
        .update(posts)
        .set({ commentCount: sql`${posts.commentCount} - 1` })
        .where(eq(posts.id, comment.postId));
      if (comment.parentId !== null)
        await tx
          .update(comments)
          .set({ replyCount: sql`${comments.replyCount} - 1` })
          .where(eq(comments.id, comment.parentId));
    });
    await emit(this.#deps, 'post', comment.postId, 'comment.changed', { postId: comment.postId, commentId, deleted: true });
    await emit(this.#deps, 'post', comment.postId, 'post.counts', await this.#posts.countsEvent(comment.postId));
    return {};
  }

  async list(viewerId: string, request: Request<'comments.list'>) {
    await this.#posts.visible(viewerId, request.postId);
    const after = decodeCursor(request.cursor, 1);
    const rows = await this.#deps.db
      .select()
      .from(comments)
      .where(
        and(
          eq(comments.postId, request.postId),
          request.parentId === undefined ? isNull(comments.parentId) : eq(comments.parentId, request.parentId),
          notBlockedWith(viewerId, comments.authorId),
          // A deleted comment shows only as the placeholder its answers hang from.
          sql`(${comments.deletedAt} is null or ${comments.replyCount} > 0)`,
          after === undefined ? undefined : gt(comments.id, after[0] as string),
        ),
      )
      .orderBy(asc(comments.id))
      .limit(PAGE_SIZE + 1);
    const page = pageOf(
      rows,
      PAGE_SIZE,
      (row) => [row.id],
      (row) => row,
    );
    return { items: await this.#views(viewerId, page.items), nextCursor: page.nextCursor };
  }
}
