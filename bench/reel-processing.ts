// A reel through the media pipeline, next to bare ffmpeg making the same HLS ladder in the same run
// (the seed's KPI: a 60 s 1080p reel fully processed in under 2 minutes on this machine):
//  1. bare: ffmpeg with the ladder's options alone (480/720/1080p H.264 + AAC, 4 s segments);
//  2. upload: processVideo as a reel upload is processed: the ladder, the thumbnail and the
//     original sound (sound.m4a, copied out of the top rendition);
//  3. compose: processComposed as reels.compose makes a reel: the clip's top rendition with a
//     colour filter baked in and a sound laid under it (mixed with the clip's audio), composed and
//     cut into the ladder in one run, then the thumbnail.
// Needs ffmpeg. `bun bench/reel-processing.ts` (BENCH_REEL_SECONDS, BENCH_REEL_HEIGHT; the width is 9:16).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Composition, processComposed } from '../media/compose.ts';
import { probe, streamsOf } from '../media/ffmpeg.ts';
import { hlsArguments, joinSegments, processVideo, renditionHeights } from '../media/video.ts';
import { row } from './stats.ts';

const SECONDS = Number(process.env.BENCH_REEL_SECONDS ?? 60);
const HEIGHT = Number(process.env.BENCH_REEL_HEIGHT ?? 1920);
const WIDTH = Math.round((HEIGHT * 9) / 16 / 2) * 2;
const TARGET_SECONDS = 120;
const dir = mkdtempSync(join(tmpdir(), 'bench-reel-'));

async function spawn(args: string[]): Promise<void> {
  const child = Bun.spawn(args, { stderr: 'pipe', stdout: 'ignore' });
  if ((await child.exited) !== 0) throw new Error(`${args[0]} failed: ${await new Response(child.stderr).text()}`);
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

try {
  // A phone's vertical clip: moving test pattern with detail, a tone, encoded as a phone would.
  const clip = join(dir, 'clip.mp4');
  await spawn([
    'ffmpeg',
    '-loglevel',
    'error',
    '-y',
    ...['-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '12M', '-pix_fmt', 'yuv420p', '-c:a', 'aac', clip],
  ]);
  const input = { path: clip, demuxer: 'mov' } as const;
  const probed = await probe(input, 30_000);
  // The ladder is cut by height: a 1080×1920 reel is "1080p" by its width, and gets 480, 720 and 1080 rows tall renditions.
  const heights = renditionHeights(HEIGHT);
  const bareOut = join(dir, 'bare');
  for (const height of heights) mkdirSync(join(bareOut, `${height}p`), { recursive: true });
  const bare = await timed(() =>
    spawn(['ffmpeg', '-loglevel', 'error', '-y', '-i', clip, ...hlsArguments(heights, true, bareOut), join(bareOut, '%v', 'index.m3u8')]),
  );
  const uploadOut = join(dir, 'upload', 'out');
  const upload = await timed(() => processVideo(input, probed, uploadOut, { timeoutMs: 600_000, maxDurationMs: 600_000, sound: true }));

  // The composition's sources, as its job fetches them: the clip's top rendition joined, a sound.
  const top = `${Math.max(...heights)}p`;
  const joined = join(dir, 'clip.ts');
  await joinSegments(
    (await readdir(join(uploadOut, top))).filter((name) => name.endsWith('.ts')).map((name) => join(uploadOut, top, name)),
    joined,
  );
  const source = { path: joined, demuxer: 'mpegts' as const };
  const clipInfo = await streamsOf(source, 30_000);
  const soundPath = join(uploadOut, 'sound.m4a');
  const composition: Composition = {
    clip: { mediaId: 'clip', startMs: 0, endMs: SECONDS * 1000 },
    filter: 'warm',
    sound: { mediaId: 'sound', volume: 100, clipVolume: 40 },
    duet: null,
    stitch: null,
    durationMs: SECONDS * 1000,
    credit: { soundId: null, remix: null },
  };
  const composeOut = join(dir, 'compose', 'out');
  mkdirSync(composeOut, { recursive: true });
  const compose = await timed(() =>
    processComposed(
      composition,
      { ...source, audio: clipInfo.audio, width: clipInfo.video?.width ?? WIDTH, height: clipInfo.video?.height ?? HEIGHT },
      { path: soundPath, demuxer: 'mov', audio: true, width: 0, height: 0 },
      composeOut,
      { timeoutMs: 600_000 },
    ),
  );

  const clipSeconds = (probed.durationMs ?? SECONDS * 1000) / 1000;
  const verdict = (seconds: number) => (seconds <= TARGET_SECONDS ? 'met' : 'missed');
  console.log(`reel processing: a ${clipSeconds.toFixed(0)} s ${WIDTH}×${HEIGHT} reel, ladder ${heights.join('/')}p`);
  console.log(row('bare ffmpeg, the same ladder', { seconds: bare, '× real time': clipSeconds / bare }));
  console.log(
    row('upload: ladder + thumbnail + original sound', {
      seconds: upload,
      '× real time': clipSeconds / upload,
      'speed of bare': bare / upload,
      [`target (≤ ${TARGET_SECONDS} s)`]: verdict(upload),
    }),
  );
  console.log(
    row('compose: filter + sound mixed + ladder + thumbnail', {
      seconds: compose,
      '× real time': clipSeconds / compose,
      'speed of bare': bare / compose,
      [`target (≤ ${TARGET_SECONDS} s)`]: verdict(compose),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
