// The For You feed, in the seed's four phases. (1) Candidates: reels of the last 48 hours in the
// viewer's languages that they may see and have not watched, not by themselves, by a creator they
// muted or of a session's earlier pages; when fewer than a page remain the search widens to older
// reels, then to other languages, which fill the page after the first search's (each item says
// so). (2) Features: per reel its hashtags, caption vector, engagement and its creator's reach;
// per viewer a taste read from what they watched and did (taste below); a caption vector made by
// another embedder than the node's (reels.caption_model) is read as none, so two spaces are never
// compared (the caption job re-embeds it: captions.ts). (3) Score and (4)
// arrangement: ranking.ts. A session is the cursor: the reels served so far and where the
// arrangement stands are kept in the cache for an hour, so the next page continues it (no reel
// twice, no creator twice across the page break, the cold-start slots counted over the session).
import { sql } from 'drizzle-orm';
import type { Cache } from '../platform/cache/index.ts';
import { decodeTypedCursor, encodeCursor } from '../platform/cursor.ts';
import { anyOf, uuids } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { visibleTo } from '../posts/visibility.ts';
import type { CaptionEmbedder } from './embedder.ts';
import { arrange, type Position, type ReelCandidate, type ReelWhy, type Taste } from './ranking.ts';
import { languageOf } from './reels.ts';
import { reels } from './schema.ts';
import { blend } from './vectors.ts';
import { type ReelRow, type ReelView, reelViews } from './views.ts';
import { actedWeight, watchedWeight } from './weights.ts';

/** Reels in one page of the For You feed. */
export const FOR_YOU_PAGE = 10;
/** Candidates read per search (the newest first). */
const CANDIDATES = 300;
/** Reels the taste is read from: the viewer's most recent. */
const TASTE_REELS = 200;
const RECENT_HOURS = 48;
const SESSION_MS = 3_600_000;
/** Reels a session remembers having served (past that, the oldest are forgotten). */
const SESSION_SERVED = 500;

interface Session extends Position {
  served: number;
  ids: string[];
}

type Widening = ReelCandidate['widened'];

interface CandidateRow {
  post_id: string;
  author_id: string;
  created_at: Date | string;
  hashtags: string[];
  caption_vector: number[] | null;
  collab_vector: number[] | null;
  view_count: number;
  engagements: number;
  reach: number;
}

export class ForYou {
  readonly #db: Database;
  readonly #cache: Cache;
  readonly #embedder: CaptionEmbedder;

  constructor(deps: { db: Database; cache: Cache; embedder: CaptionEmbedder }) {
    this.#db = deps.db;
    this.#cache = deps.cache;
    this.#embedder = deps.embedder;
  }

