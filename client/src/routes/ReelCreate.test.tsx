// The reel screen's start from a link: a duet of a reel whose author turned duets off says so and
// films nothing; a stitch first offers the part of the original (1 to 5 s) before the camera;
// ?sound= reads the sound (sounds.get) and keeps it for the review. The server is faked.
import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../protocol/calls/media.ts';
import { en } from '../i18n/messages/en.ts';
import { actions } from '../state/store.ts';
import ReelCreate from './ReelCreate.tsx';

const REEL = '0192a1b2-4444-7000-8000-0000000000e1';
const SOUND = '0192a1b2-4444-7000-8000-0000000005d1';
const reelMedia = {
  ...exampleMedia,
  id: '0192a1b2-c3d4-7e5f-8a9b-0000000e1a00',
  kind: 'reel',
  status: 'ready',
  durationMs: 24_000,
  urls: {},
};

let call: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  // No camera here: the camera step says so, which is enough for what is tested.
  Reflect.deleteProperty(navigator, 'mediaDevices');
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function answer(reel: { allowDuet: boolean; allowStitch: boolean }) {
  call = vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    if (op === 'reels.get') return { mediaId: reelMedia.id, durationMs: 24_000, ...reel };
    if (op === 'media.get') return { items: [reelMedia] };
    if (op === 'sounds.get')
      return {
        id: SOUND,
        title: 'Luna surfing',
        creator: { displayName: 'Bruno' },
        mediaId: reelMedia.id,
        audioFile: 'sound.m4a',
        durationMs: 24_000,
      };
    throw new Error(`unexpected ${op}`);
  }) as never);
}

function open(url: string) {
  const history = createMemoryHistory();
  history.set({ value: url });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/create/reel" component={ReelCreate} />
    </MemoryRouter>
  ));
}

test('reel screen: a duet of a reel whose author turned duets off is refused in words, before filming', async () => {
  answer({ allowDuet: false, allowStitch: true });
  open(`/create/reel?duet=${REEL}`);
  expect(await screen.findByText(en['reelCreate.duetOff'])).toBeTruthy();
  expect(screen.queryByTestId('reel-camera')).toBeNull();
  expect(call).toHaveBeenCalledWith('reels.get', { reelId: REEL });
});

test('reel screen: a stitch starts with the part of the original, 0 to 5 s, then the camera', async () => {
  answer({ allowDuet: true, allowStitch: true });
  open(`/create/reel?stitch=${REEL}`);
  const range = await screen.findByTestId('reel-stitch-range');
  const end = range.querySelector('[aria-label="End"]') as HTMLElement;
  expect(end.getAttribute('aria-valuenow')).toBe('5000');
  expect(end.getAttribute('aria-valuemax')).toBe('24000');
  fireEvent.keyDown(end, { key: 'ArrowRight' });
  expect(end.getAttribute('aria-valuenow')).toBe('5000');
  fireEvent.click(screen.getByTestId('reel-stitch-next'));
  expect(await screen.findByTestId('reel-camera')).toBeTruthy();
  // No camera in this browser: said so, with a file to upload instead.
  expect(await screen.findByText(en['stories.camera.unsupported'])).toBeTruthy();
});

test('reel screen: ?sound= reads the sound to start with', async () => {
  answer({ allowDuet: true, allowStitch: true });
  open(`/create/reel?sound=${SOUND}`);
  expect(await screen.findByTestId('reel-camera')).toBeTruthy();
  await vi.waitFor(() => expect(call).toHaveBeenCalledWith('sounds.get', { soundId: SOUND }));
});
