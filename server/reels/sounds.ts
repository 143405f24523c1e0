// Sounds: the original sound of every reel whose audio is its own (made when it is posted, see
// Reels.create), its page (the reels made with it) and what is trending per language. A sound is
// there for whoever may see its reel while that reel is public (soundVisibleTo); deleting the reel
// takes the sound with it.
import type { Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { soundCalls } from '../../protocol/calls/sounds.ts';
import { REEL_LIMITS } from '../../protocol/lists.ts';
import { NotFoundError } from '../errors.ts';
import type { SocialDeps } from '../people/context.ts';
import { decodeTypedCursor, PAGE_SIZE } from '../platform/cursor.ts';
import { uuids } from '../platform/db/any-of.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { languageOf, type Reels } from './reels.ts';
import { reelVisibleTo, soundSummaries, soundVisibleTo } from './views.ts';

type SoundView = Static<(typeof soundCalls)['sounds.get']['response']>;

export interface UsableSound {
  id: string;
  mediaId: string;
}

export class Sounds {
  readonly #deps: SocialDeps;
  readonly #reels: Reels;

  constructor(deps: SocialDeps, reels: Reels) {
    this.#deps = deps;
    this.#reels = reels;
  }

  /** Full views of the sounds `ids` the viewer may hear, in that order (the others left out). */
  async #views(viewerId: string, ids: string[]): Promise<SoundView[]> {
    if (ids.length === 0) return [];
    const summaries = await soundSummaries(this.#deps.db, viewerId, ids);
    const extra = new Map(
      rowsOf<{ id: string; media_id: string; reels: number }>(
        await this.#deps.db.execute(sql`
          select s.id, s.media_id,
            (select count(*)::int from reels u where u.sound_id = s.id and u.deleted_at is null) as reels
          from sounds s where s.id = any(${uuids([...summaries.keys()])})`),
      ).map((row) => [row.id, row]),
    );
    return ids.flatMap((id) => {
      const summary = summaries.get(id);
      const more = extra.get(id);
      return summary === undefined || more === undefined
        ? []
        : [{ ...summary, mediaId: more.media_id, audioFile: 'sound.m4a' as const, reels: more.reels }];
    });
  }

  async get(viewerId: string, soundId: string): Promise<SoundView> {
    const [view] = await this.#views(viewerId, [soundId]);
    if (view === undefined) throw new NotFoundError('sound');
    return view;
  }

  /** A sound the caller may lay under a reel of theirs (reels.compose): NOT_FOUND otherwise. */
  async usable(viewerId: string, soundId: string): Promise<UsableSound> {
    const [row] = rowsOf<{ id: string; media_id: string }>(
      await this.#deps.db.execute(sql`
        select s.id, s.media_id from sounds s join reels r on r.post_id = s.origin_reel_id join posts p on p.id = r.post_id
        where s.id = ${soundId} and ${soundVisibleTo(viewerId)}`),
    );
    if (row === undefined) throw new NotFoundError('sound');
    return { id: row.id, mediaId: row.media_id };
  }

  /** The reels made with a sound that the viewer may see, newest first. */
  async reels(viewerId: string, request: Static<(typeof soundCalls)['sounds.reels']['request']>) {
    await this.usable(viewerId, request.soundId);
    const after = decodeTypedCursor(request.cursor, ['uuid']);
    return this.#reels.page(
      viewerId,
      rowsOf<{ id: string }>(
        await this.#deps.db.execute(sql`
          select r.post_id as id from reels r join posts p on p.id = r.post_id
          where r.sound_id = ${request.soundId} and ${reelVisibleTo(viewerId)}
            ${after === undefined ? sql`` : sql`and r.post_id < ${after[0]}`}
          order by r.post_id desc limit ${PAGE_SIZE + 1}`),
      ),
    );
  }

  /** The sounds most used in a language over the last days (REEL_LIMITS.trendingDays), by reels made with them, then their views. */
  async trending(viewerId: string, language: string | undefined): Promise<{ items: SoundView[] }> {
    const lang = language ?? (await this.#language(viewerId));
    const ranked = rowsOf<{ sound_id: string }>(
      await this.#deps.db.execute(sql`
        select u.sound_id from reels u
        where u.language = ${lang} and u.deleted_at is null and u.sound_id is not null
          and u.created_at > now() - make_interval(days => ${REEL_LIMITS.trendingDays})
        group by u.sound_id
        order by count(*) desc, sum(u.view_count) desc, u.sound_id
        limit ${REEL_LIMITS.trendingSounds * 5}`),
    );
    const views = await this.#views(
      viewerId,
      ranked.map((row) => row.sound_id),
    );
    return { items: views.slice(0, REEL_LIMITS.trendingSounds) };
  }

  async #language(viewerId: string): Promise<string> {
    const [row] = rowsOf<{ locale: string }>(await this.#deps.db.execute(sql`select locale from profiles where user_id = ${viewerId}`));
    return languageOf(row?.locale ?? 'en');
  }
}
