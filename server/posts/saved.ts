// Saved posts (bookmarks): a user keeps posts to read again; only they see the list. Saving needs
// the right to see the post, as reading it does, and is idempotent. Each user keeps at most
// SAVED_POSTS_MAX; the count and the insert run under a per-user advisory lock, so parallel saves
// cannot pass the limit together, and at the limit the saved posts the user can no longer see are
// forgotten first (the list leaves them out anyway; refused, the transaction keeps them). A change
// is told on `user:<id>` so the user's other devices show it.
import { and, eq, sql } from 'drizzle-orm';
import { emit } from '../events.ts';
import type { SocialDeps } from '../people/context.ts';
import { decodeTypedCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import { anyOf } from '../platform/db/any-of.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { logOnReel, unlogOnReel } from '../reels/log.ts';
import { TooManySavedPostsError } from './errors.ts';
import type { Posts } from './posts.ts';
import { posts, savedPosts } from './schema.ts';
import { postViews } from './views.ts';
import { visibleTo } from './visibility.ts';

/** The list's cursor: when the last post of the page was saved and its id, both checked before any query. */
function savedCursor(cursor: string | undefined): { savedAt: string; postId: string } | undefined {
  const key = decodeTypedCursor(cursor, ['time', 'uuid']);
  return key === undefined ? undefined : { savedAt: key[0] as string, postId: key[1] as string };
}

export class Saved {
  readonly #deps: SocialDeps;
  readonly #posts: Posts;

  constructor(deps: SocialDeps, posts: Posts) {
    this.#deps = deps;
    this.#posts = posts;
  }

  async save(userId: string, postId: string, saved: boolean): Promise<{ saved: boolean }> {
    // Saving needs the right to see the post; taking one's own save back never does (a post that
    // became hidden can still leave the list).
    if (saved) await this.#posts.visible(userId, postId);
    const { db } = this.#deps;
    const changed = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`saved:${userId}`}, 0))`);
      const key = and(eq(savedPosts.userId, userId), eq(savedPosts.postId, postId));
      if (!saved) {
        const removed = (await tx.delete(savedPosts).where(key).returning({ postId: savedPosts.postId })).length > 0;
        if (removed) await unlogOnReel(tx, postId, userId, 'save');
        return removed;
      }
      const [already] = await tx.select({ postId: savedPosts.postId }).from(savedPosts).where(key);
      if (already !== undefined) return false;
      const max = this.#deps.savedPostsMax;
      const count = async () =>
        rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from saved_posts where user_id = ${userId}`))[0]?.n ?? 0;
      if ((await count()) >= max) {
        await tx.execute(sql`
          delete from saved_posts s where s.user_id = ${userId}
            and not exists (select 1 from posts p where p.id = s.post_id and ${visibleTo(userId)})`);
        if ((await count()) >= max) throw new TooManySavedPostsError(max);
      }
      await tx.insert(savedPosts).values({ userId, postId, savedAt: new Date() });
      await logOnReel(tx, postId, userId, 'save');
      return true;
    });
    if (changed) await emit(this.#deps, 'user', userId, 'saved.changed', { postId, saved });
    return { saved };
  }

  /** The user's saved posts they may still see, newest save first; the cursor is (saved at, post id) of the last one. */
  async list(userId: string, cursor: string | undefined) {
    const { db } = this.#deps;
    const after = savedCursor(cursor);
    const keys = rowsOf<{ post_id: string; saved_at: string | Date }>(
      await db.execute(sql`
        select s.post_id, s.saved_at from saved_posts s join posts p on p.id = s.post_id
        where s.user_id = ${userId}
          ${after === undefined ? sql`` : sql`and (s.saved_at, s.post_id) < (${after.savedAt}::timestamptz, ${after.postId}::uuid)`}
          and ${visibleTo(userId)}
        order by s.saved_at desc, s.post_id desc limit ${PAGE_SIZE + 1}`),
    );
    const page = pageOf(
      keys,
      PAGE_SIZE,
      (key) => [new Date(key.saved_at).toISOString(), key.post_id],
      (key) => key.post_id,
    );
    const rows = page.items.length === 0 ? [] : await db.select().from(posts).where(anyOf(posts.id, page.items));
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ordered = page.items.flatMap((id) => {
      const row = byId.get(id);
      return row === undefined ? [] : [row];
    });
    return { items: await postViews(db, userId, ordered), nextCursor: page.nextCursor };
  }
}
