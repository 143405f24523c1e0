// The media job: turns a complete upload into its renditions. It runs wherever the queue hands it
// (any node with the media role), from scratch each time (a job redelivered after its worker died
// starts over in a fresh folder and overwrites what the first attempt stored), and ends with the
// media READY and the upload's original removed, or FAILED with a reason once retrying is pointless.
import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MEDIA_LIMITS } from '../protocol/lists.ts';
import { type Media, type MediaRow, mediaFolder } from '../server/media/media.ts';
import type { StoredFile } from '../server/media/schema.ts';
import type { Logger } from '../server/platform/log.ts';
import type { ObjectStore } from '../server/platform/storage/index.ts';
import { probe } from './ffmpeg.ts';
import { processImage } from './images.ts';
import { type GiveUp, type JobHandler, PermanentJobError } from './queue.ts';
import { processVideo } from './video.ts';
import { processVoice } from './voice.ts';

/** The file itself is the problem (nothing to decode, too long): retrying cannot help. */
class PoisonFileError extends PermanentJobError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonFileError';
  }
}

export interface WorkerDeps {
  media: Media;
  store: ObjectStore;
  log: Logger;
  /** Where jobs unpack their files (a folder of the node's DATA_DIR). */
  workDir: string;
  watermark: string | undefined;
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

  async function localCopy(row: MediaRow, dir: string): Promise<string> {
    const path = join(dir, 'original');
    if (row.parts.length === 0) await deps.store.download(`${mediaFolder(row)}upload/original`, path);
    else for (const key of row.parts) await appendFile(path, await deps.store.get(key));
    return path;
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
    const processed = await processImage(await deps.media.original(row), deps.watermark === undefined ? {} : { watermark: deps.watermark });
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
    const probed = await probe(input).catch((error: unknown) => {
      throw new PoisonFileError('the video cannot be read', { cause: error });
    });
    if (probed.video === undefined) throw new PoisonFileError('the file has no video');
    const { minDurationMs, maxDurationMs } = MEDIA_LIMITS.reel;
    const duration = probed.durationMs;
    if (row.kind === 'reel' && (duration === undefined || duration < minDurationMs || duration > maxDurationMs))
      throw new PoisonFileError(
        `a reel lasts ${minDurationMs / 1000} s to ${maxDurationMs / 60_000} min; this video is ${duration === undefined ? 'of unknown length' : `${(duration / 1000).toFixed(1)} s long`}`,
      );
    const out = join(dir, 'out');
    const processed = await processVideo(input, probed, out, reporter(row.id));
    const files = await storeWritten(row, out, processed.files);
    return { files, width: probed.video.width, height: probed.video.height, durationMs: probed.durationMs ?? null };
  }

  async function voice(row: MediaRow, dir: string): Promise<Partial<MediaRow>> {
    const input = await localCopy(row, dir);
    const probed = await probe(input).catch((error: unknown) => {
      throw new PoisonFileError('the recording cannot be read', { cause: error });
    });
    if (!probed.audio) throw new PoisonFileError('the file has no sound');
    if ((probed.durationMs ?? 0) > MEDIA_LIMITS.voice.maxDurationMs) throw new PoisonFileError('a voice note is at most 15 minutes long');
    const out = join(dir, 'out');
    await mkdir(out, { recursive: true });
    const processed = await processVoice(input, probed, out);
    // Measured from the decoded samples: browsers' WebM says nothing of its length.
    if (processed.durationMs > MEDIA_LIMITS.voice.maxDurationMs) throw new PoisonFileError('a voice note is at most 15 minutes long');
    const files = await storeWritten(
      row,
      out,
      processed.files.map((file) => file.name),
    );
    return { files, durationMs: processed.durationMs, waveform: processed.waveform };
  }

  return {
    async handle(job, { attempt }) {
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
        const result = row.kind === 'image' ? await image(row) : row.kind === 'voice' ? await voice(row, dir) : await video(row, dir);
        await deps.media.ready(row.id, { ...result, parts: [] });
        // The whole upload folder: the chunks recorded, and any a node stored but died before
        // recording.
        await deps.store.removePrefix(`${mediaFolder(row)}upload/`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async giveUp(job, error) {
      const reason = error instanceof PoisonFileError ? error.message : 'the file could not be processed';
      deps.log.warn({ err: error, mediaId: job.mediaId }, `media.job() | failed for good [media:${job.mediaId}] [reason:${reason}]`);
      await deps.media.failed(job.mediaId, reason);
    },
  };
}
