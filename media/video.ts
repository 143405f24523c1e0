// Video through ffmpeg: H.264 renditions among 480p, 720p and 1080p no taller than the source (a
// smaller source gets one rendition at its own height), AAC at 128 kbps, cut into 4-second HLS
// segments under one master playlist, and a thumbnail taken at 2 s (or the middle of a shorter clip).
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpeg, type Probe, run } from './ffmpeg.ts';

const VIDEO_HEIGHTS = [480, 720, 1080] as const;
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

/** The ffmpeg output options for the HLS ladder (the output is `<outDir>/%v/index.m3u8`): also what the benchmark runs bare. */
export function hlsArguments(heights: number[], audio: boolean, outDir: string): string[] {
  const split = `[0:v]split=${heights.length}${heights.map((_, i) => `[v${i}]`).join('')}`;
  const scales = heights.map((height, i) => `[v${i}]scale=-2:${height}[v${i}out]`);
  const args = ['-filter_complex', [split, ...scales].join(';')];
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
    if (audio) args.push('-map', '0:a:0');
  });
  args.push('-preset', 'veryfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p', '-g', '48', '-keyint_min', '48', '-sc_threshold', '0');
  if (audio) args.push('-c:a', 'aac', '-b:a', '128k', '-ac', '2');
  const streamMap = heights.map((height, i) => (audio ? `v:${i},a:${i},name:${height}p` : `v:${i},name:${height}p`)).join(' ');
  args.push('-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments');
  args.push('-hls_segment_filename', join(outDir, '%v', 'seg_%03d.ts'), '-master_pl_name', 'master.m3u8');
  args.push('-var_stream_map', streamMap);
  return args;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await listFiles(join(dir, entry.name), relative)));
    else files.push(relative);
  }
  return files.sort();
}

export async function processVideo(
  input: string,
  probed: Probe,
  outDir: string,
  onProgress?: (fraction: number) => void,
): Promise<ProcessedVideo> {
  if (probed.video === undefined) throw new Error('the file has no video stream');
  const heights = renditionHeights(probed.video.height);
  await mkdir(outDir, { recursive: true });
  for (const height of heights) await mkdir(join(outDir, `${height}p`), { recursive: true });
  const ladder = ffmpeg(input)
    .outputOptions(...hlsArguments(heights, probed.audio, outDir))
    .output(join(outDir, '%v', 'index.m3u8'));
  await run(ladder, probed.durationMs, (fraction) => onProgress?.(fraction * 0.95));
  const at = probed.durationMs === undefined ? 0 : Math.min(2, probed.durationMs / 2000);
  await run(
    ffmpeg(input)
      .seekInput(at)
      .outputOptions('-frames:v', '1', '-vf', `scale=-2:${Math.min(720, probed.video.height - (probed.video.height % 2))}`, '-q:v', '3')
      .output(join(outDir, 'thumb.jpg')),
    0,
  );
  onProgress?.(1);
  return { heights, files: await listFiles(outDir) };
}
