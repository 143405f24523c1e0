// Reels the server makes from other media (reels.compose): a clip of the author's, cut, with a
// colour filter baked in, and at most one of a sound laid under it, a duet (the clip left, the
// original right: ffmpeg hstack, as long as the shorter, with the original's audio and the clip's
// mixed in) or a stitch (a part of the original, then the clip: ffmpeg's concat filter). The
// sources are the pipeline's own outputs, never an upload: a video's top rendition (its HLS
// segments joined, MPEG-TS) and a sound's audio (AAC in MP4). One ffmpeg run composes and cuts the
// ladder (the composed picture split into the renditions), so the work is one encode.
import { join } from 'node:path';
import { REEL_FILTERS, type ReelFilter } from '../protocol/filters.ts';
import { type Input, inputArguments, runFfmpeg } from './ffmpeg.ts';
import { hlsArguments, listFiles, type ProcessedVideo, renditionHeights, thumbnail } from './video.ts';

/** What a composed media is made of, kept on its row (media.recipe) for the job and for reels.create. */
export interface Composition {
  /** The author's clip and the part of it kept. */
  clip: { mediaId: string; startMs: number; endMs: number };
  filter: ReelFilter | null;
  /** A sound's audio (the file sound.m4a of that media), at `volume` percent; the clip's own at `clipVolume` percent. */
  sound: { mediaId: string; volume: number; clipVolume: number } | null;
  /** The original's video, right of the clip; the clip's audio at `clipVolume` percent over the original's. */
  duet: { mediaId: string; clipVolume: number } | null;
  /** The part of the original played before the clip. */
  stitch: { mediaId: string; startMs: number; endMs: number } | null;
  /** How long the result lasts. */
  durationMs: number;
  /** What reels.create credits: the sound used, the reel dueted or stitched. */
  credit: { soundId: string | null; remix: { kind: 'duet' | 'stitch'; reelId: string } | null };
}

/** A source on the node's disk, as the job found it. */
export interface Source extends Input {
  audio: boolean;
  width: number;
  height: number;
}

/** How long a composition lasts, from the lengths of its parts (ms). */
export function composedDurationMs(
  composition: Pick<Composition, 'clip' | 'duet' | 'stitch'>,
  otherDurationMs: number | undefined,
): number {
  const clip = composition.clip.endMs - composition.clip.startMs;
  if (composition.duet !== null) return Math.min(clip, otherDurationMs ?? 0);
  if (composition.stitch !== null) return composition.stitch.endMs - composition.stitch.startMs + clip;
  return clip;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);
const even = (value: number) => Math.max(2, value - (value % 2));

/** The ffmpeg filter that bakes a colour filter: the matrix over RGBA, the offsets as alpha weights (alpha is 1). */
export function colourFilter(name: ReelFilter): string {
  const [r, g, b] = REEL_FILTERS[name];
  const row = (channel: string, [x, y, z, offset]: readonly number[]) =>
    `${channel}r=${x}:${channel}g=${y}:${channel}b=${z}:${channel}a=${offset}`;
  return `format=rgba,colorchannelmixer=${row('r', r)}:${row('g', g)}:${row('b', b)}:aa=1,format=yuv420p`;
}

/** Silence of `ms`, stereo at 48 kHz, for a part that has no audio. */
const silence = (ms: number) => `anullsrc=r=48000:cl=stereo,atrim=0:${seconds(ms)}`;
const stereo = 'asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo';
/**
 * Every picture first: a constant 30 frames a second from time 0. Sources keep the timestamps of
 * their MPEG-TS (starting past 1 s) and their own rates (a browser's recording at 20 fps beside an
 * upload at 12): mixed as they come, ffmpeg's HLS muxer was seen to stall on them (a duet that never
 * ended); made regular here, they compose in seconds.
 */
const video = 'fps=30,setpts=PTS-STARTPTS,';

interface Graph {
  /** ffmpeg's input arguments, in order: the clip, then the other source if any. */
  inputs: string[];
  /** The filter graph; its outputs are [vout] and, when `audio`, [aout]. */
  graph: string;
  audio: boolean;
  width: number;
  height: number;
}

/**
 * The filter graph of a composition. `clip` is input 0; `other` (the original of a duet or a
 * stitch, or the sound) is input 1.
 */