  /** The reel's caption vector if the node's embedder made it; null otherwise. */
  get #captionVector() {
    return sql`case when r.caption_model = ${this.#embedder.name} then r.caption_vector end as caption_vector`;
  }

  async page(
    viewerId: string,
    cursor: string | undefined,
  ): Promise<{ items: { reel: ReelView; why: ReelWhy }[]; nextCursor: string | null }> {
    const [sessionId = Bun.randomUUIDv7()] = decodeTypedCursor(cursor, ['uuid']) ?? [];
    const key = `reels:foryou:${viewerId}:${sessionId}`;
    const stored = await this.#cache.get(key);
    const session: Session = stored === null ? { lastCreatorId: null, served: 0, ids: [] } : (JSON.parse(stored) as Session);
    const [taste, languages] = await Promise.all([this.taste(viewerId), this.#languages(viewerId)]);
    const candidates = await this.candidates(viewerId, languages, session.ids);
    const now = Date.now();
    // Widened candidates fill what the first search left: the viewer's fresh reels in their own
    // languages come before older ones, and those before other languages, whatever they score.
    const page: ReturnType<typeof arrange> = [];
    for (const tier of [null, 'older', 'language'] as const) {
      const position = { lastCreatorId: page.at(-1)?.candidate.creatorId ?? session.lastCreatorId, served: session.served + page.length };
      const left = FOR_YOU_PAGE - page.length;
      if (left > 0)
        page.push(
          ...arrange(
            candidates.filter((candidate) => candidate.widened === tier),
            taste,
            now,
            position,
            left,
          ),
        );
    }
    const views = new Map(
      (await reelViews(this.#db, viewerId, await this.#rows(page.map((entry) => entry.candidate.id)))).map((view) => [view.post.id, view]),
    );
    const items = page.flatMap((entry) => {
      const reel = views.get(entry.candidate.id);
      return reel === undefined ? [] : [{ reel, why: entry.why }];
    });
    const next: Session = {
      lastCreatorId: page.at(-1)?.candidate.creatorId ?? session.lastCreatorId,
      served: session.served + page.length,
      ids: [...session.ids, ...page.map((entry) => entry.candidate.id)].slice(-SESSION_SERVED),
    };
    await this.#cache.set(key, JSON.stringify(next), { ttlMs: SESSION_MS });
    return { items, nextCursor: page.length === 0 ? null : encodeCursor([sessionId]) };
  }

  async #rows(ids: string[]): Promise<ReelRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db.select().from(reels).where(anyOf(reels.postId, ids));
    const byId = new Map(rows.map((row) => [row.postId, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async #languages(viewerId: string): Promise<string[]> {
    const [row] = rowsOf<{ language: string; locale: string | null }>(
      await this.#db.execute(sql`
        select u.language, pr.locale from users u left join profiles pr on pr.user_id = u.id where u.id = ${viewerId}`),
    );
    return [
      ...new Set([row?.language ?? 'en', ...(row?.locale === null || row?.locale === undefined ? [] : [row.locale])].map(languageOf)),
    ];
  }

  /** Phase 1: the newest reels the viewer may see and has not seen, widening when fewer than a page remain. */
  async candidates(viewerId: string, languages: string[], served: readonly string[]): Promise<ReelCandidate[]> {
    const searches: [Widening, ReturnType<typeof sql>][] = [
      [null, sql`r.language = any(${sql.param(languages)}::text[]) and r.created_at > now() - make_interval(hours => ${RECENT_HOURS})`],
      ['older', sql`r.language = any(${sql.param(languages)}::text[]) and r.created_at <= now() - make_interval(hours => ${RECENT_HOURS})`],
      ['language', sql`r.language <> all(${sql.param(languages)}::text[])`],
    ];
    const found: ReelCandidate[] = [];
    for (const [widened, where] of searches) {
      const rows = rowsOf<CandidateRow>(
        await this.#db.execute(sql`
          select r.post_id, r.author_id, r.created_at, p.hashtags, ${this.#captionVector}, rv.collab as collab_vector, r.view_count,
            (p.like_count + p.love_count + p.haha_count + p.wow_count + p.sad_count + p.angry_count
              + p.comment_count + p.share_count + r.completions
              + (select count(*) from reel_interactions i where i.reel_id = r.post_id and i.kind = 'save'))::int as engagements,
            coalesce(c.views, 0) as reach
          from reels r join posts p on p.id = r.post_id left join reel_creators c on c.author_id = r.author_id
            left join reel_vectors rv on rv.reel_id = r.post_id
          where r.deleted_at is null and ${where} and r.author_id <> ${viewerId}
            and ${visibleTo(viewerId)}
            and not exists (select 1 from reel_viewers v where v.reel_id = r.post_id and v.user_id = ${viewerId})
            and not exists (select 1 from feed_mutes m where m.user_id = ${viewerId} and m.muted_id = r.author_id)
            ${served.length === 0 ? sql`` : sql`and r.post_id <> all(${uuids([...served])})`}
          order by r.created_at desc limit ${CANDIDATES}`),
      );
      for (const row of rows)
        found.push({
          id: row.post_id,
          creatorId: row.author_id,
          createdAt: new Date(row.created_at).getTime(),
          hashtags: row.hashtags,
          vector: blend(row.caption_vector, row.collab_vector, row.view_count, this.#embedder.dimensions),
          views: row.view_count,
          engagements: row.engagements,
          creatorReach: row.reach,
          widened,
        });
      if (found.length >= FOR_YOU_PAGE) break;
    }
    return found;
  }

  /**
   * Phase 2, the viewer's side: from their TASTE_REELS most recently watched reels and what they
   * did with them (weights.ts), hashtag weights, a taste vector (the weighted sum of those
   * reels' vectors, unit length) and the creators they were not interested in.
   */
  async taste(viewerId: string): Promise<Taste> {
    const rows = rowsOf<{
      author_id: string;
      hashtags: string[];
      caption_vector: number[] | null;
      collab_vector: number[] | null;
      view_count: number;
      weight: number;
      not_interested: boolean;
    }>(
      await this.#db.execute(sql`
        with recent as (
          select v.reel_id, v.not_interested, ${watchedWeight} as weight
          from reel_viewers v where v.user_id = ${viewerId} order by v.last_at desc limit ${TASTE_REELS}
        ), acted as (
          select i.reel_id, sum(${actedWeight}) as weight
          from (select reel_id, kind from reel_interactions where user_id = ${viewerId} and kind in ('like', 'comment', 'save', 'share')
            order by created_at desc limit ${TASTE_REELS}) i
          group by i.reel_id
        ), weighted as (
          select reel_id, sum(weight)::float8 as weight, bool_or(not_interested) as not_interested
          from (select reel_id, weight, not_interested from recent union all select reel_id, weight, false from acted) x
          group by reel_id
        )
        select r.author_id, p.hashtags, ${this.#captionVector}, rv.collab as collab_vector, r.view_count, w.weight, w.not_interested
        from weighted w join reels r on r.post_id = w.reel_id join posts p on p.id = r.post_id
          left join reel_vectors rv on rv.reel_id = r.post_id`),
    );
    const hashtags = new Map<string, number>();
    const lessCreators = new Map<string, number>();
    let vector: number[] | null = null;
    for (const row of rows) {
      for (const tag of row.hashtags) hashtags.set(tag, (hashtags.get(tag) ?? 0) + row.weight);
      if (row.not_interested) lessCreators.set(row.author_id, (lessCreators.get(row.author_id) ?? 0) + 1);
      const reelVector = blend(row.caption_vector, row.collab_vector, row.view_count, this.#embedder.dimensions);
      if (reelVector !== null) {
        vector ??= new Array<number>(reelVector.length).fill(0);
        for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) + row.weight * (reelVector[i] ?? 0);
      }
    }
    const norm = vector === null ? 0 : Math.hypot(...vector);
    return { hashtags, lessCreators, vector: vector === null || norm === 0 ? null : vector.map((value) => value / norm) };
  }
}
