// A sound's page: its title (or "original sound" of its creator), who made it, how many reels use
// it, a play button for its audio (the signed `sound.m4a` of its media), the grid of its reels
// opening the player there, and "Use this sound"; a sound that cannot be seen says so.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../protocol/calls/media.ts';
import { examplePost } from '../../../protocol/calls/posts.ts';
import { ProtocolError } from '../../../protocol/client.ts';
import { examplePerson as person } from '../../../protocol/spec.ts';
import { en } from '../i18n/messages/en.ts';
import type { Reel } from '../state/reels.ts';
import { actions } from '../state/store.ts';
import SoundPage from './Sound.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const examplePerson = { ...person, accountType: 'personal' as const };
const soundId = '0192a1b2-4444-7000-8000-0000000005d1';
const audioMedia = '0192a1b2-4444-7000-8000-0000000a0d10';
const reel = {
  post: { ...examplePost, id: '0192a1b2-8888-7000-8000-000000000001', mediaIds: [] },
  mediaId: '0192a1b2-9999-7000-8000-000000000001',
  durationMs: 20_000,
  coverMs: 0,
  language: 'es',
  allowDuet: true,
  allowStitch: true,
  views: 1234,
  sound: null,
  remix: null,
  filter: null,
} as Reel;

function serve(found: boolean) {
  vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    if (op === 'sounds.get') {
      if (!found) throw new ProtocolError('NOT_FOUND', 'no');
      return {
        id: soundId,
        title: null,
        creator: examplePerson,
        originReelId: reel.post.id,
        durationMs: 20_000,
        mediaId: audioMedia,
        audioFile: 'sound.m4a',
        reels: 12,
      };
    }
    if (op === 'sounds.reels') return { items: [reel], nextCursor: null };
    if (op === 'media.get')
      return {
        items: (body.ids as string[]).map((id) => ({
          ...exampleMedia,
          id,
          kind: 'reel',
          urls: { 'sound.m4a': `https://media.test/${id}/sound.m4a`, 'thumb.jpg': `https://media.test/${id}/thumb.jpg` },
        })),
      };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <SoundPage />} />
    </MemoryRouter>
  ));
}

test('sound page: "original sound" of its creator, its count of reels, its audio to play, its reels and "Use this sound"', async () => {
  serve(true);
  const name = examplePerson.displayName || examplePerson.username;
  await screen.findByRole('heading', { name: en['reels.originalSound'].replace('{name}', `\u2068${name}\u2069`) });
  expect(screen.getByTestId('sound-count').textContent).toBe('12 reels');
  expect(screen.getByTestId('sound-use').getAttribute('href')).toBe(`/create/reel?sound=${soundId}`);
  const play = screen.getByTestId('sound-play');
  expect(play.getAttribute('aria-label')).toBe(en['reels.playSound']);
  await waitFor(() => expect(play.hasAttribute('disabled')).toBe(false));
  expect(document.querySelector('audio')?.getAttribute('src')).toBe(`https://media.test/${audioMedia}/sound.m4a`);
  const tile = await screen.findByTestId(`reel-tile-${reel.post.id}`);
  expect(tile.getAttribute('href')).toBe(`/sounds/${soundId}/reels?start=${reel.post.id}`);
  expect(tile.textContent).toContain('1,234');
});

test('sound page: a sound that cannot be seen says it is not available', async () => {
  serve(false);
  await screen.findByText(en['reels.soundMissing']);
});
