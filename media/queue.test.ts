// Stopping a media queue mid-job: the running job is told to stop (its tools are killed) and is
// handed back, not given up and not waited out. JetStream on the real NATS server, and memory.
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testLogger } from '../test/harness/node.ts';
import { services, uniqueName } from '../test/harness/services.ts';
import { ToolStoppedError } from './errors.ts';
import { runFfmpeg, stoppedBy } from './ffmpeg.ts';
import { createMemoryQueue, type JobHandler, openJetStreamQueue } from './queue.ts';

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: services.natsUrl });
});
afterAll(async () => {
  await nc.drain();
});

const options = { maxAttempts: 3, ackWaitMs: 30_000, log: testLogger() };

/** A job that transcodes an endless source under the job's signal, as the media worker does. */
function endlessJob(started: (attempt: number) => void): JobHandler {
  return (_job, { attempt, signal }) =>
    stoppedBy(signal, async () => {
      started(attempt);
      await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=rate=25', '-f', 'null', '-'], { timeoutMs: 600_000 });
    });
}

describe('media queue', () => {
  test('media queue (jetstream): stopping a node mid-job kills its ffmpeg, does not give the job up, and another node takes it at once', async () => {
    const namespace = uniqueName('mq');
    const first = await openJetStreamQueue(nc, namespace, options);
    const givenUp: unknown[] = [];
    const attempts: number[] = [];
    let startedOnce: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      startedOnce = resolve;
    });
    first.work(
      endlessJob((attempt) => {
        attempts.push(attempt);
        startedOnce();
      }),
      async (_job, error) => {
        givenUp.push(error);
      },
      1,
    );
    await first.enqueue({ mediaId: crypto.randomUUID() });
    await running;
    await Bun.sleep(200);
    // Not waited out: the transcode never ends by itself, so a stop that waited would time the test out.
    await first.stop();
    expect(givenUp).toEqual([]);

    // Handed back: a second node's worker gets it long before the 30 s ack wait would.
    const second = await openJetStreamQueue(nc, namespace, options);
    let resolveSecond: (attempt: number) => void = () => undefined;
    const secondAttempt = new Promise<number>((resolve) => {
      resolveSecond = resolve;
    });
    second.work(
      async (_job, { attempt }) => resolveSecond(attempt),
      async (_job, error) => {
        givenUp.push(error);
      },
      1,
    );
    const attempt = await Promise.race([secondAttempt, Bun.sleep(15_000).then(() => 'not redelivered')]);
    expect(attempt).toBe(2);
    await second.stop();
    expect(givenUp).toEqual([]);
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(`${namespace}_MEDIA_JOBS`);
  });

  test('media queue (memory): stopping mid-job kills its ffmpeg and neither retries nor gives the job up', async () => {
    const queue = createMemoryQueue(options);
    const outcomes: unknown[] = [];
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const job = endlessJob(() => started());
    queue.work(
      async (...args) => {
        try {
          await job(...args);
        } catch (error) {
          outcomes.push(error);
          throw error;
        }
      },
      async (_job, error) => {
        outcomes.push(['given up', error]);
      },
      1,
    );
    await queue.enqueue({ mediaId: crypto.randomUUID() });
    await running;
    await queue.stop();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toBeInstanceOf(ToolStoppedError);
  });
});
