// Video forwarding by one mediasoup worker: one 500 kbit/s VP8 stream (ffmpeg sends a clip it
// encoded once, copied at its own pace, so encoding costs nothing during the run) forwarded to
// more and more consumers, each on its own transport as each viewer has, until the worker's
// process nears a whole core. Printed per step: the worker's CPU, its CPU microseconds per consumer
// per second, the stream's bitrate in, what the worker sent (from a few consumers' stats), and what
// the bench's own UDP sink managed to read (it falls behind at high rates). Two workers in the same run: the platform's
// (started by sfu/sfu.ts as a node starts it, its router made with the call codecs through
// `Sfu.createRouter`, load counted by its observers) and a bare mediasoup worker and router. The
// forwarding itself is mediasoup's in both; what this measures is whether the platform's worker
// and router setup costs anything on top, and what a consumer costs here (mediasoup's guidance:
// about 500 consumers per core). Consumers sit on plain RTP transports to a local UDP sink: a
// WebRTC transport forwards the same packets after SRTP, which needs a DTLS peer per consumer.
// BENCH_SFU_STEPS overrides the consumer counts (comma-separated).
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { types as mediasoup } from 'mediasoup';
import { loadConfig } from '../server/platform/config.ts';
import { createLogger } from '../server/platform/log.ts';
import { MEDIA_CODECS } from '../sfu/call-media.ts';
import { Sfu } from '../sfu/sfu.ts';
import { locateWorker } from '../sfu/worker.ts';
import { cpuSeconds, row } from './stats.ts';

const STEPS = (process.env.BENCH_SFU_STEPS ?? '100,200,400,800').split(',').map(Number);
const WARM_MS = 2000;
const MEASURE_MS = 5000;
const SSRC = 22_222_222;
const PAYLOAD_TYPE = 101;
/** Consumers whose stats give what the worker sends. */
const SAMPLED = 5;
/** Stop adding consumers once the worker uses this share of a core. */
const SATURATED = 0.9;

const config = loadConfig({ ...process.env, SFU_RTC_MIN_PORT: '42000', SFU_RTC_MAX_PORT: '47999' }).sfu;
const found = locateWorker(config);
if (!found.available) {
  console.error(`bench/sfu.ts: no mediasoup worker (${found.reason}); run node scripts/sfu-worker.mjs`);
  process.exit(1);
}

// The clip: 20 s of VP8 at 500 kbit/s, made once.
const dir = mkdtempSync(join(tmpdir(), 'bench-sfu-'));
const clip = join(dir, 'clip.webm');
const encoded = spawnSync(
  'ffmpeg',
  [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=30',
    '-t',
    '20',
    '-c:v',
    'libvpx',
    '-b:v',
    '500k',
    '-minrate',
    '500k',
    '-maxrate',
    '500k',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-g',
    '60',
    clip,
  ],
  { stdio: 'inherit' },
);
if (encoded.status !== 0) throw new Error('ffmpeg could not encode the clip');

// The sink: counts what arrives, and drops it.
const sink = createSocket('udp4');
let sinkBytes = 0;
sink.on('message', (message) => {
  sinkBytes += message.length;
});
await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
const sinkPort = sink.address().port;

interface Side {
  label: string;
  router: mediasoup.Router;
  pid: number;
  close(): Promise<void>;
}

async function ourSide(): Promise<Side> {
  const log = createLogger({ level: 'warn', format: 'json', nodeId: 'bench-sfu' });
  const sfu = await Sfu.start({ ...config, workers: 1 }, 'warn', log);
  const worker = sfu.worker();
  const router = await sfu.createRouter(MEDIA_CODECS);
  if (worker === undefined || router === undefined) throw new Error('the platform SFU did not start');
  return { label: 'platform worker (sfu/sfu.ts)', router, pid: worker.pid, close: () => sfu.stop() };
}

async function bareSide(): Promise<Side> {
  const mediasoupModule = await import('mediasoup');
  const worker = await mediasoupModule.createWorker({ logLevel: 'warn', rtcMinPort: 48000, rtcMaxPort: 53999 });
  const router = await worker.createRouter({
    mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }],
  });
  return {
    label: 'bare mediasoup worker',
    router,
    pid: worker.pid,
    close: async () => {
      worker.close();
      await sleep(200);
    },
  };
}

/** The clip, sent as RTP to `port` at its own pace, again and again. */
function sendClip(port: number) {
  return spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-stream_loop',
      '-1',
      '-i',
      clip,
      '-c:v',
      'copy',
      '-an',
      '-ssrc',
      String(SSRC),
      '-payload_type',
      String(PAYLOAD_TYPE),
      '-f',
      'rtp',
      `rtp://127.0.0.1:${port}?pkt_size=1200`,
    ],
    { stdio: 'ignore' },
  );
}

async function run(side: Side): Promise<void> {
  const { router } = side;
  const input = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
  const producer = await input.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', payloadType: PAYLOAD_TYPE, clockRate: 90000 }],
      encodings: [{ ssrc: SSRC }],
    },
  });
  const ffmpeg = sendClip(input.tuple.localPort);
  const outputs: mediasoup.PlainTransport[] = [];
  const sampled: mediasoup.Consumer[] = [];
  try {
    await sleep(1000);
    for (const consumers of STEPS) {
      while (outputs.length < consumers) {
        const output = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: false });
        await output.connect({ ip: '127.0.0.1', port: sinkPort });
        const consumer = await output.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
        if (sampled.length < SAMPLED) sampled.push(consumer);
        outputs.push(output);
      }
      await sleep(WARM_MS);
      const cpu0 = cpuSeconds(side.pid);
      const bytes0 = sinkBytes;
      const t0 = performance.now();
      await sleep(MEASURE_MS);
      const seconds = (performance.now() - t0) / 1000;
      const share = (cpuSeconds(side.pid) - cpu0) / seconds;
      const received = ((sinkBytes - bytes0) * 8) / seconds / 1e6;
      const incoming = ((await producer.getStats())[0]?.bitrate ?? 0) / 1e6;
      // What the worker sent: the mean bitrate of a few consumers, times them all.
      let sent = 0;
      for (const consumer of sampled) sent += (await consumer.getStats()).find((stat) => stat.type === 'outbound-rtp')?.bitrate ?? 0;
      const sentMbit = ((sent / sampled.length) * consumers) / 1e6;
      console.log(
        row(`${side.label} ×${consumers}`, {
          'worker CPU %': share * 100,
          'µs/consumer-s': (share * 1e6) / consumers,
          'consumers/core': share > 0 ? consumers / share : Number.NaN,
          'in Mbit/s': incoming,
          'sent Mbit/s': sentMbit,
          'sink got Mbit/s': received,
        }),
      );
      if (share >= SATURATED) break;
    }
  } finally {
    ffmpeg.kill('SIGTERM');
    for (const output of outputs) output.close();
    input.close();
  }
}

try {
  // The platform's first: the process loads mediasoup with its worker binary (MEDIASOUP_WORKER_BIN).
  const ours = await ourSide();
  await run(ours);
  await ours.close();
  const bare = await bareSide();
  await run(bare);
  await bare.close();
} finally {
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
