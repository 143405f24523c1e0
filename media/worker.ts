// The media job: turns a complete upload into its renditions. It runs wherever the queue hands it
// (any node with the media role), from scratch each time (a job redelivered after its worker died
// starts over in a fresh folder and overwrites what the first attempt stored), and ends with the
// media READY and the upload's original removed, or FAILED with a reason once retrying is pointless.
// The bytes it works on are checked again here (a direct upload can be overwritten after
// `complete` looked at it): the same size, the same container, and only then ffmpeg, told that
// container (media/ffmpeg.ts). Work per upload is bounded: pixels, duration, time per tool run.
import { appendFile, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MEDIA_LIMITS } from '../protocol/lists.ts';
import { type Media, type MediaRow, mediaFolder } from '../server/media/media.ts';
import type { StoredFile } from '../server/media/schema.ts';
import type { Logger } from '../server/platform/log.ts';
import type { ObjectStore } from '../server/platform/storage/index.ts';
import { type Composition, processComposed, type Source } from './compose.ts';
import { type Demuxer, demuxerOf, detect, SNIFF_BYTES } from './detect.ts';
import { ContainerMismatchError, formatSeconds, MediaTooLongError, PoisonFileError, ToolStoppedError } from './errors.ts';
import { type Input, measureDurationMs, type Probe, probe, stoppedBy, streamsOf } from './ffmpeg.ts';
import { processImage } from './images.ts';
import type { GiveUp, JobHandler, MediaJob } from './queue.ts';
import { extractSound, listFiles, processVideo, VIDEO_MAX_FRAME_PIXELS } from './video.ts';
import { processVoice } from './voice.ts';

interface WorkerLimits {
  /** Images announcing more pixels are refused before decoding. */
  imageMaxPixels: number;
  /** Videos (reels too) lasting longer are refused before transcoding. */
  videoMaxDurationMs: number;
  /** Each ffprobe run is killed past this. */
  probeTimeoutMs: number;
  /** Each ffmpeg run is killed past this. */
  transcodeTimeoutMs: number;
}

export interface WorkerDeps {
  media: Media;
  store: ObjectStore;
  log: Logger;
  /** Where jobs unpack their files (a folder of the node's DATA_DIR). */
  workDir: string;
  watermark: string | undefined;
  limits: WorkerLimits;
}

