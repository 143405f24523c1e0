// The media of the call this device is in, through mediasoup-client (PROTOCOL.md, "Voice and video
// calls", and the steps of protocol/calls/call-media.ts): one Device loaded with the router's
// capabilities, one send and one recv WebRTC transport, our producers (microphone; camera with
// three simulcast layers in a video call; a shared screen) and one consumer for each producer of
// the others listed in the call's `media.producers`. It owns the local tracks it captured and
// stops them when it closes. A new `media.epoch` (the router moved after a failure) drops
// everything made on the old router and negotiates again with the same tracks; a transport whose
// connection drops restarts ICE. Operations run one at a time, in order: `call.changed` may arrive
// while a step is in flight, and each step needs the ones before it.
import { Device, type types } from 'mediasoup-client';
import type { CallName, CallRequest, CallResponse } from '../../../protocol/catalogue.ts';

export type Source = 'mic' | 'camera' | 'screen' | 'screenAudio';
type MediaState = CallResponse<'calls.get'>['media'];

export interface Signalling {
  call<N extends CallName>(op: N, body: CallRequest<N>): Promise<CallResponse<N>>;
}

/** Where local tracks come from: the browser's devices, or fakes in tests. */
export interface Capture {
  microphone(deviceId?: string): Promise<MediaStreamTrack>;
  camera(deviceId?: string): Promise<MediaStreamTrack>;
  /** The screen's video, and its sound when the user chose to share it (a tab's audio, say). */
  screen(): Promise<{ video: MediaStreamTrack; audio: MediaStreamTrack | undefined }>;
}

/** Someone else's track as received. */
export interface RemoteTrack {
  producerId: string;
  consumerId: string;
  userId: string;
  source: Source;
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  /** Muted or camera off on their side. */
  paused: boolean;
}

export interface LocalMedia {
  mic: MediaStreamTrack | undefined;
  camera: MediaStreamTrack | undefined;
  screen: MediaStreamTrack | undefined;
  muted: boolean;
  cameraOff: boolean;
}

export interface MediaSnapshot {
  local: LocalMedia;
  remote: RemoteTrack[];
}

/** How a connection to one participant is doing, from its receiver's statistics. */
export type Quality = 'good' | 'fair' | 'poor';

export interface MediaOptions {
  callId: string;
  video: boolean;
  me: string;
  signalling: Signalling;
  capture: Capture;
  /** A new mediasoup Device (a Device loads once: each epoch takes a new one). */
  device?: () => Device;
  onChange(snapshot: MediaSnapshot): void;
  /** A step failed (a device refused, a producer the router would not take): shown, the call goes on. */
  onError(error: unknown, step: string): void;
}

/** The camera's three simulcast layers, smallest first (1/4, 1/2 and full resolution). */
const CAMERA_ENCODINGS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
];

/** The simulcast layer worth receiving for a tile `pixels` wide (device pixels): 0 the smallest. */
export function layerFor(pixels: number): number {
  if (pixels <= 320) return 0;
  if (pixels <= 640) return 1;
  return 2;
}

/** Packet loss and round trip, read from a receiver's statistics: counters since the start. */
export interface ReceiveCounters {
  packetsLost: number;
  packetsReceived: number;
  /** Seconds, when the report has one. */
  roundTripTime: number | undefined;
}

/** The counters of the inbound stream and its transport's active candidate pair. */
export function readCounters(report: Iterable<[string, Record<string, unknown>]> | RTCStatsReport): ReceiveCounters {
  const counters: ReceiveCounters = { packetsLost: 0, packetsReceived: 0, roundTripTime: undefined };
  for (const [, stat] of report as Iterable<[string, Record<string, unknown>]>) {
    if (stat.type === 'inbound-rtp') {
      counters.packetsLost += Math.max(0, Number(stat.packetsLost ?? 0));
      counters.packetsReceived += Number(stat.packetsReceived ?? 0);
    }
    if (stat.type === 'candidate-pair' && stat.nominated === true && typeof stat.currentRoundTripTime === 'number')
      counters.roundTripTime = stat.currentRoundTripTime;
  }
  return counters;
}

/** The quality between two readings: loss over the interval, and the last round trip. */
export function qualityOf(before: ReceiveCounters | undefined, now: ReceiveCounters): Quality {
  const lost = now.packetsLost - (before?.packetsLost ?? 0);
  const received = now.packetsReceived - (before?.packetsReceived ?? 0);
  const loss = lost + received > 0 ? lost / (lost + received) : 0;
  const rtt = now.roundTripTime ?? 0;
  if (loss > 0.08 || rtt > 0.5) return 'poor';
  if (loss > 0.02 || rtt > 0.25) return 'fair';
  return 'good';
}

