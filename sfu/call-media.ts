// One call's media on this node's SFU: its router, each participant's two WebRTC transports (one
// to send, one to receive), their producers (one per source: mic, camera, screen, screenAudio) and
// consumers (one per producer they receive), and who speaks (mediasoup's ActiveSpeakerObserver).
// Owned by the call's actor (actors/call.ts), its only caller, one message at a time; nothing else
// holds the router. Media is live state and is not persisted: when the call's actor comes back on
// another node (its node died) or the router's worker dies, the call gets a new router with a new
// `epoch`, and clients negotiate again. Every id a client names is looked up among that
// participant's own transports, producers and consumers: someone else's is NOT_FOUND.
import type { types as mediasoup } from 'mediasoup';
import type { PRODUCER_SOURCES } from '../protocol/calls/call-media.ts';
import type { CallRequest, CallResponse } from '../protocol/catalogue.ts';
import { CALL_MEDIA_LIMITS } from '../protocol/lists.ts';
import { CallsUnavailableError } from '../server/calls/errors.ts';
import { InvalidInputError, NotFoundError } from '../server/errors.ts';
import type { Logger } from '../server/platform/log.ts';
import type { Sfu } from './sfu.ts';

type ProducerSource = (typeof PRODUCER_SOURCES)[number];
export type CallProducerView = { id: string; userId: string; kind: 'audio' | 'video'; source: ProducerSource; paused: boolean };
type Direction = 'send' | 'recv';
type TransportAnswer = CallResponse<'calls.createTransport'>;
type ConsumeAnswer = CallResponse<'calls.consume'>;

/** What the router forwards: Opus, and VP8 or H264 (Safari's) for video. */
export const MEDIA_CODECS: mediasoup.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

const AUDIO_SOURCES: ReadonlySet<ProducerSource> = new Set(['mic', 'screenAudio']);
/** How often the active speaker observer may change its mind. */
const SPEAKER_INTERVAL_MS = 300;

interface Peer {
  userId: string;
  transports: Partial<Record<Direction, mediasoup.WebRtcTransport>>;
  producers: Map<ProducerSource, mediasoup.Producer>;
  /** By the producer they receive. */
  consumers: Map<string, mediasoup.Consumer>;
}

export interface CallMediaEvents {
  /** The producers changed (made, paused, resumed, closed): the call tells its participants. */
  changed(): void;
  /** Who speaks now (a user id), or nobody. */
  speaker(userId: string | null): void;
  /** The router is gone with its worker: everything on it closed, and the call needs a new one. */
  lost(): void;
}

/** mediasoup's refusals of what a client sent (TypeError, UnsupportedError), as INVALID_INPUT; anything else is not the client's. */
function refusedInput(error: unknown, field: string): never {
  if (error instanceof TypeError || (error instanceof Error && error.name === 'UnsupportedError'))
    throw new InvalidInputError(`${field}: ${error.message}`, { field, cause: error });
  throw error;
}

export class CallMedia {
  readonly #callId: string;
  readonly #router: mediasoup.Router;
  readonly #speaker: mediasoup.ActiveSpeakerObserver;
  readonly #listenIps: mediasoup.TransportListenIp[];
  readonly #video: boolean;
  readonly #events: CallMediaEvents;
  readonly #log: Logger;
  readonly #peers = new Map<string, Peer>();

  /** A router for the call on this node's least-loaded worker; CALLS_UNAVAILABLE when none runs. */
  static async create(
    sfu: Sfu | undefined,
    call: { id: string; video: boolean },
    events: CallMediaEvents,
    log: Logger,
  ): Promise<CallMedia> {
    const router = await sfu?.createRouter(MEDIA_CODECS);
    if (sfu === undefined || router === undefined) throw new CallsUnavailableError();
    const speaker = await router.createActiveSpeakerObserver({ interval: SPEAKER_INTERVAL_MS });
    return new CallMedia(call, router, speaker, sfu.listenIps(), events, log);
  }

  private constructor(
    call: { id: string; video: boolean },
    router: mediasoup.Router,
    speaker: mediasoup.ActiveSpeakerObserver,
    listenIps: mediasoup.TransportListenIp[],
    events: CallMediaEvents,
    log: Logger,
  ) {
    this.#callId = call.id;
    this.#video = call.video;
    this.#router = router;
    this.#speaker = speaker;
    this.#listenIps = listenIps;
    this.#events = events;
    this.#log = log;
    speaker.on('dominantspeaker', ({ producer }) => events.speaker(String(producer.appData.userId)));
    router.on('workerclose', () => {
      log.warn({ call: call.id, router: router.id }, `call.media() | router lost with its worker [call:${call.id}]`);
      this.#peers.clear();
      events.lost();
    });
  }

