// The call screen's tiles: one per person in the call (others first, oneself last) and one per
// shared screen; a paused camera or mic shows as off; the grid's columns for 1–16 tiles; the
// speaker view puts a shared screen first, then who speaks.
import { expect, test } from 'vitest';
import type { Call } from '../../state/call.ts';
import type { LocalMedia, RemoteTrack } from '../../state/callMedia.ts';
import { buildTiles, gridColumns, mainTile } from './tiles.ts';

const me = 'me';
const track = (id: string) => ({ id }) as MediaStreamTrack;
const participant = (userId: string, state: Call['participants'][number]['state'] = 'joined') => ({
  userId,
  state,
  joinedAt: null,
  leftAt: null,
});
const call = { participants: [participant(me), participant('ana'), participant('bruno'), participant('carla', 'ringing')] } as Call;
const local: LocalMedia = { mic: track('my-mic'), camera: track('my-camera'), screen: undefined, muted: false, cameraOff: false };
const remote = (userId: string, source: RemoteTrack['source'], paused = false): RemoteTrack => ({
  producerId: `${userId}-${source}`,
  consumerId: `c-${userId}-${source}`,
  userId,
  source,
  kind: source === 'mic' ? 'audio' : 'video',
  track: track(`${userId}-${source}`),
  paused,
});

test('tiles: the others in the call first (not those still rung), then oneself; a screen gets its own tile', () => {
  const tiles = buildTiles(call, me, local, [
    remote('ana', 'mic'),
    remote('ana', 'camera'),
    remote('bruno', 'screen'),
    remote('bruno', 'mic', true),
  ]);
  expect(tiles.map((each) => each.key)).toEqual(['ana:camera', 'bruno:camera', 'bruno:screen', 'me:camera']);
  expect(tiles[0]).toMatchObject({ video: { id: 'ana-camera' }, producerId: 'ana-camera', muted: false });
  expect(tiles[1]).toMatchObject({ video: undefined, muted: true });
  expect(tiles[3]).toMatchObject({ self: true, video: { id: 'my-camera' } });
});

test('tiles: a camera turned off shows no video, on either side', () => {
  const tiles = buildTiles(call, me, { ...local, cameraOff: true, muted: true }, [remote('ana', 'camera', true)]);
  expect(tiles.find((each) => each.userId === 'ana')?.video).toBeUndefined();
  expect(tiles.find((each) => each.self)).toMatchObject({ video: undefined, muted: true });
});

test('tiles: grid columns for 1 to 16 tiles, on a phone and wide', () => {
  expect([1, 2, 3, 4, 8, 9, 16].map((count) => gridColumns(count, false))).toEqual([1, 1, 2, 2, 2, 3, 3]);
  expect([1, 2, 4, 5, 9, 10, 16].map((count) => gridColumns(count, true))).toEqual([1, 2, 2, 3, 3, 4, 4]);
});

test('tiles: the speaker view shows a shared screen large, else who speaks, else the first of the others', () => {
  const withScreen = buildTiles(call, me, local, [remote('bruno', 'screen')]);
  expect(mainTile(withScreen, 'ana')?.key).toBe('bruno:screen');
  const plain = buildTiles(call, me, local, []);
  expect(mainTile(plain, 'bruno')?.key).toBe('bruno:camera');
  expect(mainTile(plain, null)?.key).toBe('ana:camera');
  expect(mainTile(plain, me)?.key).toBe('ana:camera');
});
