// Calls of sounds: every reel whose audio is its own gives an "original sound", credited to its
// creator, which others can lay under their own reels (reels.compose). A sound is there for whoever
// may see the reel it came from, while that reel is public; deleting the reel takes its sound with
// it (reels made with it keep their audio).

import { REEL_LIMITS } from '../lists.ts';
import { type CallSpec, Cursor, examplePerson, Page, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';
import { Reel, SoundSummary } from './reels.ts';

const Sound = T.Object({
  ...SoundSummary.properties,
  mediaId: Uuid,
  audioFile: T.Literal('sound.m4a', {
    description: 'Its audio is this file of the media `mediaId` (AAC in MP4): media.get gives its signed URL',
  }),
  reels: T.Integer({ description: 'Reels made with it (its own included) that are not deleted' }),
});

const exampleSound = {
  id: '0192a1b2-4444-7000-8000-0000000005d1',
  title: 'Luna surfing',
  creator: examplePerson,
  originReelId: '0192a1b2-4444-7000-8000-0000000000e1',
  durationMs: 24_000,
  mediaId: '0192a1b2-c3d4-7e5f-8a9b-0000000e1a00',
  audioFile: 'sound.m4a' as const,
  reels: 12,
};

export const soundCalls = {
  'sounds.get': {
    description:
      'One sound: NOT_FOUND unless the caller may see the reel it came from and that reel is public (its creator always sees their own).',
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ soundId: Uuid }),
    response: Sound,
    example: { request: { soundId: exampleSound.id }, response: exampleSound },
  },
  'sounds.reels': {
    description:
      "A sound's page: the reels made with it that the caller may see, newest first (report what is watched from here with source `sound`). NOT_FOUND as sounds.get.",
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ soundId: Uuid, cursor: Cursor }),
    response: Page(Reel),
    example: { request: { soundId: exampleSound.id }, response: { items: [], nextCursor: null } },
  },
  'sounds.trending': {
    description: `The ${REEL_LIMITS.trendingSounds} sounds most used in one language over the last ${REEL_LIMITS.trendingDays} days: by the reels made with them in that language then, then by those reels' views; only sounds the caller may use. \`language\` is a primary language subtag (es, en…), the caller's own by default.`,
    role: 'user',
    errors: ['INVALID_INPUT'],
    request: T.Object({ language: T.Optional(T.String({ pattern: '^[a-z]{2,3}$' })) }),
    response: T.Object({ items: T.Array(Sound) }),
    example: { request: { language: 'es' }, response: { items: [exampleSound] } },
  },
} satisfies Record<string, CallSpec>;
