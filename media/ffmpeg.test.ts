// The ffmpeg runner on its own (no services): a run past its time limit is killed, and a probe
// forces the container detect.ts found, refusing polyglots that ffmpeg would read as a playlist.
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demuxerOf, detect } from './detect.ts';
import { ContainerMismatchError, ToolStoppedError, ToolTimeoutError } from './errors.ts';
import { type Input, measureDurationMs, probe, runFfmpeg, stoppedBy } from './ffmpeg.ts';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ffmpeg-test-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function make(name: string, args: string[]): Promise<string> {
  const path = join(work, name);
  const child = Bun.spawn(['ffmpeg', '-loglevel', 'error', '-y', ...args, path], { stderr: 'pipe' });
  if ((await child.exited) !== 0) throw new Error(`ffmpeg: ${await new Response(child.stderr).text()}`);
  return path;
}

/** An ID3v2 header with no frames: what makes ffmpeg's probing look past it. */
const ID3 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
const playlist = (segment: string) =>
  new TextEncoder().encode(`#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\n${segment}\n#EXT-X-ENDLIST\n`);

async function upload(name: string, ...parts: Uint8Array[]): Promise<Input> {
  const path = join(work, name);
  const bytes = new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
  await Bun.write(path, bytes);
  const demuxer = demuxerOf(detect(bytes)?.format ?? null);
  if (demuxer === undefined) throw new Error(`${name} is not detected as audio or video`);
  return { path, demuxer };
}

