// What the call screen shows, as pure functions of the call and its tracks: one tile per person in
// the call (the others in the call's order, then oneself) and one per shared screen; how many
// columns the grid takes for that many tiles; and which tile the speaker view puts large (a shared
// screen first, then who speaks, then the first of the others).
import type { Call } from '../../state/call.ts';
import type { LocalMedia, RemoteTrack } from '../../state/callMedia.ts';

export interface Tile {
  key: string;
  userId: string;
  source: 'camera' | 'screen';
  self: boolean;
  video: MediaStreamTrack | undefined;
  /** The producer behind `video` (someone else's), whose simulcast layer follows the tile's size. */
  producerId: string | undefined;
  muted: boolean;
}

export function buildTiles(call: Call, me: string, local: LocalMedia, remote: readonly RemoteTrack[]): Tile[] {
  const inCall = call.participants.filter((each) => each.state === 'joined' && each.userId !== me).map((each) => each.userId);
  const tiles: Tile[] = [];
  for (const userId of inCall) {
    const camera = remote.find((each) => each.userId === userId && each.source === 'camera');
    const mic = remote.find((each) => each.userId === userId && each.source === 'mic');
    tiles.push({
      key: `${userId}:camera`,
      userId,
      source: 'camera',
      self: false,
      video: camera !== undefined && !camera.paused ? camera.track : undefined,
      producerId: camera?.producerId,
      muted: mic === undefined || mic.paused,
    });
  }
  for (const screen of remote.filter((each) => each.source === 'screen' && inCall.includes(each.userId)))
    tiles.push({
      key: `${screen.userId}:screen`,
      userId: screen.userId,
      source: 'screen',
      self: false,
      video: screen.track,
      producerId: screen.producerId,
      muted: true,
    });
  tiles.push({
    key: `${me}:camera`,
    userId: me,
    source: 'camera',
    self: true,
    video: local.cameraOff ? undefined : local.camera,
    producerId: undefined,
    muted: local.muted || local.mic === undefined,
  });
  if (local.screen !== undefined)
    tiles.push({ key: `${me}:screen`, userId: me, source: 'screen', self: true, video: local.screen, producerId: undefined, muted: true });
  return tiles;
}

/** Columns of the grid: one on a phone for two, two up to four, then about the square root. */
export function gridColumns(count: number, wide: boolean): number {
  if (count <= 1) return 1;
  if (!wide) return count <= 2 ? 1 : count <= 8 ? 2 : 3;
  if (count <= 4) return 2;
  if (count <= 9) return 3;
  return 4;
}

/** The tile the speaker view shows large. */
export function mainTile(tiles: readonly Tile[], speaker: string | null): Tile | undefined {
  return (
    tiles.find((each) => each.source === 'screen' && !each.self) ??
    tiles.find((each) => each.source === 'screen') ??
    tiles.find((each) => !each.self && each.userId === speaker) ??
    tiles.find((each) => !each.self) ??
    tiles[0]
  );
}