const MIME: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
};
const mimeOf = (name: string) => MIME[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

export function mediaWorker(deps: WorkerDeps): { handle: JobHandler; giveUp: GiveUp } {
  /** Progress at most every second, and only forward. */
  function reporter(id: string) {
    let last = 0;
    let at = 0;
    return (fraction: number) => {
      const percent = Math.min(99, Math.max(1, Math.round(fraction * 100)));
      if (percent <= last || Date.now() - at < 1000) return;
      last = percent;
      at = Date.now();
      deps.media.progress(id, percent).catch((error: unknown) => {
        deps.log.warn({ err: error, mediaId: id }, `media.progress() | not recorded [media:${id}]`);
      });
    };
  }

  /** The bytes are still the container `complete` found in them. */
  function sameContainer(row: MediaRow, head: Uint8Array): void {
    if (row.format === null || detect(head)?.format !== row.format) throw new ContainerMismatchError(row.format ?? 'media');
  }

  /**
   * A direct upload is still the size announced: its presigned PUT stays usable for an hour, so
   * the object may have been replaced since `complete` (by anything, of any size). Chunks cannot.
   */
  async function sameSize(row: MediaRow): Promise<void> {
    if (row.parts.length > 0) return;
    const info = await deps.store.stat(`${mediaFolder(row)}upload/original`);
    if (info.size !== row.size)
      throw new PoisonFileError(`the upload changed after it was completed (${info.size} bytes, ${row.size} announced)`);
  }

  /** The upload on this node's disk, checked again: the size announced, the container `complete` found. */
  async function localCopy(row: MediaRow, dir: string): Promise<Input> {
    const path = join(dir, 'original');
    await sameSize(row);
    if (row.parts.length === 0) await deps.store.download(`${mediaFolder(row)}upload/original`, path);
    else for (const key of row.parts) await appendFile(path, await deps.store.get(key));
    const head = new Uint8Array(SNIFF_BYTES);
    const file = await open(path);
    try {
      await file.read(head, 0, SNIFF_BYTES, 0);
    } finally {
      await file.close();
    }
    sameContainer(row, head);
    const demuxer: Demuxer | undefined = demuxerOf(row.format);
    if (demuxer === undefined) throw new ContainerMismatchError(row.format ?? 'media');
    return { path, demuxer };
  }

  /** Probed with the container forced; a file ffmpeg cannot read that way (or reads as another) is poison. */
  async function probed(input: Input, what: string): Promise<Probe> {
    return probe(input, deps.limits.probeTimeoutMs).catch((error: unknown) => {
      if (error instanceof PoisonFileError || error instanceof ToolStoppedError) throw error;
      throw new PoisonFileError(`the ${what} cannot be read`, { cause: error });
    });
  }

  async function store(
    row: MediaRow,
    files: { name: string; bytes: Uint8Array; width?: number; height?: number }[],
  ): Promise<StoredFile[]> {
    const stored: StoredFile[] = [];
    for (const file of files) {
      const mime = mimeOf(file.name);
      await deps.store.put(`${mediaFolder(row)}out/${file.name}`, file.bytes, { contentType: mime });
      stored.push({
        name: file.name,
        mime,
        bytes: file.bytes.byteLength,
        ...(file.width === undefined ? {} : { width: file.width }),
        ...(file.height === undefined ? {} : { height: file.height }),
      });
    }
    return stored;
  }

  /** The files a tool wrote to `out`, stored one at a time (an HLS ladder can be hundreds of MB). */
  async function storeWritten(row: MediaRow, out: string, names: readonly string[]): Promise<StoredFile[]> {
    const stored: StoredFile[] = [];
    for (const name of names)
      stored.push(...(await store(row, [{ name, bytes: new Uint8Array(await Bun.file(join(out, name)).arrayBuffer()) }])));
    return stored;
  }

  async function image(row: MediaRow): Promise<Partial<MediaRow>> {
    await sameSize(row);
    const original = await deps.media.original(row);
    sameContainer(row, original.subarray(0, SNIFF_BYTES));
    const processed = await processImage(original, {
      maxPixels: deps.limits.imageMaxPixels,
      ...(deps.watermark === undefined ? {} : { watermark: deps.watermark }),
    });
    const files = await store(
      row,
      processed.renditions.map((rendition) => ({
        name: `${rendition.size}.${rendition.format === 'jpeg' ? 'jpg' : 'webp'}`,
        bytes: rendition.bytes,
        width: rendition.width,
        height: rendition.height,
      })),
    );
    return { files, width: processed.width, height: processed.height, preview: processed.preview };
  }

  async function video(row: MediaRow, dir: string): Promise<Partial<MediaRow>> {
    const input = await localCopy(row, dir);
    const info = await probed(input, 'video');
    const { video } = info;
    if (video === undefined) throw new PoisonFileError('the file has no video');
    if (video.width * video.height > VIDEO_MAX_FRAME_PIXELS)
      throw new PoisonFileError(`a video frame is at most 7680×4320 pixels; this one is ${video.width}×${video.height}`);
    const reel = row.kind === 'reel';
    const maxDurationMs = reel ? Math.min(MEDIA_LIMITS.reel.maxDurationMs, deps.limits.videoMaxDurationMs) : deps.limits.videoMaxDurationMs;
    // A container that does not say how long it is (browsers' WebM) is measured, packets only.
    const duration =
      info.durationMs ??
      (await measureDurationMs(input, maxDurationMs, deps.limits.probeTimeoutMs).catch((error: unknown) => {
        if (error instanceof PoisonFileError || error instanceof ToolStoppedError) throw error;
        throw new PoisonFileError('the video cannot be read', { cause: error });
      }));
    const { minDurationMs } = MEDIA_LIMITS.reel;
    if (reel && (duration < minDurationMs || duration > maxDurationMs))
      throw new MediaTooLongError(
        `a reel lasts ${minDurationMs / 1000} s to ${formatSeconds(maxDurationMs)}; this video is ${(duration / 1000).toFixed(1)} s long`,
        maxDurationMs,
      );
    if (duration > maxDurationMs)
      throw new MediaTooLongError(
        `a video is at most ${formatSeconds(maxDurationMs)} long; this one is ${(duration / 1000).toFixed(1)} s`,
        maxDurationMs,
      );
    const out = join(dir, 'out');
    const processed = await processVideo(input, { ...info, durationMs: duration }, out, {
      timeoutMs: deps.limits.transcodeTimeoutMs,
      maxDurationMs,
      onProgress: reporter(row.id),
      sound: reel,
    });
    const files = await storeWritten(row, out, processed.files);
    return { files, width: video.width, height: video.height, durationMs: duration };
  }

  /**
   * A video the pipeline made (ready, a video or a reel): its top rendition's segments joined on
   * this node's disk. One gone meanwhile (deleted by its owner) fails the job for good.
   */
  async function rendition(mediaId: string, path: string): Promise<Source> {
    const source = await deps.media.load(mediaId);
    if (source === undefined || source.status !== 'ready' || (source.kind !== 'video' && source.kind !== 'reel'))
      throw new PoisonFileError('a video it was made from is no longer available');
    const segments = source.files.map((file) => /^(\d+)p\/seg_\d+\.ts$/.exec(file.name)).filter((match) => match !== null);
    const top = Math.max(...segments.map((match) => Number(match[1])));
    const names = segments
      .filter((match) => Number(match[1]) === top)
      .map((match) => match[0])
      .sort();
    const file = await open(path, 'w');
    try {
      for (const name of names) await file.write(await deps.store.get(`${mediaFolder(source)}out/${name}`));
    } finally {
      await file.close();
    }
    return sourceOf({ path, demuxer: 'mpegts' });
  }

  /** A sound's audio (sound.m4a of its reel's media) on this node's disk. */
  async function soundFile(mediaId: string, path: string): Promise<Source> {
    const source = await deps.media.load(mediaId);
    if (source === undefined || source.status !== 'ready' || !source.files.some((file) => file.name === 'sound.m4a'))
      throw new PoisonFileError('the sound it was made with is no longer available');
    await Bun.write(path, await deps.store.get(`${mediaFolder(source)}out/sound.m4a`));
    return sourceOf({ path, demuxer: 'mov' });
  }

  async function sourceOf(input: Input): Promise<Source> {
    const info = await streamsOf(input, deps.limits.probeTimeoutMs);
    return { ...input, audio: info.audio, width: info.video?.width ?? 0, height: info.video?.height ?? 0 };
  }

  /** A reel made from others (reels.compose): its sources fetched, composed and cut into the ladder in one run. */
  async function composed(row: MediaRow, recipe: Composition, dir: string): Promise<Partial<MediaRow>> {
    const clip = await rendition(recipe.clip.mediaId, join(dir, 'clip.ts'));
    const remixed = recipe.duet?.mediaId ?? recipe.stitch?.mediaId;
    const other =
      remixed !== undefined
        ? await rendition(remixed, join(dir, 'original.ts'))
        : recipe.sound === null
          ? undefined
          : await soundFile(recipe.sound.mediaId, join(dir, 'sound.m4a'));
    const out = join(dir, 'out');
    await mkdir(out, { recursive: true });
    const processed = await processComposed(recipe, clip, other, out, {
      timeoutMs: deps.limits.transcodeTimeoutMs,
      onProgress: reporter(row.id),
    });
    // Its audio is its own (no sound laid under it, no duet's): it may become an original sound.
    const own = recipe.sound === null && recipe.duet === null && processed.audio;
    if (own) await extractSound(out, processed.heights, dir, deps.limits.transcodeTimeoutMs);
    const files = await storeWritten(row, out, own ? await listFiles(out) : processed.files);
    return { files, width: processed.width, height: processed.height, durationMs: recipe.durationMs };
  }

  async function voice(row: MediaRow, dir: string): Promise<Partial<MediaRow>> {
    const input = await localCopy(row, dir);
    const info = await probed(input, 'recording');
    if (!info.audio) throw new PoisonFileError('the file has no sound');
    const maxDurationMs = MEDIA_LIMITS.voice.maxDurationMs;
    const tooLong = new MediaTooLongError(`a voice note is at most ${formatSeconds(maxDurationMs)} long`, maxDurationMs);
    if ((info.durationMs ?? 0) > maxDurationMs) throw tooLong;
    const out = join(dir, 'out');
    await mkdir(out, { recursive: true });
    const processed = await processVoice(input, info, out, { timeoutMs: deps.limits.transcodeTimeoutMs, maxDurationMs });
    // Measured from the decoded samples: browsers' WebM says nothing of its length.
    if (processed.durationMs > maxDurationMs) throw tooLong;
    const files = await storeWritten(
      row,
      out,
      processed.files.map((file) => file.name),
    );
    return { files, durationMs: processed.durationMs, waveform: processed.waveform };
  }

  async function handle(job: MediaJob, attempt: number): Promise<void> {
    const row = await deps.media.load(job.mediaId);
    // Deleted, or already finished by an earlier delivery: nothing left to do but what that one
    // may not have finished (removing the upload is harmless twice).
    if (row?.status === 'ready') await deps.store.removePrefix(`${mediaFolder(row)}upload/`);
    if (row === undefined || row.status !== 'processing') return;
    deps.log.info({ mediaId: row.id, kind: row.kind, attempt }, `media.job() | started [media:${row.id}] [attempt:${attempt}]`);
    await deps.media.progress(row.id, 1, attempt);
    await mkdir(deps.workDir, { recursive: true });
    const dir = await mkdtemp(join(deps.workDir, `media-${row.id}-`));
    try {
      const result =
        row.recipe !== null
          ? await composed(row, row.recipe, dir)
          : row.kind === 'image'
            ? await image(row)
            : row.kind === 'voice'
              ? await voice(row, dir)
              : await video(row, dir);
      const ready = await deps.media.ready(row.id, { ...result, parts: [] });
      // Deleted while the job ran: its renditions belong to nothing.
      if (ready === undefined) await deps.store.removePrefix(mediaFolder(row));
      // The whole upload folder: the chunks recorded, and any a node stored but died before
      // recording.
      await deps.store.removePrefix(`${mediaFolder(row)}upload/`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    handle: (job, { attempt, signal }) => stoppedBy(signal, () => handle(job, attempt)),
    async giveUp(job, error) {
      const failure =
        error instanceof PoisonFileError
          ? { reason: error.message, code: error.code, details: error.details() }
          : { reason: 'the file could not be processed', code: 'PROCESSING_FAILED', details: {} };
      deps.log.warn(
        { err: error, mediaId: job.mediaId },
        `media.job() | failed for good [media:${job.mediaId}] [code:${failure.code}] [reason:${failure.reason}]`,
      );
      await deps.media.failed(job.mediaId, failure, 'processing');
    },
  };
}
