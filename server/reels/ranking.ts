// The For You feed's ranker, pure so it can be tested as properties and explained item by item.
// It follows the owner's formula:
//
//   score = (0.4 × hashtags + 0.3 × embedding + 0.2 × engagement + 0.1 × freshness) × creator
//
// - hashtags: cosine between the viewer's hashtag weights (what they watched to the end, liked,
//   commented, shared, saved; negative for reels they were not interested in) and the reel's
//   hashtags, 0 when negative or when either side has none;
// - embedding: cosine between the viewer's taste vector and the reel's vector (both unit length;
//   vectors.ts, the caption half by the node's embedder: embedder.ts), 0 when negative or missing;
// - engagement: (reactions + comments + shares + saves + finishes) per view, smoothed toward
//   ENGAGEMENT_PRIOR_RATE as if every reel had ENGAGEMENT_PRIOR_VIEWS more views (so a reel with
//   3 views and 2 likes does not beat one with 3,000 views and 900), full marks at ENGAGEMENT_FULL;
// - freshness: halves every FRESHNESS_HALF_LIFE_HOURS;
// - creator: halved for each reel of this creator the viewer said "not interested" to (at most
//   three times).
//
// Arranging a page: best score first, but never two reels of one creator in a row (a lower reel
// takes the slot: rule `diversity`), and every COLD_START_EVERY-th slot of the session goes to the
// best reel of a creator with little reach (rule `cold_start`) when there is one.

export const WEIGHTS = { hashtags: 0.4, embedding: 0.3, engagement: 0.2, freshness: 0.1 } as const;
const ENGAGEMENT_PRIOR_RATE = 0.1;
export const ENGAGEMENT_PRIOR_VIEWS = 20;
const ENGAGEMENT_FULL = 0.5;
const FRESHNESS_HALF_LIFE_HOURS = 24;
export const COLD_START_EVERY = 10;
/** A creator whose reels were viewed fewer times than this in all (a view counted once per viewer and reel) has little reach. */
export const COLD_START_REACH = 500;
const MAX_CREATOR_PENALTIES = 3;

export interface ReelCandidate {
  id: string;
  creatorId: string;
  createdAt: number;
  hashtags: readonly string[];
  /** Unit length, or null when the reel has none yet. */
  vector: readonly number[] | null;
  views: number;
  /** Reactions + comments + shares + saves + finishes. */
  engagements: number;
  /** Views of all the creator's reels (reel_creators). */
  creatorReach: number;
  /** How the candidate got in when the first search found too few: older than 48 h, another language. */
  widened: 'older' | 'language' | null;
}

export interface Taste {
  hashtags: ReadonlyMap<string, number>;
  vector: readonly number[] | null;
  /** Creator id → reels of theirs the viewer was not interested in. */
  lessCreators: ReadonlyMap<string, number>;
}

type Rule = 'score' | 'diversity' | 'cold_start';

export interface ReelWhy {
  hashtags: number;
  embedding: number;
  engagement: number;
  freshness: number;
  /** 1, or less for a creator the viewer was not interested in. */
  creator: number;
  score: number;
  rule: Rule;
  widened: 'older' | 'language' | null;
}

/** Where the session stands: the creator of the last reel served and how many were served. */
export interface Position {
  lastCreatorId: string | null;
  served: number;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function hashtagSimilarity(weights: ReadonlyMap<string, number>, tags: readonly string[]): number {
  if (tags.length === 0 || weights.size === 0) return 0;
  let dot = 0;
  for (const tag of new Set(tags)) dot += weights.get(tag) ?? 0;
  let norm = 0;
  for (const weight of weights.values()) norm += weight * weight;
  return norm === 0 ? 0 : Math.max(0, Math.min(1, dot / (Math.sqrt(norm) * Math.sqrt(new Set(tags).size))));
}

export function engagementOf(views: number, engagements: number): number {
  const rate = (engagements + ENGAGEMENT_PRIOR_RATE * ENGAGEMENT_PRIOR_VIEWS) / (views + ENGAGEMENT_PRIOR_VIEWS);
  return Math.max(0, Math.min(1, rate / ENGAGEMENT_FULL));
}

function freshnessOf(createdAt: number, now: number): number {
  return 2 ** (-Math.max(0, now - createdAt) / 3_600_000 / FRESHNESS_HALF_LIFE_HOURS);
}

/** The four terms and the score of one reel for one viewer (rule `score` until arranged). */
export function explain(candidate: ReelCandidate, taste: Taste, now: number): ReelWhy & { exact: number } {
  const hashtags = hashtagSimilarity(taste.hashtags, candidate.hashtags);
  const embedding =
    taste.vector === null || candidate.vector === null ? 0 : Math.max(0, Math.min(1, cosine(taste.vector, candidate.vector)));
  const engagement = engagementOf(candidate.views, candidate.engagements);
  const freshness = freshnessOf(candidate.createdAt, now);
  const creator = 0.5 ** Math.min(MAX_CREATOR_PENALTIES, taste.lessCreators.get(candidate.creatorId) ?? 0);
  const exact =
    (WEIGHTS.hashtags * hashtags + WEIGHTS.embedding * embedding + WEIGHTS.engagement * engagement + WEIGHTS.freshness * freshness) *
    creator;
  return {
    hashtags: round(hashtags),
    embedding: round(embedding),
    engagement: round(engagement),
    freshness: round(freshness),
    creator,
    score: round(exact),
    rule: 'score',
    widened: candidate.widened,
    exact,
  };
}

const isCold = (candidate: ReelCandidate) => candidate.creatorReach < COLD_START_REACH;

/**
 * A page of at most `size` reels from the candidates, arranged: best first, no creator twice in a
 * row (the previous page's last reel included), every COLD_START_EVERY-th slot of the session to
 * a creator with little reach. Shorter when only reels of the last creator remain.
 */
export function arrange(
  candidates: readonly ReelCandidate[],
  taste: Taste,
  now: number,
  position: Position,
  size: number,
): { candidate: ReelCandidate; why: ReelWhy }[] {
  const pool = candidates
    .map((candidate) => ({ candidate, ...explain(candidate, taste, now) }))
    .sort((a, b) => b.exact - a.exact || (a.candidate.id < b.candidate.id ? 1 : -1));
  const page: { candidate: ReelCandidate; why: ReelWhy }[] = [];
  let last = position.lastCreatorId;
  while (page.length < size && pool.length > 0) {
    const slot = position.served + page.length + 1;
    const allowed = (entry: (typeof pool)[number]) => entry.candidate.creatorId !== last;
    let at = -1;
    let rule: Rule = 'score';
    if (slot % COLD_START_EVERY === 0) {
      at = pool.findIndex((entry) => allowed(entry) && isCold(entry.candidate));
      if (at >= 0) rule = 'cold_start';
    }
    if (at < 0) {
      at = pool.findIndex(allowed);
      if (at > 0) rule = 'diversity';
    }
    if (at < 0) break;
    const [entry] = pool.splice(at, 1);
    if (entry === undefined) break;
    const { exact: _exact, candidate, ...why } = entry;
    page.push({ candidate, why: { ...why, rule } });
    last = candidate.creatorId;
  }
  return page;
}
