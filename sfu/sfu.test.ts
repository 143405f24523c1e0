// The SFU of a node with the sfu role, on real mediasoup workers: without a worker the node
// starts and says why calls are unavailable; with one it routes media; a worker killed is
// replaced. The worker comes from the suite's install step (scripts/sfu-worker.mjs, which `npm
// test` runs and CI gives the Debian packages to build): these tests fail when it is missing,
// unless SFU_TESTS_WITHOUT_WORKER=1 says that is known (they are then skipped, and say so).
import { createSocket } from 'node:dgram';
import type { types as mediasoup } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeFrame } from '../protocol/codec.ts';
import type { HealthReport } from '../server/http/health.ts';
import type { RunningNode } from '../server/node.ts';
import { loadConfig, type SfuConfig } from '../server/platform/config.ts';
import { loggedErrors, startTestNode, testConfig, testLogger } from '../test/harness/node.ts';
import { workerEnv } from '../test/harness/processes.ts';
import { Sfu } from './sfu.ts';
import { locateWorker } from './worker.ts';

const found = locateWorker(loadConfig(workerEnv()).sfu);
const withoutWorkerKnown = process.env.SFU_TESTS_WITHOUT_WORKER === '1';

/** Fails the tests that need a worker, loudly, when this machine has none. */
function requireWorker(): void {
  if (!found.available)
    throw new Error(
      `no mediasoup worker on this machine: ${found.reason}. \`npm test\` gets it (scripts/sfu-worker.mjs; README, "Calls and live"); SFU_TESTS_WITHOUT_WORKER=1 skips these tests instead`,
    );
}

async function health(node: RunningNode): Promise<{ status: number; report: HealthReport }> {
  const response = await fetch(`${node.url}/health`);
  return { status: response.status, report: (await response.json()) as HealthReport };
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a node without a worker', () => {
  let node: RunningNode;
  let cleanup: () => void;
  beforeAll(async () => {
    const config = testConfig({ ROLES: 'gateway,actors,sfu', MEDIASOUP_WORKER_BIN: '/nonexistent' });
    cleanup = config.cleanup;
    node = await startTestNode(config);
  });
  afterAll(async () => {
    await node?.stop();
    cleanup();
  });

  test('sfu: a node whose worker binary is missing starts, and health is 200 with the SFU unavailable and why', async () => {
    const { status, report } = await health(node);
    expect(status).toBe(200);
    expect(report.status).toBe('ok');
    expect(report.failing).toEqual([]);
    expect(report.sfu).toEqual({
      status: 'unavailable',
      workers: 0,
      reason: 'MEDIASOUP_WORKER_BIN (/nonexistent) is not an executable file',
    });
    expect(node.sfu?.worker()).toBeUndefined();
  });

  test('sfu: a binary that is not a mediasoup worker is refused before any start', async () => {
    const sfu = await Sfu.start({ ...loadConfig({}).sfu, workerBin: '/bin/true' }, 'silent', testLogger());
    expect(sfu.availability()).toEqual({ available: false, reason: '/bin/true does not run here (exit 0)' });
    expect(sfu.workers).toBe(0);
    await sfu.stop();
  });
});