describe('ffmpeg', () => {
  test('ffmpeg: a run past its time limit is killed, and the caller hears of it only once the process is gone', async () => {
    // An endless source: this run never ends by itself.
    const error = await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=rate=25', '-f', 'null', '-'], { timeoutMs: 200 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ToolTimeoutError);
    expect(error).toMatchObject({ code: 'MEDIA_TIMEOUT' });
    // Reaped: no process with that id is left (not even a zombie).
    expect(() => process.kill((error as ToolTimeoutError).pid, 0)).toThrow();
  });

  test('ffmpeg: a run started inside stoppedBy is killed when its signal aborts (a node stopping), and the caller hears ToolStoppedError once it is gone', async () => {
    const stop = new AbortController();
    const running = stoppedBy(stop.signal, async () => {
      await Bun.sleep(1);
      // Deeper in the awaits than the call itself, as in a media job.
      return runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=rate=25', '-f', 'null', '-'], { timeoutMs: 60_000 });
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await Bun.sleep(300);
    stop.abort();
    const error = await running;
    expect(error).toBeInstanceOf(ToolStoppedError);
    expect(() => process.kill((error as ToolStoppedError).pid, 0)).toThrow();
    // Nothing starts once stopped.
    await expect(
      stoppedBy(stop.signal, () => runFfmpeg(['-f', 'lavfi', '-i', 'testsrc', '-f', 'null', '-'], { timeoutMs: 1000 })),
    ).rejects.toBeInstanceOf(ToolStoppedError);
  });

  test('ffmpeg: a run dies with the process that started it, even one killed by SIGKILL', async () => {
    const node = Bun.spawn(
      [
        process.execPath,
        '-e',
        `import { runFfmpeg } from ${JSON.stringify(join(import.meta.dirname, 'ffmpeg.ts'))};
         console.log('started');
         await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=rate=25', '-f', 'null', '-'], { timeoutMs: 600_000 });`,
      ],
      { stdout: 'pipe', stderr: 'inherit' },
    );
    const children = async () => {
      const tasks = await readdir(`/proc/${node.pid}/task`);
      const ids = await Promise.all(tasks.map((task) => readFile(`/proc/${node.pid}/task/${task}/children`, 'utf8')));
      return ids
        .flatMap((line) => line.trim().split(/\s+/))
        .filter((id) => id !== '')
        .map(Number);
    };
    let ffmpeg: number | undefined;
    for (let i = 0; i < 200 && ffmpeg === undefined; i++) {
      for (const id of await children()) if ((await readFile(`/proc/${id}/comm`, 'utf8').catch(() => '')).trim() === 'ffmpeg') ffmpeg = id;
      if (ffmpeg === undefined) await Bun.sleep(50);
    }
    expect(ffmpeg).toBeDefined();
    node.kill('SIGKILL');
    await node.exited;
    // Gone, or a zombie waiting for whoever adopted it to reap it: either way no longer running.
    const state = async () => (await readFile(`/proc/${ffmpeg}/stat`, 'utf8').catch(() => 'gone')).replace(/^.*\) /, '').slice(0, 1);
    let last = await state();
    for (let i = 0; i < 100 && last !== 'g' && last !== 'Z'; i++) {
      await Bun.sleep(50);
      last = await state();
    }
    expect(['g', 'Z']).toContain(last);
  });

  test('ffmpeg: a probe forces the detected container; an ID3 header over a playlist is not read as a playlist, and an MP3 that is also a playlist is a ContainerMismatchError', async () => {
    const secret = await make('secret.ts', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac']);
    const frames = new Uint8Array(
      await Bun.file(
        await make('frames.mp3', [
          '-f',
          'lavfi',
          '-i',
          'sine=frequency=300:duration=2',
          '-c:a',
          'libmp3lame',
          '-id3v2_version',
          '0',
          '-f',
          'mp3',
        ]),
      ).arrayBuffer(),
    );
    const evil = await upload('evil.mp3', ID3, playlist(secret));
    expect(evil.demuxer).toBe('mp3');
    // Unforced, ffprobe reads the ID3 + playlist file as HLS and opens the file it names.
    const unforced = Bun.spawn(['ffprobe', '-v', 'error', '-show_entries', 'format=format_name', '-of', 'csv=p=0', evil.path]);
    expect((await new Response(unforced.stdout).text()).trim()).toBe('hls');
    await expect(probe(evil, 30_000)).rejects.toThrow(/ffprobe failed/);
    // Valid MP3 frames after the playlist: the forced read succeeds, ffmpeg's own guess is HLS.
    const polyglot = await upload('polyglot.mp3', ID3, playlist(secret), frames);
    await expect(probe(polyglot, 30_000)).rejects.toBeInstanceOf(ContainerMismatchError);
    // The same frames without the playlist are a plain MP3.
    const plain = await upload('plain.mp3', ID3, frames);
    expect(await probe(plain, 30_000)).toMatchObject({ audio: true, video: undefined });
  });

  test('ffmpeg: every container the pipeline accepts is detected and probed with its container forced', async () => {
    const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1'];
    const picture = ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=1'];
    const h264 = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'];
    const cases: [string, string[], string, boolean][] = [
      ['a.mp4', [...picture, ...tone, ...h264, '-c:a', 'aac'], 'mp4', true],
      ['a.mov', [...picture, ...h264], 'quicktime', true],
      ['a.m4a', [...tone, '-c:a', 'aac', '-f', 'ipod'], 'm4a', false],
      ['a.webm', [...tone, '-c:a', 'libopus'], 'webm', false],
      ['a.ogg', [...tone, '-c:a', 'libopus'], 'ogg', false],
      ['a.wav', tone, 'wav', false],
      ['a.mp3', [...tone, '-c:a', 'libmp3lame'], 'mp3', false],
    ];
    for (const [name, args, format, video] of cases) {
      const input = await upload(`probe-${name}`, new Uint8Array(await Bun.file(await make(name, args)).arrayBuffer()));
      expect([name, detect(new Uint8Array(await Bun.file(input.path).arrayBuffer()))?.format]).toEqual([name, format]);
      const probed = await probe(input, 30_000);
      expect([name, probed.video !== undefined, probed.audio || video]).toEqual([name, video, true]);
    }
  });

  test('ffmpeg: a WebM written as a stream (no duration in its header) is measured by copying its packets, up to the cap', async () => {
    const recorder = Bun.spawn(
      [
        'ffmpeg',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=64x48:rate=10:duration=4',
        '-c:v',
        'libvpx',
        '-f',
        'webm',
        'pipe:1',
      ],
      { stdout: 'pipe' },
    );
    const bytes = new Uint8Array(await new Response(recorder.stdout).arrayBuffer());
    expect(await recorder.exited).toBe(0);
    const input = await upload('streamed.webm', bytes);
    expect((await probe(input, 30_000)).durationMs).toBeUndefined();
    // Media time, not wall time: 40 frames at 10 fps.
    const measured = await measureDurationMs(input, 60_000, 30_000);
    expect(measured).toBeGreaterThanOrEqual(3900);
    expect(measured).toBeLessThanOrEqual(4100);
    // Read no further than the cap and a second.
    expect(await measureDurationMs(input, 1000, 30_000)).toBeLessThanOrEqual(2100);
  });
});
