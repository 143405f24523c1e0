// Video through ffmpeg: H.264 renditions among 480p, 720p and 1080p no taller than the source (a
// smaller source gets one rendition at its own height), AAC at 128 kbps, cut into 4-second HLS
// segments under one master playlist, and a thumbnail taken at 2 s (or the middle of a shorter clip).
// The input is read for at most `maxDurationMs` (and a second): a container that lies about its
// length is transcoded no further than an honest one may last.
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Input, inputArguments, type Probe, runFfmpeg } from './ffmpeg.ts';

const VIDEO_HEIGHTS = [480, 720, 1080] as const;
/** 8K UHD (7680×4320), the largest phones record: a larger frame is refused before decoding. */
export const VIDEO_MAX_FRAME_PIXELS = 7680 * 4320;
const BITRATES: Record<number, string> = { 480: '1400k', 720: '2800k', 1080: '5000k' };

/** The rendition heights for a source this tall (even numbers, as H.264 in 4:2:0 needs). */
export function renditionHeights(sourceHeight: number): number[] {
  const fitting = VIDEO_HEIGHTS.filter((height) => height <= sourceHeight);
  return fitting.length > 0 ? [...fitting] : [Math.max(2, sourceHeight - (sourceHeight % 2))];
}

export interface ProcessedVideo {
  heights: number[];
  /** Files written under `outDir`, relative to it: master.m3u8, <height>p/index.m3u8 and segments, thumb.jpg. */
  files: string[];
}

/** Where the ladder's picture and sound come from: the input's streams, or the outputs of a filter graph. */
interface LadderSource {
  /** Filter graph run before the ladder's ('' for none). */
  graph: string;
  /** Its picture: a stream of the input ([0:v]) or a label of the graph. */
  video: string;
  /** Its sound: a stream of the input (0:a:0) or a label of the graph. */
  audio: string;
}

const INPUT: LadderSource = { graph: '', video: '[0:v]', audio: '0:a:0' };

/** The ffmpeg output options for the HLS ladder (the output is `<outDir>/%v/index.m3u8`): also what the benchmark runs bare. */
export function hlsArguments(heights: number[], audio: boolean, outDir: string, source: LadderSource = INPUT): string[] {
  const graph = source.graph === '' ? [] : [source.graph];
  graph.push(`${source.video}split=${heights.length}${heights.map((_, i) => `[v${i}]`).join('')}`);
  graph.push(...heights.map((height, i) => `[v${i}]scale=-2:${height}[v${i}out]`));
  // A label of the graph can be taken once: each rendition gets its own copy of the sound.
  const labelled = source.audio.startsWith('[');
  if (audio && labelled) graph.push(`${source.audio}asplit=${heights.length}${heights.map((_, i) => `[a${i}]`).join('')}`);
  const args = ['-filter_complex', graph.join(';')];
  heights.forEach((height, i) => {
    args.push(
      '-map',
      `[v${i}out]`,
      `-c:v:${i}`,
      'libx264',
      `-b:v:${i}`,
      BITRATES[height] ?? '1000k',
      `-maxrate:v:${i}`,
      BITRATES[height] ?? '1000k',
    );
    args.push(`-bufsize:v:${i}`, '2M');
    if (audio) args.push('-map', labelled ? `[a${i}]` : source.audio);
  });
  args.push('-preset', 'veryfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p', '-g', '48', '-keyint_min', '48', '-sc_threshold', '0');
  if (audio) args.push('-c:a', 'aac', '-b:a', '128k', '-ac', '2');
  const streamMap = heights.map((height, i) => (audio ? `v:${i},a:${i},name:${height}p` : `v:${i},name:${height}p`)).join(' ');
  args.push('-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments');
  args.push('-hls_segment_filename', join(outDir, '%v', 'seg_%03d.ts'), '-master_pl_name', 'master.m3u8');
  args.push('-var_stream_map', streamMap);
  return args;
}

/** thumb.jpg in `outDir`: the frame at `atSeconds`, at most 720 pixels tall. */
export async function thumbnail(input: Input, atSeconds: number, sourceHeight: number, outDir: string, timeoutMs: number): Promise<void> {
  const height = Math.min(720, sourceHeight - (sourceHeight % 2));
  await runFfmpeg(
    [
      ...inputArguments(input, ['-ss', String(atSeconds)]),
      '-frames:v',
      '1',
      '-vf',
      `scale=-2:${height}`,
      '-q:v',
      '3',
      join(outDir, 'thumb.jpg'),
    ],
    { timeoutMs },
  );
}

/**
 * sound.m4a in `outDir`: the audio of the ladder's top rendition, copied (no encode) out of its
 * segments joined, for the reel's original sound. `scratch` is a folder outside `outDir`.
 */
export async function extractSound(outDir: string, heights: number[], scratch: string, timeoutMs: number): Promise<void> {
  const top = `${Math.max(...heights)}p`;
  const joined = join(scratch, 'sound-source.ts');
  await joinSegments(
    (await readdir(join(outDir, top))).filter((name) => name.endsWith('.ts')).map((name) => join(outDir, top, name)),
    joined,
  );
  await runFfmpeg(
    [
      ...inputArguments({ path: joined, demuxer: 'mpegts' }),
      '-map',
      '0:a:0',
      '-c:a',
      'copy',
      '-movflags',
      '+faststart',
      join(outDir, 'sound.m4a'),
    ],
    { timeoutMs },
  );
  await rm(joined, { force: true });
}

/** MPEG-TS segments of one encode, in order, joined into one file (a valid stream: TS packets simply follow). */
export async function joinSegments(paths: string[], into: string): Promise<void> {
  const sorted = [...paths].sort();
  const file = await open(into, 'w');
  try {
    for (const path of sorted) await file.write(new Uint8Array(await Bun.file(path).arrayBuffer()));
  } finally {
    await file.close();
  }
}

export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(join(dir, entry.name), relative)));
    else files.push(relative);
  }
  return files.sort();
}

export interface VideoOptions {
  /** Each ffmpeg run is killed past this. */
  timeoutMs: number;
  maxDurationMs: number;
  onProgress?: (fraction: number) => void;
  /** Also sound.m4a, the audio alone (a reel's original sound). */
  sound?: boolean;
}

export async function processVideo(input: Input, probed: Probe, outDir: string, options: VideoOptions): Promise<ProcessedVideo> {
  if (probed.video === undefined) throw new Error('the file has no video stream');
  const heights = renditionHeights(probed.video.height);
  await mkdir(outDir, { recursive: true });
  for (const height of heights) await mkdir(join(outDir, `${height}p`), { recursive: true });
  const limit = ['-t', String((options.maxDurationMs + 1000) / 1000)];
  const durationMs = probed.durationMs;
  await runFfmpeg([...inputArguments(input, limit), ...hlsArguments(heights, probed.audio, outDir), join(outDir, '%v', 'index.m3u8')], {
    timeoutMs: options.timeoutMs,
    onProgress: (reachedMs) => {
      if (durationMs !== undefined && durationMs > 0) options.onProgress?.(Math.min(1, reachedMs / durationMs) * 0.95);
    },
  });
  const at = durationMs === undefined ? 0 : Math.min(2, durationMs / 2000);
  await thumbnail(input, at, probed.video.height, outDir, options.timeoutMs);
  if (options.sound === true && probed.audio) await extractSound(outDir, heights, join(outDir, '..'), options.timeoutMs);
  options.onProgress?.(1);
  return { heights, files: await listFiles(outDir) };
}
