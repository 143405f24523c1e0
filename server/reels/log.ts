// The interaction log's entries made by the posts calls on a reel's post: a like (any first
// reaction; taken back with it), a comment, a save (taken back with it) and a share (as a post,
// or in a chat message: chats.send). One statement
// each, in the caller's transaction, that does nothing when the post is no reel or the person is
// its author (their own reel teaches the recommender nothing about their taste).
import { sql } from 'drizzle-orm';
import type { Database } from '../platform/db/index.ts';
import type { Tx } from '../posts/posts.ts';

type Logged = 'like' | 'comment' | 'save' | 'share';

/** `id`: the entry's id, when what it logs has one of its own (a message sharing the reel): logged once however often it is retried. */
export async function logOnReel(tx: Tx | Database, postId: string, userId: string, kind: Logged, id = Bun.randomUUIDv7()): Promise<void> {
  await tx.execute(sql`
    insert into reel_interactions (id, reel_id, user_id, kind, created_at)
    select ${id}, r.post_id, ${userId}, ${kind}, now() from reels r
    where r.post_id = ${postId} and r.author_id <> ${userId} and r.deleted_at is null
    on conflict (id) do nothing`);
}

export async function unlogOnReel(tx: Tx, postId: string, userId: string, kind: 'like' | 'save'): Promise<void> {
  await tx.execute(sql`delete from reel_interactions where reel_id = ${postId} and user_id = ${userId} and kind = ${kind}`);
}
