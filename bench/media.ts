// The media pipeline's two heavy paths, each next to its bare tool doing the same work in the same
// run:
//  1. images: processImage (decode once, upright, three sizes in WebP and JPEG, a tiny preview)
//     next to bare sharp making the same six resizes from the same JPEG: images per second;
//  2. video: processVideo (the HLS ladder up to the source height, AAC 128k, thumbnail) on a
//     generated clip next to the bare ffmpeg command with the same ladder options: speed as a
//     multiple of real time (the product plan's target: a 1-minute video in under 2 minutes).
// Needs ffmpeg. `bun bench/media.ts` (BENCH_IMAGES, BENCH_VIDEO_SECONDS, BENCH_VIDEO_HEIGHT).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { probe } from '../media/ffmpeg.ts';
import { processImage } from '../media/images.ts';
import { hlsArguments, processVideo, renditionHeights } from '../media/video.ts';
import { row } from './stats.ts';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 30);
const VIDEO_SECONDS = Number(process.env.BENCH_VIDEO_SECONDS ?? 60);
const VIDEO_HEIGHT = Number(process.env.BENCH_VIDEO_HEIGHT ?? 1080);
const dir = mkdtempSync(join(tmpdir(), 'bench-media-'));

async function spawn(args: string[]): Promise<void> {
  const child = Bun.spawn(args, { stderr: 'pipe', stdout: 'ignore' });
  if ((await child.exited) !== 0) throw new Error(`${args[0]} failed: ${await new Response(child.stderr).text()}`);
}

try {
  // A 12-megapixel phone photo, stored sideways, with noise so the encoders have work to do.
  const photo = await sharp({
    create: { width: 4000, height: 3000, channels: 3, background: '#6a8', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const widths = [320, 960, 1920];
  const bare = async () => {
    await Promise.all(
      widths.flatMap((width) => [
        sharp(photo).rotate().resize({ width }).webp({ quality: 80 }).toBuffer(),
        sharp(photo).rotate().resize({ width }).jpeg({ quality: 82, mozjpeg: true }).toBuffer(),
      ]),
    );
  };
  const ours = () => processImage(new Uint8Array(photo), { maxPixels: 50_000_000 });
  await bare();
  await ours();
  const time = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < IMAGES; i++) await work();
    return IMAGES / ((performance.now() - started) / 1000);
  };
  const bareRate = await time(bare);
  const ourRate = await time(ours);
  console.log(`media: ${IMAGES} images of 4000×3000 (3 sizes × WebP + JPEG each); a ${VIDEO_SECONDS} s ${VIDEO_HEIGHT}p clip to HLS`);
  console.log(row('images: bare sharp, same resizes', { 'images/s': bareRate }));
  console.log(row('images: processImage (+ preview)', { 'images/s': ourRate, 'images/s of bare': ourRate / bareRate }));

  const clip = join(dir, 'clip.mp4');
  const width = Math.round((VIDEO_HEIGHT * 16) / 9 / 2) * 2;
  await spawn([
    'ffmpeg',
    '-loglevel',
    'error',
    '-y',
    ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${VIDEO_HEIGHT}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', String(VIDEO_SECONDS), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', clip],
  ]);
  const input = { path: clip, demuxer: 'mov' } as const;
  const probed = await probe(input, 30_000);
  const heights = renditionHeights(VIDEO_HEIGHT);
  const bareOut = join(dir, 'bare');
  for (const height of heights) await Bun.$`mkdir -p ${join(bareOut, `${height}p`)}`;
  let started = performance.now();
  await spawn([
    'ffmpeg',
    '-loglevel',
    'error',
    '-y',
    '-i',
    clip,
    ...hlsArguments(heights, true, bareOut),
    join(bareOut, '%v', 'index.m3u8'),
  ]);
  const bareSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await processVideo(input, probed, join(dir, 'ours'), { timeoutMs: 600_000, maxDurationMs: 600_000 });
  const ourSeconds = (performance.now() - started) / 1000;
  const clipSeconds = (probed.durationMs ?? VIDEO_SECONDS * 1000) / 1000;
  console.log(row(`video: bare ffmpeg, ${heights.join('/')}p`, { seconds: bareSeconds, '× real time': clipSeconds / bareSeconds }));
  console.log(
    row('video: processVideo (+ thumbnail)', {
      seconds: ourSeconds,
      '× real time': clipSeconds / ourSeconds,
      'speed of bare': bareSeconds / ourSeconds,
      'target (≤ 2× clip)': ourSeconds <= 2 * clipSeconds ? 'met' : 'missed',
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