describe.skipIf(!found.available && withoutWorkerKnown)('with a worker', () => {
  beforeAll(requireWorker);

  test('sfu: its workers route Opus and VP8 through a WebRTC transport on 127.0.0.1, and stop with it', async () => {
    const config: SfuConfig = { ...loadConfig({ ...workerEnv(), SFU_WORKERS: '2' }).sfu, rtcMinPort: 47000, rtcMaxPort: 47999 };
    const sfu = await Sfu.start(config, 'silent', testLogger());
    try {
      expect(sfu.availability()).toEqual(found);
      expect(sfu.workers).toBe(2);
      const first = sfu.worker() as mediasoup.Worker;
      const second = sfu.worker() as mediasoup.Worker;
      expect(second.pid).not.toBe(first.pid);

      const router = await first.createRouter({
        mediaCodecs: [
          { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
          { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
        ],
      });
      expect(router.rtpCapabilities.codecs?.map((codec) => codec.mimeType)).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8']));
      const transport = await router.createWebRtcTransport({ listenIps: sfu.listenIps(), enableUdp: true, enableTcp: false });
      const [candidate] = transport.iceCandidates;
      expect(candidate?.ip).toBe('127.0.0.1');
      // Behind NAT the candidates carry SFU_ANNOUNCED_IP, not the address listened on.
      const announced = await Sfu.start({ ...config, workers: 1, announcedIp: '203.0.113.10' }, 'silent', testLogger());
      try {
        const behindNat = await (announced.worker() as mediasoup.Worker).createRouter({ mediaCodecs: [] });
        const natTransport = await behindNat.createWebRtcTransport({ listenIps: announced.listenIps(), enableUdp: true });
        expect(natTransport.iceCandidates.map((c) => c.ip)).toEqual(['203.0.113.10']);
      } finally {
        await announced.stop();
      }
      expect(candidate?.protocol).toBe('udp');
      expect(candidate?.port).toBeGreaterThanOrEqual(47000);
      expect(candidate?.port).toBeLessThanOrEqual(47999);
      expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);

      const usage = await first.getResourceUsage();
      expect(usage.ru_maxrss).toBeGreaterThan(0);
      expect(usage.ru_utime).toBeGreaterThanOrEqual(0);
    } finally {
      const pids = [sfu.worker()?.pid, sfu.worker()?.pid];
      await sfu.stop();
      for (const pid of pids) expect(pid !== undefined && isRunning(pid)).toBe(false);
      expect(sfu.availability().available).toBe(false);
    }
  });

  test('sfu: routers go to the worker carrying the fewest consumers, and the load it reports counts routers and consumers until they close', async () => {
    const config: SfuConfig = { ...loadConfig({ ...workerEnv(), SFU_WORKERS: '2' }).sfu, rtcMinPort: 46000, rtcMaxPort: 46999 };
    const sfu = await Sfu.start(config, 'silent', testLogger());
    try {
      const routersOf = new Map<number, string[]>();
      for (const worker of [sfu.worker(), sfu.worker()] as mediasoup.Worker[]) {
        routersOf.set(worker.pid, []);
        worker.observer.on('newrouter', (router) => routersOf.get(worker.pid)?.push(router.id));
      }
      const workerOf = (router: mediasoup.Router) => [...routersOf].find(([, ids]) => ids.includes(router.id))?.[0];
      const codecs: mediasoup.RtpCodecCapability[] = [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }];
      expect(sfu.load()).toEqual({ workers: 2, routers: 0, consumers: 0, bitrate: 0 });
      const first = (await sfu.createRouter(codecs)) as mediasoup.Router;
      const sending = await first.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
      const producer = await sending.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
          encodings: [{ ssrc: 1111 }],
        },
      });
      const receiving = await first.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
      const consumers = await Promise.all(
        [1, 2, 3].map(() => receiving.consume({ producerId: producer.id, rtpCapabilities: first.rtpCapabilities })),
      );
      expect(sfu.load()).toMatchObject({ workers: 2, routers: 1, consumers: 3 });
      // RTP in (Opus-sized packets, 50 a second for 0.8 s), forwarded to a sink by the three consumers.
      const sink = createSocket('udp4');
      await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
      await receiving.connect({ ip: '127.0.0.1', port: sink.address().port });
      const sender = createSocket('udp4');
      for (let seq = 0; seq < 40; seq++) {
        const packet = Buffer.alloc(12 + 160);
        packet.writeUInt8(0x80, 0);
        packet.writeUInt8(111, 1);
        packet.writeUInt16BE(seq, 2);
        packet.writeUInt32BE(seq * 960, 4);
        packet.writeUInt32BE(1111, 8);
        sender.send(packet, sending.tuple.localPort, '127.0.0.1');
        await Bun.sleep(20);
      }
      const bitrate = await sfu.sampleBitrate();
      sender.close();
      sink.close();
      // About 172 bytes × 50/s came in (69 kbit/s): the sample sees traffic, where it saw none before.
      expect(bitrate).toBeGreaterThan(10_000);
      expect(sfu.load().bitrate).toBe(bitrate);
      // The other worker carries no consumer: the next routers go there (consumers count first, then routers).
      const second = (await sfu.createRouter(codecs)) as mediasoup.Router;
      expect(workerOf(second)).not.toBe(workerOf(first));
      const third = (await sfu.createRouter(codecs)) as mediasoup.Router;
      expect(workerOf(third)).toBe(workerOf(second));
      (consumers[0] as mediasoup.Consumer).close();
      expect(sfu.load()).toMatchObject({ workers: 2, routers: 3, consumers: 2 });
      first.close();
      expect(sfu.load()).toMatchObject({ workers: 2, routers: 2, consumers: 0 });
    } finally {
      await sfu.stop();
    }
  });

  test('sfu: workers that cannot start are retried a few times, then given up with the reason; the SFU does not throw', async () => {
    // The worker refuses these settings (exit 42): every start fails, as with a broken machine.
    const config: SfuConfig = { ...loadConfig(workerEnv()).sfu, workers: 1, rtcMinPort: 48000, rtcMaxPort: 47000 };
    const sfu = await Sfu.start(config, 'silent', testLogger());
    try {
      expect(sfu.availability()).toEqual({ available: false, reason: 'a worker did not start: wrong settings' });
      // 250 + 500 + 1000 + 2000 + 4000 ms between the six attempts; nothing after.
      await Bun.sleep(9000);
      expect(sfu.workers).toBe(0);
      expect(sfu.availability()).toEqual({ available: false, reason: 'a worker did not start: wrong settings' });
      const said = loggedErrors()
        .map((line) => (JSON.parse(line) as { msg: string }).msg)
        .filter((msg) => msg.endsWith('[reason:a worker did not start: wrong settings]'));
      expect(said.map((msg) => msg.replace(/ \[.*/, ''))).toEqual([
        'sfu.worker() | replacing it in 250 ms',
        'sfu.worker() | replacing it in 500 ms',
        'sfu.worker() | replacing it in 1000 ms',
        'sfu.worker() | replacing it in 2000 ms',
        'sfu.worker() | replacing it in 4000 ms',
        'sfu.worker() | given up after 6 attempts',
      ]);
    } finally {
      await sfu.stop();
    }
  }, 20_000);

  describe('in a node', () => {
    let node: RunningNode;
    let cleanup: () => void;
    beforeAll(async () => {
      const config = testConfig({ ROLES: 'gateway,actors,sfu', SFU_WORKERS: '1' });
      cleanup = config.cleanup;
      node = await startTestNode(config);
    });
    afterAll(async () => {
      await node?.stop();
      cleanup?.();
    });

    test('sfu: health reports the running workers', async () => {
      const { status, report } = await health(node);
      expect(status).toBe(200);
      expect(report.sfu).toEqual({ status: 'ok', workers: 1 });
    });

    test('sfu: the node says its SFU load in its heartbeats on the bus: consumers, and the bitrate through its transports', async () => {
      const beats: Record<string, unknown>[] = [];
      const subscription = node.platform.bus.subscribe(`${node.platform.config.clusterName}.actors.alive`, (message) => {
        beats.push(decodeFrame(message.data) as Record<string, unknown>);
      });
      try {
        await until('a heartbeat of this node', () => beats.some((beat) => beat.node === node.platform.config.nodeId));
        expect(beats.find((beat) => beat.node === node.platform.config.nodeId)).toMatchObject({ sfu: 0, sfuBitrate: 0 });
      } finally {
        subscription.unsubscribe();
      }
    });

    test('sfu: a worker killed with SIGKILL is replaced: unavailable, then ok again with a new worker that works', async () => {
      const sfu = node.sfu as Sfu;
      const killed = (sfu.worker() as mediasoup.Worker).pid;
      process.kill(killed, 'SIGKILL');
      await until('the SFU to notice the death', () => !sfu.availability().available);
      const down = sfu.availability();
      expect(down.available || down.reason).toMatch(new RegExp(`^worker ${killed} died: .*signal:SIGKILL`));
      await until('the replacement', () => sfu.availability().available);
      const { status, report } = await health(node);
      expect(status).toBe(200);
      expect(report.sfu).toEqual({ status: 'ok', workers: 1 });
      const replacement = sfu.worker() as mediasoup.Worker;
      expect(replacement.pid).not.toBe(killed);
      expect((await replacement.getResourceUsage()).ru_maxrss).toBeGreaterThan(0);
    });
  });
});
