// The media job queue: a JetStream work-queue stream in a cluster (any media node takes a job;
// one whose worker dies without acknowledging it is delivered again after the ack wait), an
// in-process queue in embedded mode. Both retry a failed job with growing delays and give up after
// `maxAttempts`, handing the job and its last error to `onGiveUp`. Stopping a queue aborts the
// jobs its workers are running (their tools are killed: media/ffmpeg.ts) and hands them back at
// once, to another node's workers or to this node's next start, instead of waiting out a transcode.
import { AckPolicy, type JsMsg, type NatsConnection, RetentionPolicy, StorageType } from 'nats';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';
import type { Logger } from '../server/platform/log.ts';

export interface MediaJob {
  mediaId: string;
}

/** A failure no retry can mend: the job is given up at once. */
export class PermanentJobError extends Error {}

interface JobContext {
  /** 1 for the first delivery. */
  attempt: number;
  /** Aborted when the queue is stopped: the job should end as soon as it can (its result is not wanted). */
  signal: AbortSignal;
}

export type JobHandler = (job: MediaJob, context: JobContext) => Promise<void>;
export type GiveUp = (job: MediaJob, error: unknown) => Promise<void>;

export interface JobQueue {
  readonly kind: 'jetstream' | 'memory';
  /** Queues the job; a job for the same media already waiting is not queued twice. */
  enqueue(job: MediaJob): Promise<void>;
  /** Starts `concurrency` workers on this node. */
  work(handler: JobHandler, onGiveUp: GiveUp, concurrency: number): void;
  stop(): Promise<void>;
}

export interface QueueOptions {
  maxAttempts: number;
  /** How long a delivered job may go without a heartbeat before JetStream hands it to another worker. */
  ackWaitMs: number;
  log: Logger;
}

/** 1 s, 4 s, 16 s, … capped at 5 minutes. */
const retryDelayMs = (attempt: number) => Math.min(300_000, 1000 * 4 ** (attempt - 1));

export async function openJetStreamQueue(nc: NatsConnection, namespace: string, options: QueueOptions): Promise<JobQueue> {
  const stream = `${namespace.replace(/[^A-Za-z0-9_-]/g, '_')}_MEDIA_JOBS`;
  const subject = `${namespace}.media.jobs`;
  const durable = 'media-workers';
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.add({ name: stream, subjects: [subject], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
  } catch (error) {
    if (!/already in use/i.test((error as Error).message)) throw error;
  }
  const consumerConfig = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: options.ackWaitMs * 1_000_000,
    max_deliver: -1,
    filter_subject: subject,
  };
  try {
    await jsm.consumers.add(stream, consumerConfig);
  } catch (error) {
    if (!/already (in use|exists)/i.test((error as Error).message)) throw error;
    await jsm.consumers.update(stream, durable, { ack_wait: consumerConfig.ack_wait });
  }
  const js = nc.jetstream();
  let running = true;
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];

  async function handle(message: JsMsg, handler: JobHandler, onGiveUp: GiveUp) {
    const job = decodeFrame(message.data) as MediaJob;
    const attempt = message.info.redeliveryCount;
    // Tells JetStream the job is still being worked on, so a long transcode is not handed to a second worker.
    const heartbeat = setInterval(() => message.working(), Math.max(250, options.ackWaitMs / 3));
    try {
      await handler(job, { attempt, signal: stopping.signal });
      message.ack();
    } catch (error) {
      if (stopping.signal.aborted) {
        // Not the job's failure: handed back now, to whichever worker asks next.
        options.log.info(
          { mediaId: job.mediaId, attempt },
          `media.job() | stopped, handed back [media:${job.mediaId}] [attempt:${attempt}]`,
        );
        message.nak();
      } else if (attempt >= options.maxAttempts || error instanceof PermanentJobError) {
        await onGiveUp(job, error);
        message.term();
      } else {
        options.log.warn(
          { err: error, mediaId: job.mediaId, attempt },
          `media.job() | failed, will retry [media:${job.mediaId}] [attempt:${attempt}]`,
        );
        message.nak(retryDelayMs(attempt));
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  return {
    kind: 'jetstream',
    async enqueue(job) {
      // One job per media: queueing it again within the stream's duplicate window (a retried
      // complete) is dropped by JetStream.
      await js.publish(subject, encodeFrame(job), { msgID: `media:${job.mediaId}` });
    },
    work(handler, onGiveUp, concurrency) {
      for (let i = 0; i < concurrency; i++)
        loops.push(
          (async () => {
            const consumer = await js.consumers.get(stream, durable);
            while (running) {
              try {
                const message = await consumer.next({ expires: 1000 });
                if (message !== null) await handle(message, handler, onGiveUp);
              } catch (error) {
                if (!running) return;
                options.log.error({ err: error }, 'media.queue() | fetching jobs failed; retrying');
                await Bun.sleep(1000);
              }
            }
          })(),
        );
    },
    async stop() {
      running = false;
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

/** Embedded mode: jobs in process memory, lost with the process (their media stay PROCESSING; see README). */
export function createMemoryQueue(options: QueueOptions): JobQueue {
  const waiting: { job: MediaJob; attempt: number }[] = [];
  let wake: () => void = () => undefined;
  let running = true;
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const push = (entry: { job: MediaJob; attempt: number }) => {
    waiting.push(entry);
    wake();
  };
  return {
    kind: 'memory',
    async enqueue(job) {
      if (!waiting.some((entry) => entry.job.mediaId === job.mediaId)) push({ job, attempt: 1 });
    },
    work(handler, onGiveUp, concurrency) {
      for (let i = 0; i < concurrency; i++)
        loops.push(
          (async () => {
            while (running) {
              const entry = waiting.shift();
              if (entry === undefined) {
                await new Promise<void>((resolve) => {
                  wake = resolve;
                  setTimeout(resolve, 500);
                });
                continue;
              }
              try {
                await handler(entry.job, { attempt: entry.attempt, signal: stopping.signal });
              } catch (error) {
                // Stopped: the media stays PROCESSING, and the node's next start queues it again.
                if (stopping.signal.aborted) return;
                if (entry.attempt >= options.maxAttempts || error instanceof PermanentJobError) await onGiveUp(entry.job, error);
                else {
                  const timer = setTimeout(() => {
                    timers.delete(timer);
                    push({ job: entry.job, attempt: entry.attempt + 1 });
                  }, retryDelayMs(entry.attempt));
                  timers.add(timer);
                }
              }
            }
          })(),
        );
    },
    async stop() {
      running = false;
      stopping.abort();
      wake();
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(loops);
    },
  };
}
