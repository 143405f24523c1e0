// Reels: posting one (a post and its reel row in one transaction, through posts so that mentions,
// hashtags, trends, the feed fan-out and retries by clientId work as for any post), reading one,
// a creator's grid, the Following tab, editing (the caption and audience through posts.edit, the
// cover and switches here) and "not interested". Deleting is posts.delete, which marks the reel
// deleted in its transaction.
import type { Static } from '@sinclair/typebox';
import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { reelCalls } from '../../protocol/calls/reels.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { SocialDeps } from '../people/context.ts';
import { decodeTypedCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import { anyOf } from '../platform/db/any-of.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Posts } from '../posts/posts.ts';
import { posts } from '../posts/schema.ts';
import { mentionsAndTags } from '../posts/text.ts';
import { reelInteractions, reels, reelViewers, sounds } from './schema.ts';
import { type ReelRow, type ReelView, reelViews, reelVisibleTo } from './views.ts';

type Request<N extends keyof typeof reelCalls> = Static<(typeof reelCalls)[N]['request']>;

/** "es-MX" → "es": the For You feed matches languages, not regions. */
export const languageOf = (locale: string) => (locale.split('-')[0] ?? locale).toLowerCase();

function checkCover(coverMs: number | undefined, durationMs: number) {
  if (coverMs !== undefined && coverMs > durationMs)
    throw new InvalidInputError(`the cover frame is within the video (0 to ${durationMs} ms)`, { field: 'coverMs' });
}

export class Reels {
  readonly #deps: SocialDeps;
  readonly #posts: Posts;

  constructor(deps: SocialDeps, posts: Posts) {
    this.#deps = deps;
    this.#posts = posts;
  }

  async create(authorId: string, request: Request<'reels.create'>): Promise<ReelView> {
    const [video] = await this.#deps.media.attachable(authorId, [request.mediaId], ['reel']);
    const durationMs = video?.durationMs ?? 0;
    checkCover(request.coverMs, durationMs);
    // A composed video credits what it was made from: checked again, as it may have changed since.
    const credit = video?.recipe?.credit ?? { soundId: null, remix: null };
    const remix = credit.remix === null ? undefined : await this.remixable(authorId, credit.remix.reelId, credit.remix.kind);
    const ownSound =
      credit.soundId === null && credit.remix?.kind !== 'duet' && (video?.files ?? []).some((file) => file.name === 'sound.m4a');
    if (request.soundTitle !== undefined && !ownSound)
      throw new InvalidInputError('only a reel whose audio is its own gives an original sound to name', { field: 'soundTitle' });
    // The caption as posts will store it (trimmed, its hashtags taken from it), embedded before
    // the transaction: a model's inference takes milliseconds no row lock should wait for.
    const caption = (request.caption ?? '').trim();
    const { captions } = this.#deps;
    const captionVector = await captions.embed(caption, mentionsAndTags(caption).hashtags);
    const post = await this.#posts.create(
      authorId,
      {
        text: request.caption,
        visibility: request.audience,
        mediaIds: [request.mediaId],
        petId: request.petId,
        clientId: request.clientId,
      },
      {
        mediaKinds: ['reel'],
        within: async (tx, row) => {
          // The sound a reel was made with may have gone with its own reel since: the reel keeps its audio.
          const [usedSound] =
            credit.soundId === null ? [] : await tx.select({ id: sounds.id }).from(sounds).where(eq(sounds.id, credit.soundId));
          await tx.insert(reels).values({
            postId: row.id,
            authorId,
            mediaId: request.mediaId,
            durationMs,
            coverMs: request.coverMs ?? 0,
            language: languageOf(row.locale),
            allowDuet: request.allowDuet ?? true,
            allowStitch: request.allowStitch ?? true,
            soundId: usedSound?.id ?? null,
            remixKind: remix === undefined ? null : (credit.remix?.kind ?? null),
            remixOf: remix?.postId ?? null,
            filter: video?.recipe?.filter ?? null,
            captionVector,
            captionModel: captions.name,
            createdAt: row.createdAt,
          });
          if (!ownSound) return;
          const soundId = Bun.randomUUIDv7();
          await tx.insert(sounds).values({
            id: soundId,
            creatorId: authorId,
            originReelId: row.id,
            mediaId: request.mediaId,
            title: request.soundTitle ?? null,
            durationMs,
            createdAt: row.createdAt,
          });
          await tx.update(reels).set({ soundId }).where(eq(reels.postId, row.id));
        },
      },
    );
    // A clientId once used for a plain post answers that post, which is no reel.
    return this.get(authorId, post.id);
  }

  /**
   * The reel `viewerId` may duet or stitch: one they may see (NOT_FOUND otherwise), public (or
   * theirs), with that switch on (REMIX_NOT_ALLOWED otherwise).
   */
  async remixable(viewerId: string, reelId: string, kind: 'duet' | 'stitch'): Promise<ReelRow> {
    const found = await this.#seen(viewerId, reelId);
    const { reel } = found;
    if (found.visibility !== 'public' && reel.authorId !== viewerId)
      throw new ConflictError('REMIX_NOT_ALLOWED', `only a public reel can be ${kind === 'duet' ? 'dueted' : 'stitched'}`, 'reelId');
    if (!(kind === 'duet' ? reel.allowDuet : reel.allowStitch))
      throw new ConflictError(
        'REMIX_NOT_ALLOWED',
        `its author turned ${kind === 'duet' ? 'duets' : 'stitches'} off for this reel`,
        'reelId',
      );
    return reel;
  }

  /** The reel if the viewer may see it; NOT_FOUND otherwise (deleted, its audience, a block). */
  async visible(viewerId: string, reelId: string): Promise<ReelRow> {
    return (await this.#seen(viewerId, reelId)).reel;
  }

  /** The reel and its post's audience, read and checked in one statement (aliased as the visibility rule's SQL names them: r, p). */
  async #seen(viewerId: string, reelId: string): Promise<{ reel: ReelRow; visibility: string }> {
    const r = alias(reels, 'r');
    const p = alias(posts, 'p');
    const [found] = await this.#deps.db
      .select({ reel: r, visibility: p.visibility })
      .from(r)
      .innerJoin(p, eq(p.id, r.postId))
      .where(and(eq(r.postId, reelId), reelVisibleTo(viewerId)));
    if (found === undefined) throw new NotFoundError('reel');
    return found;
  }

  async get(viewerId: string, reelId: string): Promise<ReelView> {
    const [view] = await reelViews(this.#deps.db, viewerId, [await this.visible(viewerId, reelId)]);
    if (view === undefined) throw new NotFoundError('reel');
    return view;
  }

  async edit(authorId: string, request: Request<'reels.edit'>): Promise<ReelView> {
    const [current] = await this.#deps.db
      .select()
      .from(reels)
      .where(and(eq(reels.postId, request.reelId), eq(reels.authorId, authorId), sql`${reels.deletedAt} is null`));
    if (current === undefined) throw new NotFoundError('reel');
    // Everything is checked before anything is written: a refused edit changes nothing.
    checkCover(request.coverMs, current.durationMs);
    if (request.caption !== undefined || request.audience !== undefined)
      await this.#posts.edit(authorId, { postId: current.postId, text: request.caption, visibility: request.audience });
    const set: Partial<typeof reels.$inferInsert> = {};
    if (request.coverMs !== undefined) set.coverMs = request.coverMs;
    if (request.allowDuet !== undefined) set.allowDuet = request.allowDuet;
    if (request.allowStitch !== undefined) set.allowStitch = request.allowStitch;
    if (Object.keys(set).length > 0) await this.#deps.db.update(reels).set(set).where(eq(reels.postId, current.postId));
    return this.get(authorId, current.postId);
  }

  async byAuthor(viewerId: string, request: Request<'reels.byAuthor'>) {
    const after = decodeTypedCursor(request.cursor, ['uuid']);
    return this.page(
      viewerId,
      rowsOf<{ id: string }>(
        await this.#deps.db.execute(sql`
          select r.post_id as id from reels r join posts p on p.id = r.post_id
          where r.author_id = ${request.userId} and ${reelVisibleTo(viewerId)}
            ${after === undefined ? sql`` : sql`and r.post_id < ${after[0]}`}
          order by r.post_id desc limit ${PAGE_SIZE + 1}`),
      ),
    );
  }

  /** Reels of the people the viewer follows, newest first, leaving out creators muted in the feed and reels marked "not interested". */
  async following(viewerId: string, cursor: string | undefined) {
    const after = decodeTypedCursor(cursor, ['uuid']);
    return this.page(
      viewerId,
      rowsOf<{ id: string }>(
        await this.#deps.db.execute(sql`
          select r.post_id as id from follows f
          join reels r on r.author_id = f.followee_id
          join posts p on p.id = r.post_id
          where f.follower_id = ${viewerId} and ${reelVisibleTo(viewerId)}
            and not exists (select 1 from feed_mutes m where m.user_id = ${viewerId} and m.muted_id = r.author_id)
            and not exists (select 1 from reel_viewers v where v.reel_id = r.post_id and v.user_id = ${viewerId} and v.not_interested)
            ${after === undefined ? sql`` : sql`and r.post_id < ${after[0]}`}
          order by r.post_id desc limit ${PAGE_SIZE + 1}`),
      ),
    );
  }

  /** A page of reels found in order (PAGE_SIZE and one more, to know whether more follow), as the viewer sees them. */
  async page(viewerId: string, found: { id: string }[]) {
    const { db } = this.#deps;
    const rows =
      found.length === 0
        ? []
        : await db
            .select()
            .from(reels)
            .where(
              anyOf(
                reels.postId,
                found.map((row) => row.id),
              ),
            );
    const byId = new Map(rows.map((row) => [row.postId, row]));
    const page = pageOf(
      found.flatMap((row) => byId.get(row.id) ?? []),
      PAGE_SIZE,
      (row) => [row.postId],
      (row) => row,
    );
    return { items: await reelViews(db, viewerId, page.items), nextCursor: page.nextCursor };
  }

  /** "Not interested" (or, with `interested`, taken back): kept on the viewer's row and in the interaction log. */
  async notInterested(viewerId: string, request: Request<'reels.notInterested'>): Promise<{ notInterested: boolean }> {
    const reel = await this.visible(viewerId, request.reelId);
    if (reel.authorId === viewerId) throw new InvalidInputError('this is your own reel', { field: 'reelId' });
    const notInterested = request.interested !== true;
    const now = new Date();
    await this.#deps.db.transaction(async (tx) => {
      const [before] = await tx
        .insert(reelViewers)
        .values({ reelId: reel.postId, userId: viewerId, firstAt: now, lastAt: now })
        .onConflictDoUpdate({ target: [reelViewers.reelId, reelViewers.userId], set: { lastAt: now } })
        .returning({ notInterested: reelViewers.notInterested });
      if (before?.notInterested === notInterested) return;
      await tx
        .update(reelViewers)
        .set({ notInterested })
        .where(and(eq(reelViewers.reelId, reel.postId), eq(reelViewers.userId, viewerId)));
      if (notInterested)
        await tx
          .insert(reelInteractions)
          .values({ id: Bun.randomUUIDv7(), reelId: reel.postId, userId: viewerId, kind: 'not_interested', createdAt: now });
      else
        await tx
          .delete(reelInteractions)
          .where(
            and(
              eq(reelInteractions.reelId, reel.postId),
              eq(reelInteractions.userId, viewerId),
              eq(reelInteractions.kind, 'not_interested'),
            ),
          );
    });
    return { notInterested };
  }
}
