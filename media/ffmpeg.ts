// ffmpeg and ffprobe, spawned directly, under rules that keep a job to the upload itself and to
// bounded work:
// - every input is opened with its container forced (`-f`, the demuxer detect.ts chose from the
//   bytes) and the file protocol only, so no demuxer that opens other files or URLs (hls,
//   concat, image2 sequences, …) ever reads an upload: a "voice note" made of an ID3 header and a
//   playlist cannot make ffmpeg read another file of the node;
// - `probe` also asks ffmpeg's own probing, among the accepted demuxers only, what the file is;
//   an answer other than the forced container is refused (ContainerMismatchError);
// - every run has a time limit, past which the process is killed (SIGKILL); the caller hears of
//   it once the process is gone (ToolTimeoutError);
// - no run outlives what started it: a run inside `stoppedBy(signal, …)` is killed when the
//   signal aborts (a node stopping its media workers: ToolStoppedError), and on Linux every run
//   is started through util-linux's `setpriv --pdeathsig KILL`, so the kernel kills it when the
//   node process dies, even by SIGKILL (an orphaned transcode would otherwise hold a core for
//   minutes after its node is gone).
// fluent-ffmpeg, used here before, has no time limit for ffprobe and reports its own timeout
// before the process has exited; the arguments were already passed one by one anyway.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Demuxer } from './detect.ts';
import { DEMUXERS } from './detect.ts';
import { ContainerMismatchError, ToolStoppedError, ToolTimeoutError } from './errors.ts';

/** A file on the node's disk and the demuxer to read it with: for an upload, the one its bytes call
 * for; `mpegts` only for the pipeline's own renditions (segments joined), never for an upload. */
export interface Input {
  path: string;
  demuxer: Demuxer | 'mpegts';
}

export interface Probe {
  /** Undefined when the container does not say (WebM from MediaRecorder, written as a stream). */
  durationMs: number | undefined;
  /** Width and height as shown (a rotated phone video is taller than wide). */
  video: { width: number; height: number } | undefined;
  audio: boolean;
}

/** What ffmpeg is told before `-i`: the file protocol only, the container forced; `-i` the file by the file protocol. */
export function inputArguments(input: Input, options: string[] = []): string[] {
  return ['-protocol_whitelist', 'file', '-f', input.demuxer, ...options, '-i', `file:${input.path}`];
}

/** Tool failed (exit status not 0): the message ends with the last lines ffmpeg wrote. */
class ToolFailedError extends Error {
  constructor(program: string, code: number | null, stderr: string) {
    const last = stderr.trim().split('\n').slice(-3).join(' | ');
    super(`${program} failed (exit ${code})${last === '' ? '' : `: ${last}`}`);
    this.name = 'ToolFailedError';
  }
}

/** The last `max` bytes of a stream, as text (ffmpeg may print a warning per broken frame). */
async function tail(stream: ReadableStream<Uint8Array>, max = 4096): Promise<string> {
  let kept = new Uint8Array(0);
  for await (const chunk of stream) {
    const joined = new Uint8Array(kept.byteLength + chunk.byteLength);
    joined.set(kept);
    joined.set(chunk, kept.byteLength);
    kept = joined.byteLength > max ? joined.slice(joined.byteLength - max) : joined;
  }
  return new TextDecoder().decode(kept);
}

interface ToolOptions {
  timeoutMs: number;
  /** Each line of standard output, as it comes; without it, standard output is returned (ffprobe's JSON). */
  onLine?: (line: string) => void;
}

/** The signal that stops every tool run started inside `stoppedBy` (however deep in its awaits). */
const stopping = new AsyncLocalStorage<AbortSignal>();

/** Runs `work`; any ffmpeg or ffprobe it starts is killed when `signal` aborts (and fails with ToolStoppedError). */
export function stoppedBy<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return stopping.run(signal, work);
}

/** Where the kernel can be asked to kill a child when its parent dies (Linux, util-linux), the command that asks it. */
const LAUNCHER = Bun.which('setpriv') === null ? [] : ['setpriv', '--pdeathsig', 'KILL'];

