// The node's SFU: the mediasoup workers of a node with the sfu role, one process each (a worker
// is single-threaded, so one per core by default). It owns them: nothing outside holds a worker
// but through `worker()`. Without a worker binary, or when every worker is dead, the SFU is
// unavailable with a reason and the node goes on serving everything else; it never crashes the
// node. A worker that dies is replaced, within bounds (`MAX_ATTEMPTS`). Nothing is persisted;
// `stop()` closes the workers with the node.
import { setTimeout as sleep } from 'node:timers/promises';
import type { types as mediasoup } from 'mediasoup';
import type { LogLevel, SfuConfig } from '../server/platform/config.ts';
import type { Logger } from '../server/platform/log.ts';
import { locateWorker, type SfuAvailability } from './worker.ts';

/**
 * Failures in a row of one worker (a start that fails, or a death within `STABLE_MS` of its start)
 * before the SFU gives it up; the retries between wait `FIRST_RETRY_MS`, doubling (7.75 s in all).
 */
const MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = 250;
/** A worker that lived this long before dying counts as a fresh start, not one more failed attempt. */
const STABLE_MS = 60_000;

/** How long `stop()` waits for a closed worker's process to be gone. */
const EXIT_WAIT_MS = 2000;
/** How often the SFU's bitrate (in and out, every transport) is sampled for its load. */
const BITRATE_SAMPLE_MS = 5000;

