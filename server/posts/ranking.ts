// The ranked feed's formula, kept pure so it can be tested as a property and explained item by
// item: score = closeness × recency × (1 + ln(1 + engagement)) × topic weight, where closeness is
// 2 for your close friends, 1.5 for friends, 1.2 for your own posts and 1 for people you follow;
// recency halves every 24 hours; engagement is reactions + 2 × comments + 3 × shares; and a post
// with a hashtag you asked to see less of scores a quarter. Ties go to the newer post.

type Closeness = 'you' | 'close_friend' | 'friend' | 'following';

export interface Candidate {
  id: string;
  createdAt: number;
  relation: Closeness;
  reactions: number;
  comments: number;
  shares: number;
  hashtags: string[];
}

export interface Why {
  relation: Closeness;
  ageHours: number;
  engagement: number;
  topicWeight: number;
  lessOf: string[];
  score: number;
}

const CLOSENESS: Record<Closeness, number> = { close_friend: 2, friend: 1.5, you: 1.2, following: 1 };
const RECENCY_HALF_LIFE_HOURS = 24;
const LESS_OF_WEIGHT = 0.25;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function scored(candidate: Candidate, lessOf: ReadonlySet<string>, now: number): { why: Why; exact: number } {
  const ageHours = Math.max(0, (now - candidate.createdAt) / 3600_000);
  const engagement = candidate.reactions + 2 * candidate.comments + 3 * candidate.shares;
  const matched = candidate.hashtags.filter((tag) => lessOf.has(tag));
  const topicWeight = matched.length > 0 ? LESS_OF_WEIGHT : 1;
  const exact = CLOSENESS[candidate.relation] * 2 ** (-ageHours / RECENCY_HALF_LIFE_HOURS) * (1 + Math.log1p(engagement)) * topicWeight;
  return {
    why: { relation: candidate.relation, ageHours: round(ageHours, 2), engagement, topicWeight, lessOf: matched, score: round(exact, 4) },
    exact,
  };
}

export function explain(candidate: Candidate, lessOf: ReadonlySet<string>, now: number): Why {
  return scored(candidate, lessOf, now).why;
}

/** Candidates best first, each with why it is there (sorted on the unrounded score). */
export function rank(candidates: readonly Candidate[], lessOf: ReadonlySet<string>, now: number): { id: string; why: Why }[] {
  return candidates
    .map((candidate) => ({ id: candidate.id, ...scored(candidate, lessOf, now) }))
    .sort((a, b) => b.exact - a.exact || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map(({ id, why }) => ({ id, why }));
}
