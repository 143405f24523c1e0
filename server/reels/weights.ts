// How much each thing a viewer did with a reel says about their taste (negative: less of it), as
// the For You taste (foryou.ts) and the collaborative vectors (collaborative.ts) both read it: one
// definition, as SQL over a `reel_viewers` row aliased `v` and a `reel_interactions` row aliased `i`.
import { type SQL, sql } from 'drizzle-orm';

const TASTE_WEIGHTS = { completed: 2, viewed: 1, skipped: -0.5, notInterested: -3, like: 2, comment: 2, save: 2, share: 3 } as const;

const w = (value: number) => sql`${value}::float8`;

/** SQL: the weight of the viewer row `v` (finished or viewed, skipped, not interested). */
export const watchedWeight: SQL = sql`(case when v.completed then ${w(TASTE_WEIGHTS.completed)} when v.viewed then ${w(TASTE_WEIGHTS.viewed)} else 0 end)
  + (case when v.skipped then ${w(TASTE_WEIGHTS.skipped)} else 0 end)
  + (case when v.not_interested then ${w(TASTE_WEIGHTS.notInterested)} else 0 end)`;

/** SQL: the weight of the interaction `i` (a like, comment, save or share). */
export const actedWeight: SQL = sql`(case i.kind when 'like' then ${w(TASTE_WEIGHTS.like)} when 'comment' then ${w(TASTE_WEIGHTS.comment)}
  when 'save' then ${w(TASTE_WEIGHTS.save)} else ${w(TASTE_WEIGHTS.share)} end)`;