/** One worker the SFU keeps running: its current process, and how its recent starts went. */
interface Slot {
  index: number;
  worker: mediasoup.Worker | undefined;
  /** What its current worker carries: routers and consumers open (the load routers are placed by). */
  routers: number;
  consumers: number;
  /** Its transports open, whose stats give the bitrate. */
  transports: Set<mediasoup.Transport>;
  startedAt: number;
  failures: number;
  retry: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The node's log level, in the four levels a mediasoup worker knows. What a worker logs reaches
 * mediasoup's `debug` loggers only (DEBUG=mediasoup*), not the node's log.
 */
function workerLogLevel(level: LogLevel): mediasoup.WorkerLogLevel {
  if (level === 'debug' || level === 'trace') return 'debug';
  if (level === 'info' || level === 'warn') return 'warn';
  return level === 'silent' ? 'none' : 'error';
}

type Mediasoup = typeof import('mediasoup');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class Sfu {
  readonly #config: SfuConfig;
  readonly #logLevel: mediasoup.WorkerLogLevel;
  readonly #log: Logger;
  readonly #mediasoup: Mediasoup | undefined;
  readonly #workerBin: string | undefined;
  readonly #slots: Slot[];
  /** Why the SFU is, or was last, short of a worker. */
  #reason: string;
  #next = 0;
  #stopped = false;
  /** Bits per second through every transport (received and sent), at the last sample. */
  #bitrate = 0;
  #sampling: ReturnType<typeof setInterval> | undefined;

  /** Starts `config.workers` workers; resolves once each has started or failed its first attempt. */
  static async start(config: SfuConfig, logLevel: LogLevel, log: Logger): Promise<Sfu> {
    const found = locateWorker(config);
    if (!found.available) {
      log.warn({ reason: found.reason }, `sfu.start() | unavailable: calls and live are off on this node [reason:${found.reason}]`);
      return new Sfu(config, logLevel, log, undefined, found);
    }
    // mediasoup reads MEDIASOUP_WORKER_BIN once, when it is first loaded (3.12's Worker.js), so it
    // is set before that; a node is one process, and every node of a process finds the same path.
    process.env.MEDIASOUP_WORKER_BIN = found.workerBin;
    const loaded = await import('mediasoup');
    if (loaded.workerBin !== found.workerBin) {
      const reason = `mediasoup was loaded earlier in this process with another worker (${loaded.workerBin})`;
      log.error({ reason }, `sfu.start() | unavailable [reason:${reason}]`);
      return new Sfu(config, logLevel, log, undefined, { available: false, reason });
    }
    const sfu = new Sfu(config, logLevel, log, loaded, found);
    await Promise.all(sfu.#slots.map((slot) => sfu.#fill(slot)));
    sfu.#sampling = setInterval(
      () =>
        void sfu.sampleBitrate().catch((error: unknown) => log.warn({ err: error }, 'sfu.bitrate() | a sample failed; the last stands')),
      BITRATE_SAMPLE_MS,
    );
    sfu.#sampling.unref?.();
    log.info(
      { workers: sfu.workers, workerBin: found.workerBin, rtcMinPort: config.rtcMinPort, rtcMaxPort: config.rtcMaxPort },
      `sfu.start() | ${sfu.workers} of ${config.workers} workers running [bin:${found.workerBin}]`,
    );
    return sfu;
  }

  private constructor(config: SfuConfig, logLevel: LogLevel, log: Logger, loaded: Mediasoup | undefined, found: SfuAvailability) {
    this.#config = config;
    this.#logLevel = workerLogLevel(logLevel);
    this.#log = log;
    this.#mediasoup = loaded;
    this.#workerBin = found.available ? found.workerBin : undefined;
    this.#reason = found.available ? 'no worker has started yet' : found.reason;
    this.#slots =
      loaded === undefined
        ? []
        : Array.from({ length: config.workers }, (_, index) => ({
            index,
            worker: undefined,
            routers: 0,
            consumers: 0,
            transports: new Set(),
            startedAt: 0,
            failures: 0,
            retry: undefined,
          }));
  }

  /**
   * Where WebRTC transports listen, as mediasoup 3.12 takes it: SFU_LISTEN_IP, and SFU_ANNOUNCED_IP
   * as the address put in their ICE candidates when set.
   */
  listenIps(): mediasoup.TransportListenIp[] {
    const { listenIp, announcedIp } = this.#config;
    return [announcedIp === undefined ? { ip: listenIp } : { ip: listenIp, announcedIp }];
  }

  /**
   * What this node's running workers carry: the figure nodes report in their heartbeats, by which
   * calls are placed on the least-loaded SFU of the cluster (actors/system.ts, placement `sfu`).
   */
  load(): { workers: number; routers: number; consumers: number; bitrate: number } {
    let routers = 0;
    let consumers = 0;
    for (const slot of this.#slots)
      if (slot.worker !== undefined) {
        routers += slot.routers;
        consumers += slot.consumers;
      }
    return { workers: this.workers, routers, consumers, bitrate: this.#bitrate };
  }

  /**
   * Samples the bits per second through every open transport (received and sent), for `load()`;
   * done every 5 s while the SFU runs. Returns the sample.
   */
  async sampleBitrate(): Promise<number> {
    let bitrate = 0;
    for (const slot of this.#slots)
      for (const transport of slot.transports) {
        if (transport.closed) continue;
        let stats: { recvBitrate?: number; sendBitrate?: number }[];
        try {
          stats = await transport.getStats();
        } catch (error) {
          // Closed while asked: it carries nothing any more.
          if (transport.closed) continue;
          throw error;
        }
        for (const each of stats) bitrate += (each.recvBitrate ?? 0) + (each.sendBitrate ?? 0);
      }
    this.#bitrate = bitrate;
    return bitrate;
  }

  /**
   * A router on this node's least-loaded running worker (fewest consumers, then fewest routers);
   * undefined when none runs.
   */
  async createRouter(mediaCodecs: mediasoup.RtpCodecCapability[]): Promise<mediasoup.Router | undefined> {
    let chosen: Slot | undefined;
    for (const slot of this.#slots)
      if (
        slot.worker !== undefined &&
        (chosen === undefined ||
          slot.consumers < chosen.consumers ||
          (slot.consumers === chosen.consumers && slot.routers < chosen.routers))
      )
        chosen = slot;
    return chosen?.worker?.createRouter({ mediaCodecs });
  }

  /** Workers running now. */
  get workers(): number {
    return this.#slots.filter((slot) => slot.worker !== undefined).length;
  }

  /** Available while at least one worker runs; else the reason (the binary, a failed start, a death). */
  availability(): SfuAvailability {
    if (this.#workerBin !== undefined && this.workers > 0) return { available: true, workerBin: this.#workerBin };
    return { available: false, reason: this.#reason };
  }

  /** A running worker, the next one in turn; undefined when none runs (see `availability()`). */
  worker(): mediasoup.Worker | undefined {
    for (let i = 0; i < this.#slots.length; i++) {
      const slot = this.#slots[(this.#next + i) % this.#slots.length] as Slot;
      if (slot.worker !== undefined) {
        this.#next = (slot.index + 1) % this.#slots.length;
        return slot.worker;
      }
    }
    return undefined;
  }

  /**
   * Closes every worker (their routers and transports with them), starts no more, and waits a
   * little for their processes to be gone (mediasoup's close() sends SIGTERM and says no more).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#sampling);
    const pids: number[] = [];
    for (const slot of this.#slots) {
      clearTimeout(slot.retry);
      if (slot.worker !== undefined) pids.push(slot.worker.pid);
      slot.worker?.close();
      slot.worker = undefined;
    }
    const deadline = Date.now() + EXIT_WAIT_MS;
    while (pids.some(isRunning) && Date.now() < deadline) await sleep(20);
  }

  async #fill(slot: Slot): Promise<void> {
    slot.retry = undefined;
    const mediasoupModule = this.#mediasoup as Mediasoup;
    let worker: mediasoup.Worker;
    try {
      worker = await mediasoupModule.createWorker({
        logLevel: this.#logLevel,
        rtcMinPort: this.#config.rtcMinPort,
        rtcMaxPort: this.#config.rtcMaxPort,
        appData: { slot: slot.index },
      });
    } catch (error) {
      this.#failed(slot, `a worker did not start: ${(error as Error).message}`);
      return;
    }
    if (this.#stopped) {
      worker.close();
      return;
    }
    slot.worker = worker;
    slot.routers = 0;
    slot.consumers = 0;
    slot.transports = new Set();
    slot.startedAt = Date.now();
    // Counted from mediasoup's observers, so every router and consumer made on the worker counts,
    // whoever made it; a closed one (or its router's or transport's close) takes itself off.
    worker.observer.on('newrouter', (router) => {
      slot.routers += 1;
      router.observer.once('close', () => {
        if (slot.worker === worker) slot.routers -= 1;
      });
      router.observer.on('newtransport', (transport) => {
        const transports = slot.transports;
        transports.add(transport);
        transport.observer.once('close', () => transports.delete(transport));
        transport.observer.on('newconsumer', (consumer) => {
          slot.consumers += 1;
          consumer.observer.once('close', () => {
            if (slot.worker === worker) slot.consumers -= 1;
          });
        });
      });
    });
    this.#log.debug({ slot: slot.index, pid: worker.pid }, `sfu.worker() | started [slot:${slot.index}] [pid:${worker.pid}]`);
    worker.on('died', (error) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      if (Date.now() - slot.startedAt >= STABLE_MS) slot.failures = 0;
      this.#failed(slot, `worker ${worker.pid} died: ${error.message}`);
    });
  }

  /** Notes why a slot has no worker and tries again later, unless it has failed too often in a row. */
  #failed(slot: Slot, reason: string): void {
    if (this.#stopped) return;
    this.#reason = reason;
    slot.failures += 1;
    const context = { slot: slot.index, failures: slot.failures, workers: this.workers, reason };
    if (slot.failures >= MAX_ATTEMPTS) {
      this.#log.error(context, `sfu.worker() | given up after ${slot.failures} attempts [slot:${slot.index}] [reason:${reason}]`);
      return;
    }
    const delayMs = FIRST_RETRY_MS * 2 ** (slot.failures - 1);
    this.#log.error(
      { ...context, retryInMs: delayMs },
      `sfu.worker() | replacing it in ${delayMs} ms [slot:${slot.index}] [reason:${reason}]`,
    );
    slot.retry = setTimeout(() => void this.#fill(slot), delayMs);
  }
}