async function tool(program: 'ffmpeg' | 'ffprobe', args: string[], options: ToolOptions): Promise<string> {
  const signal = stopping.getStore();
  if (signal?.aborted === true) throw new ToolStoppedError(program, 0);
  const child = Bun.spawn([...LAUNCHER, program, '-v', 'error', ...args], { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  let stopped = false;
  const stop = () => {
    stopped = true;
    child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', stop, { once: true });
  let stdout = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of child.stdout) {
      const text = decoder.decode(chunk, { stream: true });
      if (options.onLine === undefined) stdout += text;
      else {
        const lines = (pending + text).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) options.onLine(line);
      }
    }
    if (options.onLine !== undefined && pending !== '') options.onLine(pending);
  })();
  try {
    const [stderr, code] = await Promise.all([tail(child.stderr), child.exited, reading]);
    if (stopped) throw new ToolStoppedError(program, child.pid);
    if (timedOut) throw new ToolTimeoutError(program, options.timeoutMs, child.pid);
    if (code !== 0) throw new ToolFailedError(program, code, stderr);
    return stdout;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * Runs ffmpeg with `args` (inputs, outputs, options; `-v error` and progress reporting are added).
 * `onProgress` gets the time reached in the output, in ms; the promise gives the last one (for a
 * stream copy, how long the input really is).
 */
export async function runFfmpeg(args: string[], options: { timeoutMs: number; onProgress?: (reachedMs: number) => void }): Promise<number> {
  let reachedMs = 0;
  await tool('ffmpeg', ['-nostdin', '-nostats', '-progress', 'pipe:1', '-y', ...args], {
    timeoutMs: options.timeoutMs,
    onLine: (line) => {
      const match = /^out_time_us=(\d+)$/.exec(line);
      if (match === null) return;
      reachedMs = Math.max(reachedMs, Math.round(Number(match[1]) / 1000));
      options.onProgress?.(reachedMs);
    },
  });
  return reachedMs;
}

interface ProbeData {
  streams?: {
    codec_type?: string;
    width?: number;
    height?: number;
    tags?: Record<string, string>;
    side_data_list?: { rotation?: number }[];
  }[];
  format?: { format_name?: string; duration?: string };
}

/** What the file holds, read with its container forced (and nothing else asked): for the pipeline's own outputs. */
export async function streamsOf(input: Input, timeoutMs: number): Promise<Probe> {
  const forced = JSON.parse(
    await tool(
      'ffprobe',
      ['-protocol_whitelist', 'file', '-f', input.demuxer, '-show_format', '-show_streams', '-of', 'json', `file:${input.path}`],
      { timeoutMs },
    ),
  ) as ProbeData;
  const streams = forced.streams ?? [];
  const video = streams.find((stream) => stream.codec_type === 'video' && (stream.width ?? 0) > 0);
  const rotation = Number(video?.tags?.rotate ?? video?.side_data_list?.find((side) => side.rotation !== undefined)?.rotation ?? 0);
  const upright = Math.abs(rotation) % 180 === 90;
  const duration = Number(forced.format?.duration);
  return {
    durationMs: forced.format?.duration !== undefined && Number.isFinite(duration) ? Math.round(duration * 1000) : undefined,
    video:
      video === undefined
        ? undefined
        : { width: (upright ? video.height : video.width) ?? 0, height: (upright ? video.width : video.height) ?? 0 },
    audio: streams.some((stream) => stream.codec_type === 'audio'),
  };
}

/**
 * What an upload holds, read with its container forced; then ffmpeg's own guess, among the
 * accepted demuxers only, must be that same container. Throws ToolFailedError when the forced read
 * fails (not media of that container), ContainerMismatchError when the two disagree.
 */
export async function probe(input: Input, timeoutMs: number): Promise<Probe> {
  const probed = await streamsOf(input, timeoutMs);
  // Unforced, but only the accepted demuxers may answer: a playlist demuxer's guess is refused
  // before it opens anything ("not on whitelist").
  const guessed = await tool(
    'ffprobe',
    [
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      DEMUXERS.join(','),
      '-show_entries',
      'format=format_name',
      '-of',
      'json',
      `file:${input.path}`,
    ],
    { timeoutMs },
  ).then(
    (json) => (JSON.parse(json) as ProbeData).format?.format_name,
    (error: unknown) => {
      if (error instanceof ToolTimeoutError || error instanceof ToolStoppedError) throw error;
      throw new ContainerMismatchError(input.demuxer, { cause: error });
    },
  );
  if (guessed === undefined || !guessed.split(',').includes(input.demuxer)) throw new ContainerMismatchError(input.demuxer);
  return probed;
}

/**
 * How long the input really lasts, up to `capMs` (plus a second), by copying its packets to
 * nowhere (nothing is decoded): for containers that do not say (browsers' WebM).
 */
export function measureDurationMs(input: Input, capMs: number, timeoutMs: number): Promise<number> {
  return runFfmpeg([...inputArguments(input, ['-t', String((capMs + 1000) / 1000)]), '-map', '0', '-c', 'copy', '-f', 'null', '-'], {
    timeoutMs,
  });
}
