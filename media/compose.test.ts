// Reels composed by ffmpeg (no services): duets side by side with the original's sound, stitches
// playing the original's part first, sounds laid under a clip (replacing or mixing its audio,
// looping when shorter), and colour filters baked with the same arithmetic the preview uses. Each
// output is checked by what ffprobe and ffmpeg measure in it: size, length, streams, the colours of
// its pixels and which tone its sound carries.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyFilter, REEL_FILTER_NAMES, REEL_FILTERS } from '../protocol/filters.ts';
import { type Composition, colourFilter, composedDurationMs, processComposed, type Source } from './compose.ts';
import { runFfmpeg } from './ffmpeg.ts';
import { joinSegments, processVideo } from './video.ts';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'compose-test-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TIMEOUT = 60_000;

async function run(args: string[]): Promise<string> {
  const child = Bun.spawn(['ffmpeg', '-hide_banner', '-nostdin', ...args], { stderr: 'pipe', stdout: 'pipe' });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`ffmpeg: ${stderr}`);
  return stderr;
}

/** A video of one colour, `seconds` long, 360×640, with a sine tone of `hz` (or silent). */
async function make(name: string, colour: string, hz: number | null, seconds: number): Promise<string> {
  const path = join(work, `${name}.mp4`);
  const audio = hz === null ? [] : ['-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=48000:duration=${seconds}`];
  await run([
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=${colour}:s=360x640:r=30:d=${seconds}`,
    ...audio,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    ...(hz === null ? [] : ['-c:a', 'aac']),
    path,
  ]);
  return path;
}

/** An upload through the pipeline, then its top rendition joined, as the compose job reads a source. */
async function processed(name: string, colour: string, hz: number | null, seconds: number): Promise<{ source: Source; out: string }> {
  const path = await make(name, colour, hz, seconds);
  const out = join(work, name, 'out');
  mkdirSync(out, { recursive: true });
  const result = await processVideo(
    { path, demuxer: 'mov' },
    { durationMs: seconds * 1000, video: { width: 360, height: 640 }, audio: hz !== null },
    out,
    { timeoutMs: TIMEOUT, maxDurationMs: 600_000, sound: true },
  );
  const top = Math.max(...result.heights);
  const joined = join(work, name, 'joined.ts');
  await joinSegments(
    result.files.filter((file) => file.startsWith(`${top}p/`) && file.endsWith('.ts')).map((file) => join(out, file)),
    joined,
  );
  return { source: { path: joined, demuxer: 'mpegts', audio: hz !== null, width: 270, height: 480 }, out };
}

/** The composed reel's top rendition, joined. */
async function outputOf(out: string): Promise<string> {
  const folders = (await readdir(out, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const top = folders.sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10))[0] as string;
  const joined = join(out, '..', 'result.ts');
  await joinSegments(
    (await readdir(join(out, top))).filter((name) => name.endsWith('.ts')).map((name) => join(out, top, name)),
    joined,
  );
  return joined;
}

interface Probed {
  width: number;
  height: number;
  durationMs: number;
  audio: boolean;
}

async function ffprobe(path: string): Promise<Probed> {
  const child = Bun.spawn(['ffprobe', '-v', 'error', '-show_format', '-show_streams', '-of', 'json', path], { stdout: 'pipe' });
  const data = JSON.parse(await new Response(child.stdout).text()) as {
    streams: { codec_type: string; width?: number; height?: number }[];
    format: { duration: string };
  };
  const video = data.streams.find((stream) => stream.codec_type === 'video');
  return {
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    durationMs: Math.round(Number(data.format.duration) * 1000),
    audio: data.streams.some((stream) => stream.codec_type === 'audio'),
  };
}

/** The colour of one pixel of the frame at `seconds`, as 8-bit RGB. */
async function pixel(path: string, seconds: number, x: number, y: number): Promise<[number, number, number]> {
  const child = Bun.spawn(
    [
      'ffmpeg',
      '-v',
      'error',
      '-ss',
      String(seconds),
      '-i',
      path,
      '-frames:v',
      '1',
      '-vf',
      `crop=2:2:${x - (x % 2)}:${y - (y % 2)}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { stdout: 'pipe' },
  );
  const bytes = new Uint8Array(await new Response(child.stdout).arrayBuffer());
  return [bytes[0] ?? -1, bytes[1] ?? -1, bytes[2] ?? -1];
}

/** Mean loudness (dB) of the sound between `from` and `from + seconds`, through a narrow band around `hz` (two band-pass filters: a tone an octave away is some 40 dB down). */
async function loudness(path: string, from: number, seconds: number, hz: number): Promise<number> {
  const log = await run([
    '-ss',
    String(from),
    '-t',
    String(seconds),
    '-i',
    path,
    '-vn',
    '-af',
    `bandpass=f=${hz}:width_type=q:w=8,bandpass=f=${hz}:width_type=q:w=8,volumedetect`,
    '-f',
    'null',
    '-',
  ]);
  const match = /mean_volume: (-?[\d.]+|-inf) dB/.exec(log);
  return match?.[1] === undefined || match[1] === '-inf' ? -200 : Number(match[1]);
}

const near = (actual: readonly number[], expected: readonly number[], tolerance: number) =>
  actual.every((value, i) => Math.abs(value - (expected[i] as number)) <= tolerance);

const base = (clipMs: number): Composition => ({
  clip: { mediaId: 'clip', startMs: 0, endMs: clipMs },
  filter: null,
  sound: null,
  duet: null,
  stitch: null,
  durationMs: clipMs,
  credit: { soundId: null, remix: null },
});

describe('composing reels with ffmpeg', () => {
  let red: Awaited<ReturnType<typeof processed>>;
  let blue: Awaited<ReturnType<typeof processed>>;
  let silentGreen: Awaited<ReturnType<typeof processed>>;
  beforeAll(async () => {
    // The clip: red, a 440 Hz tone. The original: blue, an 880 Hz tone. A silent green one.
    red = await processed('red', '0xd01010', 440, 16);
    blue = await processed('blue', '0x1010d0', 880, 20);
    silentGreen = await processed('green', '0x10c010', null, 6);
  }, 120_000);

  test('an upload processed for a reel keeps its audio alone as sound.m4a (its original sound); a silent one has none', async () => {
    const sound = await ffprobe(join(red.out, 'sound.m4a'));
    expect(sound).toMatchObject({ audio: true, width: 0 });
    expect(Math.abs(sound.durationMs - 16_000)).toBeLessThan(200);
    expect(await loudness(join(red.out, 'sound.m4a'), 2, 4, 440)).toBeGreaterThan(-40);
    expect(await readdir(silentGreen.out)).not.toContain('sound.m4a');
  });

  test("a duet puts the clip left and the original right at one height, lasts as the shorter, and carries the original's sound with the clip's mixed in", async () => {
    const composition: Composition = { ...base(16_000), duet: { mediaId: 'blue', clipVolume: 0 } };
    composition.durationMs = composedDurationMs(composition, 20_000);
    expect(composition.durationMs).toBe(16_000);
    const out = join(work, 'duet', 'out');
    mkdirSync(out, { recursive: true });
    const result = await processComposed(composition, red.source, blue.source, out, { timeoutMs: TIMEOUT });
    expect(result.files).toContain('master.m3u8');
    expect(result.files).toContain('thumb.jpg');
    const path = await outputOf(out);
    const probed = await ffprobe(path);
    // Two 270×480 pictures side by side: 540×480, cut into the ladder (one rendition, 480p).
    expect(probed).toMatchObject({ width: 540, height: 480, audio: true });
    expect(Math.abs(probed.durationMs - 16_000)).toBeLessThan(300);
    expect(near(await pixel(path, 3, 60, 240), [208, 16, 16], 24)).toBe(true);
    expect(near(await pixel(path, 3, 480, 240), [16, 16, 208], 24)).toBe(true);
    // clipVolume 0: the original's tone only (the other band holds no more than what leaks through the filter).
    expect(await loudness(path, 2, 4, 880)).toBeGreaterThan(-40);
    expect(await loudness(path, 2, 4, 880)).toBeGreaterThan((await loudness(path, 2, 4, 440)) + 25);

    const mixed: Composition = { ...composition, duet: { mediaId: 'blue', clipVolume: 100 } };
    const mixedOut = join(work, 'duet-mixed', 'out');
    mkdirSync(mixedOut, { recursive: true });
    await processComposed(mixed, red.source, blue.source, mixedOut, { timeoutMs: TIMEOUT });
    const mixedPath = await outputOf(mixedOut);
    expect(await loudness(mixedPath, 2, 4, 880)).toBeGreaterThan(-40);
    expect(await loudness(mixedPath, 2, 4, 440)).toBeGreaterThan(-40);
  }, 120_000);

  test("a stitch plays the part of the original first, then the clip, at the clip's size, with each part's own sound", async () => {
    const composition: Composition = { ...base(16_000), stitch: { mediaId: 'blue', startMs: 2_000, endMs: 5_000 } };
    composition.durationMs = composedDurationMs(composition, 20_000);
    expect(composition.durationMs).toBe(19_000);
    const out = join(work, 'stitch', 'out');
    mkdirSync(out, { recursive: true });
    await processComposed(composition, red.source, blue.source, out, { timeoutMs: TIMEOUT });
    const path = await outputOf(out);
    const probed = await ffprobe(path);
    expect(probed).toMatchObject({ width: 270, height: 480, audio: true });
    expect(Math.abs(probed.durationMs - 19_000)).toBeLessThan(300);
    // 0–3 s: the original (blue, 880 Hz); then the clip (red, 440 Hz).
    expect(near(await pixel(path, 1, 135, 240), [16, 16, 208], 24)).toBe(true);
    expect(near(await pixel(path, 8, 135, 240), [208, 16, 16], 24)).toBe(true);
    expect(await loudness(path, 0.5, 2, 880)).toBeGreaterThan(-40);
    expect(await loudness(path, 0.5, 2, 880)).toBeGreaterThan((await loudness(path, 0.5, 2, 440)) + 25);
    expect(await loudness(path, 6, 4, 440)).toBeGreaterThan(-40);
    expect(await loudness(path, 6, 4, 440)).toBeGreaterThan((await loudness(path, 6, 4, 880)) + 25);
  }, 120_000);

  test('a stitch of a silent original gets silence for its part, not a failure', async () => {
    const composition: Composition = { ...base(16_000), stitch: { mediaId: 'green', startMs: 0, endMs: 4_000 } };
    composition.durationMs = composedDurationMs(composition, 6_000);
    const out = join(work, 'stitch-silent', 'out');
    mkdirSync(out, { recursive: true });
    await processComposed(composition, red.source, silentGreen.source, out, { timeoutMs: TIMEOUT });
    const path = await outputOf(out);
    expect(Math.abs((await ffprobe(path)).durationMs - 20_000)).toBeLessThan(300);
    expect(await loudness(path, 0.5, 2, 440)).toBeLessThan(-60);
    expect(await loudness(path, 8, 4, 440)).toBeGreaterThan(-40);
  }, 120_000);

  test("a sound replaces the clip's audio, or is mixed with it, for the whole clip (looping when shorter), trimmed to the part kept", async () => {
    const sound: Source = { path: join(blue.out, 'sound.m4a'), demuxer: 'mov', audio: true, width: 0, height: 0 };
    const replaced: Composition = {
      ...base(16_000),
      clip: { mediaId: 'clip', startMs: 1_000, endMs: 16_000 },
      sound: { mediaId: 'blue', volume: 100, clipVolume: 0 },
    };
    replaced.durationMs = composedDurationMs(replaced, undefined);
    expect(replaced.durationMs).toBe(15_000);
    const out = join(work, 'sound', 'out');
    mkdirSync(out, { recursive: true });
    await processComposed(replaced, red.source, sound, out, { timeoutMs: TIMEOUT });
    const path = await outputOf(out);
    const probed = await ffprobe(path);
    expect(Math.abs(probed.durationMs - 15_000)).toBeLessThan(300);
    expect(await loudness(path, 10, 4, 880)).toBeGreaterThan(-40);
    expect(await loudness(path, 10, 4, 880)).toBeGreaterThan((await loudness(path, 10, 4, 440)) + 25);

    // A 6 s sound under a 16 s clip, mixed: it loops, so it is heard at 12 s; the clip's tone too.
    const short = await processed('short-tone', '0x101010', 880, 6);
    const mixed: Composition = { ...base(16_000), sound: { mediaId: 'short', volume: 100, clipVolume: 100 } };
    const mixedOut = join(work, 'sound-mixed', 'out');
    mkdirSync(mixedOut, { recursive: true });
    await processComposed(
      mixed,
      red.source,
      { path: join(short.out, 'sound.m4a'), demuxer: 'mov', audio: true, width: 0, height: 0 },
      mixedOut,
      { timeoutMs: TIMEOUT },
    );
    const mixedPath = await outputOf(mixedOut);
    expect(Math.abs((await ffprobe(mixedPath)).durationMs - 16_000)).toBeLessThan(300);
    expect(await loudness(mixedPath, 12, 3, 880)).toBeGreaterThan(-40);
    expect(await loudness(mixedPath, 12, 3, 440)).toBeGreaterThan(-40);
  }, 180_000);

  test("a filter is baked into the composed video: the colour is what the preview's matrix gives", async () => {
    const composition: Composition = { ...base(16_000), filter: 'sepia' };
    const out = join(work, 'filtered', 'out');
    mkdirSync(out, { recursive: true });
    await processComposed(composition, red.source, undefined, out, { timeoutMs: TIMEOUT });
    const path = await outputOf(out);
    const before = await pixel(red.source.path, 3, 135, 240);
    const after = await pixel(path, 3, 135, 240);
    expect(near(after, applyFilter(REEL_FILTERS.sepia, before), 12)).toBe(true);
    expect(near(after, before, 12)).toBe(false);
  }, 120_000);
});

describe('colour filters', () => {
  test(`each of the ${REEL_FILTER_NAMES.length} filters, run by ffmpeg on an RGB image, gives the colours its matrix gives (what the preview shows)`, async () => {
    expect(REEL_FILTER_NAMES.length).toBeGreaterThanOrEqual(8);
    const colours: [number, number, number][] = [
      [128, 96, 64],
      [30, 160, 220],
      [240, 240, 240],
      [12, 12, 12],
    ];
    const input = join(work, 'swatch.rgb');
    await Bun.write(input, new Uint8Array(colours.flat()));
    for (const name of REEL_FILTER_NAMES) {
      const output = join(work, `swatch-${name}.rgb`);
      await runFfmpeg(
        [
          '-f',
          'rawvideo',
          '-pix_fmt',
          'rgb24',
          '-s',
          `${colours.length}x1`,
          '-i',
          `file:${input}`,
          '-vf',
          colourFilter(name).replace(/,format=yuv420p$/, ''),
          '-f',
          'rawvideo',
          '-pix_fmt',
          'rgb24',
          `file:${output}`,
        ],
        { timeoutMs: TIMEOUT },
      );
      const bytes = new Uint8Array(await Bun.file(output).arrayBuffer());
      colours.forEach((colour, i) => {
        const found = [...bytes.subarray(i * 3, i * 3 + 3)];
        const expected = applyFilter(REEL_FILTERS[name], colour);
        expect({ name, colour, found: near(found, expected, 2) ? expected : found }).toEqual({ name, colour, found: expected });
      });
    }
  });
});
