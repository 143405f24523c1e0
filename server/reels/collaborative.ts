// The collaborative half of reel vectors, learned from what people did with reels (a periodic job,
// one node per round: platform/periodic.ts). A round reads the last 30 days of watching and acting
// as one weight per person and reel (finished 2, viewed 1, skipped −0.5, not interested −3, like,
// comment and save 2, share 3: weights.ts), factorises them by implicit ALS
// in a worker thread (als.ts), and stores each reel's factors, unit length, in `reel_vectors`. A reel's vector for the For You feed blends it with the caption vector
// (vectors.ts, `blend`): the more views a reel has, the more its collaborative half counts, so it
// improves as people watch.
import { sql } from 'drizzle-orm';
import { uuids } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Logger } from '../platform/log.ts';
import { PeriodicJob } from '../platform/periodic.ts';
import { ALS_DEFAULTS, type AlsOptions, type Observations, unitRow } from './als.ts';
import { actedWeight, watchedWeight } from './weights.ts';

/** Observations read per round at most: the most recent. */
const MAX_OBSERVATIONS = 2_000_000;
const WRITE_BATCH = 2000;

export interface CollaborativeDeps {
  db: Database;
  log: Logger;
  node: string;
  everyMs: number;
  options?: AlsOptions;
}

/** Factorises in a worker thread; the observations' arrays are handed over, not copied. */
function inWorker(observed: Observations, users: number, items: number, options: AlsOptions): Promise<Float64Array> {
  const worker = new Worker(new URL('./als-worker.ts', import.meta.url).href);
  return new Promise<Float64Array>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<Float64Array>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`reels.vectors() | the factorisation failed: ${event.message}`));
    worker.postMessage({ observed, users, items, options }, [observed.users.buffer, observed.items.buffer, observed.weights.buffer]);
  }).finally(() => worker.terminate());
}

export class ReelVectors {
  readonly #deps: CollaborativeDeps;
  readonly job: PeriodicJob<number>;

  constructor(deps: CollaborativeDeps) {
    this.#deps = deps;
    this.job = new PeriodicJob({ ...deps, name: 'reels.vectors', round: () => this.round() });
  }

  /** One round: the reels whose collaborative vector was written. */
  async round(): Promise<number> {
    const { db } = this.#deps;
    const options = this.#deps.options ?? ALS_DEFAULTS;
    const rows = rowsOf<{ user_id: string; reel_id: string; weight: number }>(
      await db.execute(sql`
        with w as (
          select v.user_id, v.reel_id, ${watchedWeight} as weight, v.last_at as at
          from reel_viewers v where v.last_at > now() - interval '30 days'
          union all
          select i.user_id, i.reel_id,
            ${actedWeight}, i.created_at
          from reel_interactions i where i.kind in ('like', 'comment', 'save', 'share') and i.created_at > now() - interval '30 days'
        )
        select w.user_id, w.reel_id, sum(w.weight)::float8 as weight
        from w join reels r on r.post_id = w.reel_id and r.deleted_at is null
        group by w.user_id, w.reel_id having sum(w.weight) <> 0
        order by max(w.at) desc limit ${MAX_OBSERVATIONS}`),
    );
    if (rows.length === 0) {
      await db.execute(sql`delete from reel_vectors`);
      return 0;
    }
    const userIndex = new Map<string, number>();
    const itemIndex = new Map<string, number>();
    const index = (map: Map<string, number>, id: string) => {
      let at = map.get(id);
      if (at === undefined) {
        at = map.size;
        map.set(id, at);
      }
      return at;
    };
    const observed: Observations = {
      users: Int32Array.from(rows, (row) => index(userIndex, row.user_id)),
      items: Int32Array.from(rows, (row) => index(itemIndex, row.reel_id)),
      weights: Float64Array.from(rows, (row) => row.weight),
    };
    const itemFactors = await inWorker(observed, userIndex.size, itemIndex.size, options);
    const reelIds = [...itemIndex.keys()];
    const roundAt = new Date();
    for (let start = 0; start < reelIds.length; start += WRITE_BATCH) {
      const ids = reelIds.slice(start, start + WRITE_BATCH);
      const vectors = ids.map((id) => {
        const vector = unitRow(itemFactors, itemIndex.get(id) as number, options.factors);
        return vector === null ? null : `{${vector.join(',')}}`;
      });
      // Reels deleted since the read are left out (the join); the rest replace their vector.
      await db.execute(sql`
        insert into reel_vectors (reel_id, collab, updated_at)
        select x.id, x.v::real[], ${roundAt.toISOString()}::timestamptz from (select unnest(${uuids(ids)}) as id, unnest(${sql.param(vectors)}::text[]) as v) x
        join reels r on r.post_id = x.id
        where x.v is not null
        on conflict (reel_id) do update set collab = excluded.collab, updated_at = excluded.updated_at`);
    }
    // A reel nobody acted on in the 30 days read has no behaviour to go by any more.
    await db.execute(sql`delete from reel_vectors where updated_at < ${roundAt.toISOString()}::timestamptz`);
    this.#deps.log.info(`reels.vectors() | ${reelIds.length} reels from ${rows.length} observations [node:${this.#deps.node}]`);
    return reelIds.length;
  }
}
