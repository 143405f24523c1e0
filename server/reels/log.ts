// The interaction log's entries made by the posts calls on a reel's post: a like (any first
// reaction; taken back with it), a comment, a save (taken back with it) and a share. One statement
// each, in the caller's transaction, that does nothing when the post is no reel or the person is
// its author (their own reel teaches the recommender nothing about their taste).
import { sql } from 'drizzle-orm';
import type { Tx } from '../posts/posts.ts';

type Logged = 'like' | 'comment' | 'save' | 'share';

export async function logOnReel(tx: Tx, postId: string, userId: string, kind: Logged): Promise<void> {
  await tx.execute(sql`
    insert into reel_interactions (id, reel_id, user_id, kind, created_at)
    select ${Bun.randomUUIDv7()}, r.post_id, ${userId}, ${kind}, now() from reels r
    where r.post_id = ${postId} and r.author_id <> ${userId} and r.deleted_at is null`);
}

export async function unlogOnReel(tx: Tx, postId: string, userId: string, kind: 'like' | 'save'): Promise<void> {
  await tx.execute(sql`delete from reel_interactions where reel_id = ${postId} and user_id = ${userId} and kind = ${kind}`);
}