function composeGraph(composition: Composition, clip: Source, other: Source | undefined): Graph {
  const { durationMs } = composition;
  const clipMs = composition.clip.endMs - composition.clip.startMs;
  const inputs = inputArguments(clip, ['-ss', seconds(composition.clip.startMs), '-t', seconds(clipMs)]);
  const filter = composition.filter === null ? '' : `${colourFilter(composition.filter)},`;
  const parts: string[] = [];
  const level = (percent: number) => (percent / 100).toFixed(2);
  if (composition.duet !== null) {
    if (other === undefined) throw new Error('a duet needs the original');
    inputs.push(...inputArguments(other, ['-t', seconds(durationMs)]));
    const height = even(Math.min(clip.height, other.height, 1920));
    parts.push(`[0:v]${video}${filter}scale=-2:${height},setsar=1,format=yuv420p[left]`);
    parts.push(`[1:v]${video}scale=-2:${height},setsar=1,format=yuv420p[right]`);
    parts.push('[left][right]hstack=inputs=2:shortest=1[vout]');
    const clipAudio = composition.duet.clipVolume > 0 && clip.audio;
    if (other.audio && clipAudio) {
      parts.push(`[1:a]${stereo}[orig]`, `[0:a]${stereo},volume=${level(composition.duet.clipVolume)}[mine]`);
      parts.push('[orig][mine]amix=inputs=2:duration=first:normalize=0[aout]');
    } else if (other.audio) parts.push(`[1:a]${stereo}[aout]`);
    else if (clipAudio) parts.push(`[0:a]${stereo},volume=${level(composition.duet.clipVolume)}[aout]`);
    const audio = other.audio || clipAudio;
    return { inputs, graph: parts.join(';'), audio, width: even(Math.round((clip.width * height) / clip.height)) * 2, height };
  }
  if (composition.stitch !== null) {
    if (other === undefined) throw new Error('a stitch needs the original');
    const { startMs, endMs } = composition.stitch;
    inputs.push(...inputArguments(other, ['-ss', seconds(startMs), '-t', seconds(endMs - startMs)]));
    const width = even(clip.width);
    const height = even(clip.height);
    const fit = `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`;
    parts.push(`[1:v]${video}${fit}[first]`, `[0:v]${video}${filter}${fit}[then]`);
    parts.push(other.audio ? `[1:a]${stereo}[firsta]` : `${silence(endMs - startMs)}[firsta]`);
    parts.push(clip.audio ? `[0:a]${stereo}[thena]` : `${silence(clipMs)}[thena]`);
    parts.push('[first][firsta][then][thena]concat=n=2:v=1:a=1[vout][aout]');
    return { inputs, graph: parts.join(';'), audio: true, width, height };
  }
  parts.push(`[0:v]${video}${filter}setsar=1,format=yuv420p[vout]`);
  const sound = composition.sound;
  if (sound !== null) {
    if (other === undefined) throw new Error('a sound needs its audio');
    // The sound loops under a clip longer than itself.
    inputs.push('-stream_loop', '-1', ...inputArguments(other));
    parts.push(`[1:a]${stereo},volume=${level(sound.volume)},atrim=0:${seconds(clipMs)}[snd]`);
    if (sound.clipVolume > 0 && clip.audio) {
      parts.push(`[0:a]${stereo},volume=${level(sound.clipVolume)}[mine]`);
      parts.push('[snd][mine]amix=inputs=2:duration=first:normalize=0[aout]');
    } else parts.push('[snd]anull[aout]');
    return { inputs, graph: parts.join(';'), audio: true, width: even(clip.width), height: even(clip.height) };
  }
  if (clip.audio) parts.push(`[0:a]${stereo}[aout]`);
  return { inputs, graph: parts.join(';'), audio: clip.audio, width: even(clip.width), height: even(clip.height) };
}

export interface ComposeOptions {
  timeoutMs: number;
  onProgress?: (fraction: number) => void;
}

/** Composes and cuts the ladder into `outDir` (as processVideo does for an upload), with its thumbnail. */
export async function processComposed(
  composition: Composition,
  clip: Source,
  other: Source | undefined,
  outDir: string,
  options: ComposeOptions,
): Promise<ProcessedVideo & { width: number; height: number; audio: boolean }> {
  const graph = composeGraph(composition, clip, other);
  const heights = renditionHeights(graph.height);
  const ladder = hlsArguments(heights, graph.audio, outDir, { graph: graph.graph, video: '[vout]', audio: '[aout]' });
  await runFfmpeg([...graph.inputs, ...ladder, '-t', seconds(composition.durationMs), join(outDir, '%v', 'index.m3u8')], {
    timeoutMs: options.timeoutMs,
    onProgress: (reachedMs) => options.onProgress?.(Math.min(1, reachedMs / composition.durationMs) * 0.95),
  });
  const top = Math.max(...heights);
  await thumbnail(
    { path: join(outDir, `${top}p`, 'seg_000.ts'), demuxer: 'mpegts' },
    Math.min(2, composition.durationMs / 2000),
    top,
    outDir,
    options.timeoutMs,
  );
  return { heights, files: await listFiles(outDir), width: graph.width, height: graph.height, audio: graph.audio };
}
