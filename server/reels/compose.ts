// reels.compose: checks what a reel is to be made of (the author's own ready clip, a sound they may
// use, a reel they may duet or stitch), works out how long it will last, and hands the recipe to
// the media pipeline as a new `reel` media (Media.derive), whose job composes it (media/compose.ts).
// Everything is checked before anything is made: a refused call leaves nothing behind.
import type { Static } from '@sinclair/typebox';
import { and, eq } from 'drizzle-orm';
import { type Composition, composedDurationMs } from '../../media/compose.ts';
import type { reelCalls } from '../../protocol/calls/reels.ts';
import { MEDIA_LIMITS, REEL_LIMITS } from '../../protocol/lists.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { MediaRow } from '../media/media.ts';
import { media } from '../media/schema.ts';
import type { SocialDeps } from '../people/context.ts';
import type { Reels } from './reels.ts';
import type { Sounds } from './sounds.ts';

type Request = Static<(typeof reelCalls)['reels.compose']['request']>;

const storedBytes = (row: Pick<MediaRow, 'files'>) => row.files.reduce((sum, file) => sum + file.bytes, 0);

export class Composer {
  readonly #deps: SocialDeps;
  readonly #reels: Reels;
  readonly #sounds: Sounds;

  constructor(deps: SocialDeps, reels: Reels, sounds: Sounds) {
    this.#deps = deps;
    this.#reels = reels;
    this.#sounds = sounds;
  }

  async compose(authorId: string, request: Request): Promise<{ mediaId: string; durationMs: number }> {
    // The same key again (a retry): the media it made, without counting against the hourly limit.
    const [made] =
      request.clientId === undefined
        ? []
        : await this.#deps.db
            .select()
            .from(media)
            .where(and(eq(media.ownerId, authorId), eq(media.clientId, request.clientId)));
    if (made?.recipe != null) return { mediaId: made.id, durationMs: made.recipe.durationMs };
    const chosen = [request.sound, request.duet, request.stitch].filter((part) => part !== undefined).length;
    if (chosen > 1) throw new InvalidInputError('a reel is made with at most one of a sound, a duet and a stitch', { field: 'sound' });
    const [clip] = await this.#deps.media.attachable(authorId, [request.clipMediaId], ['video', 'reel']);
    if (clip === undefined) throw new NotFoundError('media');
    const clipMs = clip.durationMs ?? 0;
    const trim = request.trim ?? { startMs: 0, endMs: clipMs };
    if (trim.endMs > clipMs || trim.startMs >= trim.endMs || trim.endMs - trim.startMs < REEL_LIMITS.trimMinMs)
      throw new InvalidInputError(`the part kept is at least ${REEL_LIMITS.trimMinMs} ms within the clip (0 to ${clipMs} ms)`, {
        field: 'trim',
      });

    let sound: Composition['sound'] = null;
    let duet: Composition['duet'] = null;
    let stitch: Composition['stitch'] = null;
    let credit: Composition['credit'] = { soundId: null, remix: null };
    let otherMs: number | undefined;
    let otherBytes = 0;
    if (request.sound !== undefined) {
      const used = await this.#sounds.usable(authorId, request.sound.soundId);
      sound = { mediaId: used.mediaId, volume: request.sound.volume ?? 100, clipVolume: request.sound.clipVolume ?? 0 };
      credit = { soundId: used.id, remix: null };
    }
    const remixed = request.duet ?? request.stitch;
    if (remixed !== undefined) {
      const kind = request.duet === undefined ? 'stitch' : 'duet';
      const original = await this.#reels.remixable(authorId, remixed.reelId, kind);
      otherMs = original.durationMs;
      const [originalMedia] = await this.#deps.db.select().from(media).where(eq(media.id, original.mediaId));
      otherBytes = originalMedia === undefined ? 0 : storedBytes(originalMedia);
      // A duet is heard with the original's sound, credited when the author may use it.
      const soundId =
        kind === 'duet' && original.soundId !== null
          ? await this.#sounds.usable(authorId, original.soundId).then(
              (found) => found.id,
              () => null,
            )
          : null;
      credit = { soundId, remix: { kind, reelId: original.postId } };
      if (request.duet !== undefined) duet = { mediaId: original.mediaId, clipVolume: request.duet.clipVolume ?? 100 };
      if (request.stitch !== undefined) {
        const { startMs, endMs } = request.stitch;
        const length = endMs - startMs;
        if (endMs > original.durationMs || length < REEL_LIMITS.stitchMinMs || length > REEL_LIMITS.stitchMaxMs)
          throw new InvalidInputError(
            `a stitch takes ${REEL_LIMITS.stitchMinMs} to ${REEL_LIMITS.stitchMaxMs} ms of the original (0 to ${original.durationMs} ms)`,
            { field: 'stitch' },
          );
        stitch = { mediaId: original.mediaId, startMs, endMs };
      }
    }
    const parts = { clip: { mediaId: clip.id, startMs: trim.startMs, endMs: trim.endMs }, duet, stitch };
    const durationMs = composedDurationMs(parts, otherMs);
    const { minDurationMs, maxDurationMs } = MEDIA_LIMITS.reel;
    if (durationMs < minDurationMs || durationMs > maxDurationMs)
      throw new InvalidInputError(
        `a reel lasts ${minDurationMs / 1000} s to ${maxDurationMs / 60_000} min; this one would last ${(durationMs / 1000).toFixed(1)} s`,
        { field: request.trim === undefined ? 'clipMediaId' : 'trim' },
      );
    await this.#deps.limiter.hit({ name: 'reel-compose', max: REEL_LIMITS.composePerHour, windowMs: 3_600_000 }, authorId);
    const recipe: Composition = { ...parts, filter: request.filter ?? null, sound, durationMs, credit };
    // Until it is made, it counts against the quota as its sources do (a duet holds both pictures).
    const created = await this.#deps.media.derive(authorId, recipe, storedBytes(clip) + otherBytes, request.clientId);
    return { mediaId: created.id, durationMs };
  }
}