interface Consumed {
  consumer: types.Consumer;
  remote: RemoteTrack;
  type: 'simple' | 'simulcast' | 'svc';
  layer: number | undefined;
}

export class CallMedia {
  readonly #options: MediaOptions;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #epoch: string | undefined;
  #device: Device | undefined;
  #send: types.Transport | undefined;
  #recv: types.Transport | undefined;
  readonly #producers = new Map<Source, types.Producer>();
  readonly #consumers = new Map<string, Consumed>();
  readonly #restarting = new Set<string>();
  readonly #counters = new Map<string, ReceiveCounters>();
  #latest: MediaState = null;
  readonly #local: LocalMedia = { mic: undefined, camera: undefined, screen: undefined, muted: false, cameraOff: false };
  /** The shared screen's sound, sent as `screenAudio` while the screen is shared. */
  #screenAudio: MediaStreamTrack | undefined;

  constructor(options: MediaOptions) {
    this.#options = options;
  }

  /** Negotiates with the call's router, sends the microphone (and the camera), receives the others. */
  start(): Promise<void> {
    return this.#run('start', () => this.#negotiate());
  }

  /**
   * Everything made on the router again, from `calls.media` (after this device took its place in
   * the call back from a new socket: what it made from the old socket is the server's no more).
   */
  renegotiate(): Promise<void> {
    return this.#run('renegotiate', async () => {
      this.#drop();
      await this.#negotiate();
    });
  }

  /**
   * The router's node died (`call.mediaLost`): its transports are dead, so no ICE restart is
   * tried on them; the next `call.changed`, with a new epoch, negotiates with the new router.
   */
  lost(): void {
    this.#epoch = undefined;
  }

  /** The call's `media` from a `call.changed`: consume what is new, drop what is gone, renegotiate on a new epoch. */
  sync(media: MediaState): Promise<void> {
    this.#latest = media;
    return this.#run('sync', async () => {
      const now = this.#latest;
      if (now === null || this.#device === undefined) return;
      if (now.epoch !== this.#epoch) {
        this.#drop();
        await this.#negotiate();
        return;
      }
      await this.#consumeAll();
    });
  }

  setMuted(muted: boolean): Promise<void> {
    this.#local.muted = muted;
    return this.#run('mute', () => this.#pause('mic', muted));
  }

  setCameraOff(off: boolean): Promise<void> {
    this.#local.cameraOff = off;
    return this.#run('camera', () => this.#pause('camera', off));
  }

  /** Another microphone (`deviceId`): its track replaces the old one without renegotiating. */
  switchMicrophone(deviceId: string): Promise<void> {
    return this.#run('microphone', async () => {
      const track = await this.#options.capture.microphone(deviceId);
      await this.#replace('mic', track);
    });
  }

  /** Another camera (`deviceId`): its track replaces the old one without renegotiating. */
  switchCamera(deviceId: string): Promise<void> {
    return this.#run('camera', async () => {
      if (!this.#options.video) return;
      const track = await this.#options.capture.camera(deviceId);
      await this.#replace('camera', track);
    });
  }

  /**
   * Shares a screen (the browser asks which), with its sound when the user shares that too
   * (`screenAudio`); it stops when the user stops it in the browser too.
   */
  shareScreen(): Promise<void> {
    return this.#run('screen', async () => {
      if (this.#local.screen !== undefined) return;
      const { video, audio } = await this.#options.capture.screen();
      this.#local.screen = video;
      this.#screenAudio = audio;
      video.addEventListener('ended', () => void this.stopScreen());
      try {
        await this.#produce('screen', video);
        if (audio !== undefined) await this.#produce('screenAudio', audio);
      } catch (error) {
        // Not sent: the capture stops too (the browser would go on showing it as shared).
        await this.#endShare().catch(() => undefined);
        throw error;
      }
      this.#changed();
    });
  }

  stopScreen(): Promise<void> {
    return this.#run('screen', () => this.#endShare());
  }

  /** Stops sharing the screen: its capture, its producers here and on the server. */
  async #endShare(): Promise<void> {
    for (const track of [this.#local.screen, this.#screenAudio]) track?.stop();
    this.#local.screen = undefined;
    this.#screenAudio = undefined;
    const producers = (['screen', 'screenAudio'] as const).flatMap((source) => {
      const producer = this.#producers.get(source);
      this.#producers.delete(source);
      return producer === undefined ? [] : [producer];
    });
    this.#changed();
    for (const producer of producers) {
      producer.close();
      await this.#options.signalling.call('calls.closeProducer', { callId: this.#options.callId, producerId: producer.id });
    }
  }

  /** The tile showing `producerId` is `pixels` wide (device pixels): ask for the simulcast layer that fits. */
  setSize(producerId: string, pixels: number): Promise<void> {
    return this.#run('layer', async () => {
      const consumed = this.#consumers.get(producerId);
      if (consumed === undefined || consumed.type !== 'simulcast') return;
      const layer = layerFor(pixels);
      if (layer === consumed.layer) return;
      consumed.layer = layer;
      await this.#options.signalling.call('calls.setConsumer', {
        callId: this.#options.callId,
        consumerId: consumed.consumer.id,
        spatialLayer: layer,
      });
    });
  }

  /** Each participant's connection quality since the last reading (from their consumers' receivers). */
  async quality(): Promise<Record<string, Quality>> {
    const byUser: Record<string, Quality> = {};
    const rank: Record<Quality, number> = { good: 0, fair: 1, poor: 2 };
    for (const [producerId, consumed] of this.#consumers) {
      if (consumed.consumer.closed) continue;
      const now = readCounters(await consumed.consumer.getStats());
      const quality = qualityOf(this.#counters.get(producerId), now);
      this.#counters.set(producerId, now);
      const userId = consumed.remote.userId;
      const known = byUser[userId];
      if (known === undefined || rank[quality] > rank[known]) byUser[userId] = quality;
    }
    return byUser;
  }

  /** Closes transports (and so every producer and consumer) and stops the local tracks. */
  close(): void {
    this.#closed = true;
    this.#drop();
    for (const track of [this.#local.mic, this.#local.camera, this.#local.screen, this.#screenAudio]) track?.stop();
    this.#local.mic = undefined;
    this.#local.camera = undefined;
    this.#local.screen = undefined;
    this.#screenAudio = undefined;
    this.#changed();
  }

  #run(step: string, work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(async () => {
      if (this.#closed) return;
      try {
        await work();
      } catch (error) {
        if (!this.#closed) this.#options.onError(error, step);
      }
    });
    this.#queue = next;
    return next;
  }

  async #negotiate(): Promise<void> {
    const { callId, signalling } = this.#options;
    const media = await signalling.call('calls.media', { callId });
    const device = this.#options.device?.() ?? new Device();
    await device.load({ routerRtpCapabilities: media.rtpCapabilities as types.RtpCapabilities });
    if (this.#closed) return;
    this.#device = device;
    this.#epoch = media.epoch;
    const iceServers = media.iceServers as RTCIceServer[];
    this.#send = await this.#transport('send', iceServers);
    this.#recv = await this.#transport('recv', iceServers);
    await this.#sendLocal();
    if (this.#latest !== null && this.#latest.epoch === this.#epoch) await this.#consumeAll();
  }

  /** Captures what is not captured yet (a refused device does not stop the call) and produces it all. */
  async #sendLocal(): Promise<void> {
    const { capture, video } = this.#options;
    try {
      this.#local.mic ??= await capture.microphone();
      await this.#produce('mic', this.#local.mic);
      if (this.#local.muted) await this.#pause('mic', true);
    } catch (error) {
      this.#options.onError(error, 'microphone');
    }
    if (video) {
      try {
        this.#local.camera ??= await capture.camera();
        await this.#produce('camera', this.#local.camera);
        if (this.#local.cameraOff) await this.#pause('camera', true);
      } catch (error) {
        this.#options.onError(error, 'camera');
      }
    }
    if (this.#local.screen !== undefined) await this.#produce('screen', this.#local.screen);
    if (this.#screenAudio !== undefined) await this.#produce('screenAudio', this.#screenAudio);
    this.#changed();
  }

  async #transport(direction: 'send' | 'recv', iceServers: RTCIceServer[]): Promise<types.Transport> {
    const { callId, signalling } = this.#options;
    const device = this.#device as Device;
    const made = await signalling.call('calls.createTransport', { callId, direction });
    const options: types.TransportOptions = {
      id: made.transportId,
      iceParameters: made.iceParameters,
      iceCandidates: made.iceCandidates as types.IceCandidate[],
      dtlsParameters: made.dtlsParameters as types.DtlsParameters,
      iceServers,
    };
    const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      signalling
        .call('calls.connectTransport', {
          callId,
          transportId: transport.id,
          dtlsParameters: dtlsParameters as CallRequest<'calls.connectTransport'>['dtlsParameters'],
        })
        .then(() => done(), fail);
    });
    if (direction === 'send')
      transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        signalling
          .call('calls.produce', {
            callId,
            transportId: transport.id,
            kind,
            source: appData.source as Source,
            rtpParameters: rtpParameters as CallRequest<'calls.produce'>['rtpParameters'],
          })
          .then(({ producerId }) => done({ id: producerId }), fail);
      });
    transport.on('connectionstatechange', (state) => {
      if (state === 'disconnected' || state === 'failed') void this.#restartIce(transport);
    });
    return transport;
  }

  /** New ICE parameters from the SFU, given to the browser's ICE restart; one at a time per transport. */
  async #restartIce(transport: types.Transport): Promise<void> {
    // A router lost with its node (no epoch until the next) has nothing to restart against.
    if (this.#restarting.has(transport.id) || transport.closed || this.#closed || this.#epoch === undefined) return;
    this.#restarting.add(transport.id);
    try {
      const { iceParameters } = await this.#options.signalling.call('calls.restartIce', {
        callId: this.#options.callId,
        transportId: transport.id,
      });
      if (!transport.closed) await transport.restartIce({ iceParameters });
    } catch (error) {
      this.#options.onError(error, 'restartIce');
    } finally {
      this.#restarting.delete(transport.id);
    }
  }

  async #produce(source: Source, track: MediaStreamTrack): Promise<void> {
    const transport = this.#send;
    if (transport === undefined || this.#device?.canProduce(track.kind as 'audio' | 'video') !== true) return;
    const producer = await transport.produce({
      track,
      stopTracks: false,
      ...(source === 'camera' ? { encodings: CAMERA_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } } : {}),
      appData: { source },
    });
    this.#producers.get(source)?.close();
    this.#producers.set(source, producer);
  }

  async #pause(source: Source, paused: boolean): Promise<void> {
    const producer = this.#producers.get(source);
    this.#changed();
    if (producer === undefined || producer.paused === paused) return;
    if (paused) producer.pause();
    else producer.resume();
    await this.#options.signalling.call('calls.setProducer', { callId: this.#options.callId, producerId: producer.id, paused });
  }

  async #replace(source: 'mic' | 'camera', track: MediaStreamTrack): Promise<void> {
    const old = this.#local[source];
    this.#local[source] = track;
    const producer = this.#producers.get(source);
    if (producer !== undefined) await producer.replaceTrack({ track });
    else await this.#produce(source, track);
    old?.stop();
    this.#changed();
  }

  /** Consumes each producer of the others not consumed yet, and closes consumers whose producer is gone. */
  async #consumeAll(): Promise<void> {
    const media = this.#latest;
    const recv = this.#recv;
    const device = this.#device;
    if (media === null || recv === undefined || device === undefined) return;
    const theirs = media.producers.filter((producer) => producer.userId !== this.#options.me);
    for (const [producerId, consumed] of this.#consumers) {
      if (theirs.some((producer) => producer.id === producerId)) continue;
      consumed.consumer.close();
      this.#consumers.delete(producerId);
      this.#counters.delete(producerId);
    }
    for (const producer of theirs) {
      const known = this.#consumers.get(producer.id);
      if (known !== undefined) {
        known.remote = { ...known.remote, paused: producer.paused };
        continue;
      }
      try {
        await this.#consume(recv, device, producer);
      } catch (error) {
        // Gone meanwhile (NOT_FOUND), or a codec this browser lacks: the others still come.
        this.#options.onError(error, 'consume');
      }
    }
    this.#changed();
  }

  async #consume(recv: types.Transport, device: Device, producer: NonNullable<MediaState>['producers'][number]): Promise<void> {
    const { callId, signalling } = this.#options;
    const made = await signalling.call('calls.consume', {
      callId,
      transportId: recv.id,
      producerId: producer.id,
      rtpCapabilities: device.recvRtpCapabilities as CallRequest<'calls.consume'>['rtpCapabilities'],
    });
    const consumer = await recv.consume({
      id: made.consumerId,
      producerId: made.producerId,
      kind: made.kind,
      rtpParameters: made.rtpParameters as types.RtpParameters,
    });
    const remote: RemoteTrack = {
      producerId: producer.id,
      consumerId: consumer.id,
      userId: producer.userId,
      source: producer.source,
      kind: made.kind,
      track: consumer.track,
      paused: producer.paused,
    };
    this.#consumers.set(producer.id, { consumer, remote, type: made.type, layer: undefined });
    await signalling.call('calls.setConsumer', { callId, consumerId: consumer.id, paused: false });
  }

  /** Forgets everything made on the router (closing a transport closes what is on it); keeps the local tracks. */
  #drop(): void {
    this.#send?.close();
    this.#recv?.close();
    this.#send = undefined;
    this.#recv = undefined;
    this.#device = undefined;
    this.#epoch = undefined;
    this.#producers.clear();
    this.#consumers.clear();
    this.#counters.clear();
  }

  #changed(): void {
    this.#options.onChange({
      local: { ...this.#local },
      remote: [...this.#consumers.values()].map((consumed) => consumed.remote),
    });
  }
}
