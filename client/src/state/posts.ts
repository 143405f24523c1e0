// The social core as the client sees it: the shapes of posts and comments (from the catalogue),
// the closed lists the screens offer (protocol/lists.ts, which carries no schema code), and
// the optimistic guesses made before the server answers.

import type { CallResponse } from '../../../protocol/catalogue.ts';
import { REACTIONS, type REPORT_REASONS, type VISIBILITIES } from '../../../protocol/lists.ts';

export type Post = CallResponse<'posts.get'>;
export type SharedPost = Exclude<Post['shared'], null | { unavailable: true }>;
export type Comment = CallResponse<'comments.get'>;
export type Poll = NonNullable<Post['poll']>;
export type Entity = Post['entities'][number];
export type ReactionKind = (typeof REACTIONS)[number];
export type ReactionCounts = Post['reactions'];
export type Visibility = (typeof VISIBILITIES)[number];
export type ReportReason = (typeof REPORT_REASONS)[number];
export type FeedMode = 'chronological' | 'ranked';
export type Why = NonNullable<CallResponse<'feed.home'>['items'][number]['why']>;

/** The reactions given most, most first (at most three), for a post's summary line. */
export function topReactions(counts: ReactionCounts): ReactionKind[] {
  return (Object.keys(counts) as ReactionKind[])
    .filter((kind) => counts[kind] > 0)
    .sort((a, b) => counts[b] - counts[a])
    .slice(0, 3);
}

/** The counts once the user's reaction goes from `mine` to `next` (null: none). */
export function reacted(counts: ReactionCounts, mine: ReactionKind | null, next: ReactionKind | null): ReactionCounts {
  const after = { ...counts };
  if (mine !== null) after[mine] = Math.max(0, after[mine] - 1);
  if (next !== null) after[next] += 1;
  return after;
}

export function totalReactions(counts: ReactionCounts): number {
  return REACTIONS.reduce((sum, kind) => sum + counts[kind], 0);
}

/** The poll once the user's votes go from `myVotes` to `positions` (the optimistic guess). */
export function voted(poll: Poll, positions: number[]): Poll {
  const before = new Set(poll.myVotes);
  const after = new Set(positions);
  const options = poll.options.map((option, index) => ({
    ...option,
    votes: option.votes - (before.has(index) ? 1 : 0) + (after.has(index) ? 1 : 0),
  }));
  const voters = poll.voters - (before.size > 0 ? 1 : 0) + (after.size > 0 ? 1 : 0);
  return { ...poll, options, voters, myVotes: positions };
}

/** The positions chosen after tapping option `index`: one choice, or a set when multiple. */
export function choose(poll: Poll, index: number): number[] {
  if (!poll.multiple) return poll.myVotes.includes(index) ? [] : [index];
  return poll.myVotes.includes(index) ? poll.myVotes.filter((each) => each !== index) : [...poll.myVotes, index].sort((a, b) => a - b);
}
