// Reels as the client holds them: the wire's Reel (a post with its video, sound and remix), each
// with where the player shows it from (what reels.watch reports), and whether sound is on: muted
// until the first tap or click on the player (browsers only play sound after a gesture), then on
// for the rest of the session unless turned off.
import { createSignal } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import type { ReelSource } from './reelWatch.ts';

export type Reel = CallResponse<'reels.get'>;
export type Sound = CallResponse<'sounds.get'>;

/** A reel in the player, with the source reported for it. */
export interface ReelItem {
  reel: Reel;
  source: ReelSource;
}

export interface ReelPage {
  items: ReelItem[];
  nextCursor: string | null;
}

const [soundOn, setSoundOn] = createSignal(false);

export { setSoundOn, soundOn };

/** What a sound is called: its title, or "original sound" of its creator (the caller words it). */
export const soundCreatorName = (sound: Pick<Sound, 'creator'>): string => sound.creator.displayName || sound.creator.username;
