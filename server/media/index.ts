// The media side of a node, assembled once: the service every upload and attachment goes through,
// the job queue (JetStream work queue in a cluster, in-process when embedded), the signed URLs, and
// on nodes with the media role the workers that make renditions.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { createMemoryQueue, openJetStreamQueue } from '../../media/queue.ts';
import { mediaWorker } from '../../media/worker.ts';
import type { Platform } from '../platform/index.ts';
import { storedSecret } from '../system/secrets.ts';
import { Media, type MediaView } from './media.ts';
import { media as mediaTable } from './schema.ts';
import { type MediaUrls, mediaUrls } from './urls.ts';

const ABANDONED_AFTER_MS = 24 * 3600_000;
/** Longer than a queued job normally waits for a worker to start it. */
const NEVER_STARTED_AFTER_MS = 10 * 60_000;
const SWEEP_EVERY_MS = 5 * 60_000;

export interface MediaModule {
  media: Media;
  urls: MediaUrls;
  /** Starts the workers of this node (the media role). */
  startWorkers(): Promise<void>;
  stop(): Promise<void>;
}

export async function createMediaModule(platform: Platform, announce: (ownerId: string, media: MediaView) => void): Promise<MediaModule> {
  const { config, log } = platform;
  const db = platform.database.db;
  const options = { maxAttempts: config.media.attempts, ackWaitMs: config.media.ackWaitMs, log };
  const nc = platform.bus.natsConnection;
  const queue = nc === undefined ? createMemoryQueue(options) : await openJetStreamQueue(nc, config.clusterName, options);
  const urls = mediaUrls(await storedSecret(db, 'media_url_key', () => randomBytes(32).toString('base64url')));
  const { imageMaxPixels, uploadsPerUser, jobsPerUser, quotaBytes } = config.media;
  const media = new Media({
    db,
    store: platform.storage,
    queue,
    log,
    urls,
    announce,
    limits: { imageMaxPixels, uploadsPerUser, jobsPerUser, quotaBytes },
  });
  let sweeper: ReturnType<typeof setInterval> | undefined;
  return {
    media,
    urls,
    async startWorkers() {
      const worker = mediaWorker({
        media,
        store: platform.storage,
        log,
        workDir: join(config.dataDir, 'media-work'),
        watermark: config.media.watermark === '' ? undefined : config.media.watermark,
        limits: {
          imageMaxPixels,
          videoMaxDurationMs: config.media.videoMaxDurationMs,
          probeTimeoutMs: config.media.probeTimeoutMs,
          transcodeTimeoutMs: config.media.transcodeTimeoutMs,
        },
      });
      queue.work(worker.handle, worker.giveUp, config.media.workers);
      // Uploads left half-done for a day are removed, and media whose job was never queued are
      // queued (any media node may sweep; doing it twice is harmless).
      sweeper = setInterval(() => {
        Promise.all([media.sweepAbandoned(ABANDONED_AFTER_MS), media.requeueStuck(NEVER_STARTED_AFTER_MS)]).then(
          ([removed, requeued]) => {
            if (removed > 0) log.info({ removed }, `media.sweep() | removed abandoned uploads [count:${removed}]`);
            if (requeued > 0) log.warn({ requeued }, `media.sweep() | queued jobs that were never queued [count:${requeued}]`);
          },
          (error: unknown) => log.error({ err: error }, 'media.sweep() | failed; will try again'),
        );
      }, SWEEP_EVERY_MS);
      // In-process jobs die with the process: an embedded node takes up again what it was processing.
      if (queue.kind === 'memory') {
        const interrupted = await db.select({ id: mediaTable.id }).from(mediaTable).where(eq(mediaTable.status, 'processing'));
        for (const { id } of interrupted) await queue.enqueue({ mediaId: id });
      }
    },
    async stop() {
      clearInterval(sweeper);
      await queue.stop();
    },
  };
}