  /** The router's id: a client that sees it change negotiates again from `calls.media`. */
  get epoch(): string {
    return this.#router.id;
  }

  get rtpCapabilities(): mediasoup.RtpCapabilities {
    return this.#router.rtpCapabilities;
  }

  /** Every producer of the call, in the order the participants came in. */
  producers(): CallProducerView[] {
    const views: CallProducerView[] = [];
    for (const peer of this.#peers.values())
      for (const [source, producer] of peer.producers)
        views.push({ id: producer.id, userId: peer.userId, kind: producer.kind, source, paused: producer.paused });
    return views;
  }

  async createTransport(userId: string, direction: Direction): Promise<TransportAnswer> {
    const peer = this.#peer(userId);
    // A second one of a direction replaces the first (a client starting over): its producers or
    // consumers close with it.
    peer.transports[direction]?.close();
    const transport = await this.#router.createWebRtcTransport({
      listenIps: this.#listenIps,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
      appData: { userId, direction },
    });
    if (direction === 'send') await transport.setMaxIncomingBitrate(CALL_MEDIA_LIMITS.maxIncomingBitrate);
    peer.transports[direction] = transport;
    transport.observer.once('close', () => {
      if (peer.transports[direction] === transport) delete peer.transports[direction];
      if (direction === 'send' && peer.producers.size > 0) {
        peer.producers.clear();
        this.#events.changed();
      }
    });
    return {
      transportId: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates.map((candidate) => ({
        foundation: candidate.foundation,
        priority: candidate.priority,
        ip: candidate.ip,
        address: candidate.ip,
        protocol: candidate.protocol,
        port: candidate.port,
        type: candidate.type,
        ...(candidate.tcpType === undefined ? {} : { tcpType: candidate.tcpType }),
      })),
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(userId: string, transportId: string, dtlsParameters: CallRequest<'calls.connectTransport'>['dtlsParameters']) {
    const transport = this.#transport(userId, transportId);
    if (transport.dtlsState !== 'new' || transport.appData.connected === true)
      throw new InvalidInputError('this transport is connected already', { field: 'transportId' });
    transport.appData.connected = true;
    try {
      await transport.connect({ dtlsParameters });
    } catch (error) {
      transport.appData.connected = false;
      refusedInput(error, 'dtlsParameters');
    }
  }

  async restartIce(userId: string, transportId: string): Promise<mediasoup.IceParameters> {
    return this.#transport(userId, transportId).restartIce();
  }

  async produce(userId: string, request: CallRequest<'calls.produce'>): Promise<string> {
    const peer = this.#peer(userId);
    const transport = this.#transport(userId, request.transportId, 'send');
    const audio = AUDIO_SOURCES.has(request.source);
    if ((request.kind === 'audio') !== audio)
      throw new InvalidInputError(`a ${request.source} track is ${audio ? 'audio' : 'video'}`, { field: 'kind' });
    if (request.source === 'camera' && !this.#video) throw new InvalidInputError('a voice call carries no camera', { field: 'source' });
    // One per source: a new one replaces the old (a camera switched, a retried produce).
    peer.producers.get(request.source)?.close();
    peer.producers.delete(request.source);
    let producer: mediasoup.Producer;
    try {
      producer = await transport.produce({
        kind: request.kind,
        rtpParameters: request.rtpParameters as mediasoup.RtpParameters,
        paused: request.paused ?? false,
        appData: { userId, source: request.source },
      });
    } catch (error) {
      refusedInput(error, 'rtpParameters');
    }
    peer.producers.set(request.source, producer);
    producer.observer.once('close', () => {
      if (peer.producers.get(request.source) !== producer) return;
      peer.producers.delete(request.source);
      this.#events.changed();
    });
    if (producer.kind === 'audio')
      await this.#speaker
        .addProducer({ producerId: producer.id })
        .catch((error: unknown) =>
          this.#log.warn({ err: error, call: this.#callId }, `call.media() | speaker observer refused a producer [call:${this.#callId}]`),
        );
    this.#events.changed();
    return producer.id;
  }

  async setProducer(userId: string, producerId: string, paused: boolean): Promise<void> {
    const producer = this.#producer(userId, producerId);
    if (producer === undefined) throw new NotFoundError('producer');
    if (producer.paused === paused) return;
    await (paused ? producer.pause() : producer.resume());
    this.#events.changed();
  }

  /** Closing one that is not (or no longer) the caller's changes nothing. */
  closeProducer(userId: string, producerId: string): void {
    this.#producer(userId, producerId)?.close();
  }

  async consume(userId: string, request: CallRequest<'calls.consume'>): Promise<ConsumeAnswer> {
    const peer = this.#peer(userId);
    const transport = this.#transport(userId, request.transportId, 'recv');
    const owner = [...this.#peers.values()].find((other) =>
      [...other.producers.values()].some((producer) => producer.id === request.producerId),
    );
    if (owner === undefined) throw new NotFoundError('producer');
    if (owner.userId === userId) throw new InvalidInputError('your own producer is not consumed', { field: 'producerId' });
    const rtpCapabilities = request.rtpCapabilities as mediasoup.RtpCapabilities;
    let consumable: boolean;
    try {
      consumable = this.#router.canConsume({ producerId: request.producerId, rtpCapabilities });
    } catch (error) {
      refusedInput(error, 'rtpCapabilities');
    }
    if (!consumable) throw new InvalidInputError('your device cannot receive this producer', { field: 'rtpCapabilities' });
    peer.consumers.get(request.producerId)?.close();
    let consumer: mediasoup.Consumer;
    try {
      consumer = await transport.consume({ producerId: request.producerId, rtpCapabilities, paused: true });
    } catch (error) {
      refusedInput(error, 'rtpCapabilities');
    }
    peer.consumers.set(request.producerId, consumer);
    consumer.observer.once('close', () => {
      if (peer.consumers.get(request.producerId) === consumer) peer.consumers.delete(request.producerId);
    });
    consumer.on('producerclose', () => consumer.close());
    return {
      consumerId: consumer.id,
      producerId: request.producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as ConsumeAnswer['rtpParameters'],
      type: consumer.type === 'pipe' ? 'simple' : consumer.type,
      producerPaused: consumer.producerPaused,
    };
  }

  async setConsumer(userId: string, request: CallRequest<'calls.setConsumer'>): Promise<void> {
    const consumer = [...(this.#peers.get(userId)?.consumers.values() ?? [])].find((each) => each.id === request.consumerId);
    if (consumer === undefined) throw new NotFoundError('consumer');
    if (request.spatialLayer !== undefined && consumer.type !== 'simple')
      await consumer.setPreferredLayers({
        spatialLayer: request.spatialLayer,
        ...(request.temporalLayer === undefined ? {} : { temporalLayer: request.temporalLayer }),
      });
    if (request.paused === true) await consumer.pause();
    if (request.paused === false) await consumer.resume();
  }

  /** Someone left the call: their transports close, and with them what they sent and received. */
  removePeer(userId: string): void {
    const peer = this.#peers.get(userId);
    if (peer === undefined) return;
    this.#peers.delete(userId);
    const hadProducers = peer.producers.size > 0;
    peer.producers.clear();
    for (const transport of Object.values(peer.transports)) transport.close();
    if (hadProducers) this.#events.changed();
  }

  close(): void {
    this.#peers.clear();
    this.#router.close();
  }

  #peer(userId: string): Peer {
    let peer = this.#peers.get(userId);
    if (peer === undefined) {
      peer = { userId, transports: {}, producers: new Map(), consumers: new Map() };
      this.#peers.set(userId, peer);
    }
    return peer;
  }

  /** One of the user's transports (of that direction, when given); NOT_FOUND for anyone else's or one gone. */
  #transport(userId: string, transportId: string, direction?: Direction): mediasoup.WebRtcTransport {
    const transports = this.#peers.get(userId)?.transports ?? {};
    const found = (direction === undefined ? [transports.send, transports.recv] : [transports[direction]]).find(
      (transport) => transport?.id === transportId,
    );
    if (found === undefined) throw new NotFoundError('transport');
    return found;
  }

  #producer(userId: string, producerId: string): mediasoup.Producer | undefined {
    return [...(this.#peers.get(userId)?.producers.values() ?? [])].find((producer) => producer.id === producerId);
  }
}
