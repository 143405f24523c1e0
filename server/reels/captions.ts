// The caption job: re-embeds reels whose caption vector was made by another embedder than the
// node's (reels.caption_model differs or is unknown), so switching REELS_MODEL_DIR converges
// without a migration. A periodic job (platform/periodic.ts), one node per round; a round works
// for at most an eighth of its period (half its lease), newest reels first, since those are the
// For You feed's candidates, in batches whose inference runs before any write. Deleted reels are
// left alone. A write only lands if the reel is still embedded otherwise and its caption is the
// one embedded: a caption edited meanwhile keeps the vector its edit wrote.
import { sql } from 'drizzle-orm';
import { uuids } from '../platform/db/any-of.ts';
import type { Database } from '../platform/db/index.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { Logger } from '../platform/log.ts';
import { PeriodicJob } from '../platform/periodic.ts';
import type { CaptionEmbedder } from './embedder.ts';

const BATCH = 64;

export interface CaptionsDeps {
  db: Database;
  log: Logger;
  node: string;
  everyMs: number;
  embedder: CaptionEmbedder;
}

export class CaptionVectors {
  readonly #deps: CaptionsDeps;
  readonly job: PeriodicJob<number>;

  constructor(deps: CaptionsDeps) {
    this.#deps = deps;
    this.job = new PeriodicJob({ ...deps, name: 'reels.captions', round: (stopping) => this.round(stopping) });
  }

  /** One round: the reels re-embedded. */
  async round(stopping: () => boolean = () => false): Promise<number> {
    const { db, embedder } = this.#deps;
    const name = embedder.name;
    // Through reels_caption_model: cheap when everything is current, as it is between switches.
    const [stale] = rowsOf(
      await db.execute(sql`
        select 1 from reels where deleted_at is null
          and (caption_model is null or caption_model < ${name} or caption_model > ${name}) limit 1`),
    );
    if (stale === undefined) return 0;
    const until = Date.now() + this.#deps.everyMs / 8;
    let written = 0;
    let before: string | undefined;
    while (!stopping() && Date.now() < until) {
      const rows = rowsOf<{ post_id: string; text: string; hashtags: string[] }>(
        await db.execute(sql`
          select r.post_id, p.text, p.hashtags from reels r join posts p on p.id = r.post_id
          where r.deleted_at is null and r.caption_model is distinct from ${name}
            ${before === undefined ? sql`` : sql`and r.post_id < ${before}`}
          order by r.post_id desc limit ${BATCH}`),
      );
      if (rows.length === 0) break;
      before = rows.at(-1)?.post_id;
      const vectors: (string | null)[] = [];
      for (const row of rows) {
        const vector = await embedder.embed(row.text, row.hashtags);
        vectors.push(vector === null ? null : `{${vector.join(',')}}`);
      }
      const updated = rowsOf(
        await db.execute(sql`
          update reels r set caption_vector = x.v::real[], caption_model = ${name}
          from (select unnest(${uuids(rows.map((row) => row.post_id))}) as id,
                       unnest(${sql.param(rows.map((row) => row.text))}::text[]) as text,
                       unnest(${sql.param(vectors)}::text[]) as v) x, posts p
          where r.post_id = x.id and p.id = r.post_id and p.text = x.text
            and r.deleted_at is null and r.caption_model is distinct from ${name}
          returning r.post_id`),
      );
      written += updated.length;
    }
    if (written > 0) this.#deps.log.info(`reels.captions() | ${written} reels re-embedded [model:${name}] [node:${this.#deps.node}]`);
    return written;
  }
}
