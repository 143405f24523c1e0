// The call's media session against a fake signalling server and mediasoup-client's own fake
// WebRTC handler: the steps in order (media, two transports, connect, produce with the source),
// a simulcast camera, consuming the others' producers and resuming them, closing what disappears,
// renegotiating on a new epoch, restarting ICE when a transport drops, mute, screen share, the
// layer for a tile's size, and the quality read from receiver statistics.
import { Device, FakeHandler, testFakeParameters, type types } from 'mediasoup-client';
import { expect, test } from 'vitest';
import { CallMedia, type Capture, layerFor, type MediaSnapshot, qualityOf, readCounters } from './callMedia.ts';

const callId = '0192a1b2-c3d4-7e5f-8a9b-0000000ca111';
const me = '0192a1b2-c3d4-7e5f-8a9b-00000000a000';
const bruno = '0192a1b2-c3d4-7e5f-8a9b-00000000b000';

class FakeTrack extends EventTarget {
  readonly id = crypto.randomUUID();
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  constructor(readonly kind: 'audio' | 'video') {
    super();
  }
  stop() {
    this.readyState = 'ended';
  }
  clone() {
    return new FakeTrack(this.kind);
  }
  getSettings() {
    return {};
  }
}
const track = (kind: 'audio' | 'video') => new FakeTrack(kind) as unknown as MediaStreamTrack;

function setUp(video = true) {
  const calls: { op: string; body: Record<string, unknown> }[] = [];
  const transports: types.Transport[] = [];
  let epoch = 'e1';
  const errors: unknown[] = [];
  const snapshots: MediaSnapshot[] = [];
  const signalling = {
    call: (async (op: string, body: Record<string, unknown>) => {
      calls.push({ op, body });
      switch (op) {
        case 'calls.media':
          return { epoch, rtpCapabilities: testFakeParameters.generateRouterRtpCapabilities(), iceServers: [] };
        case 'calls.createTransport': {
          const made = testFakeParameters.generateTransportRemoteParameters();
          return {
            transportId: crypto.randomUUID(),
            iceParameters: made.iceParameters,
            iceCandidates: made.iceCandidates,
            dtlsParameters: made.dtlsParameters,
          };
        }
        case 'calls.produce':
          return { producerId: crypto.randomUUID() };
        case 'calls.consume': {
          const made = testFakeParameters.generateConsumerRemoteParameters({
            id: crypto.randomUUID(),
            codecMimeType: String(body.producerId).startsWith('a') ? 'audio/opus' : 'video/VP8',
          });
          return {
            consumerId: made.id,
            producerId: body.producerId,
            kind: made.kind,
            rtpParameters: made.rtpParameters,
            type: made.kind === 'video' ? 'simulcast' : 'simple',
            producerPaused: false,
          };
        }
        case 'calls.restartIce':
          return { iceParameters: { usernameFragment: 'new', password: 'new-password', iceLite: true } };
        default:
          return {};
      }
    }) as never,
  };
  const capture: Capture = {
    microphone: async () => track('audio'),
    camera: async () => track('video'),
    screen: async () => ({ video: track('video'), audio: track('audio') }),
  };
  const media = new CallMedia({
    callId,
    video,
    me,
    signalling,
    capture,
    device: () => {
      const device = new Device({ handlerFactory: FakeHandler.createFactory(testFakeParameters) });
      device.observer.on('newtransport', (transport) => transports.push(transport));
      return device;
    },
    onChange: (snapshot) => snapshots.push(snapshot),
    onError: (error) => errors.push(error),
  });
  return {
    media,
    calls,
    transports,
    errors,
    last: () => snapshots.at(-1),
    ops: () => calls.map((each) => each.op),
    setEpoch: (value: string) => {
      epoch = value;
    },
  };
}

// Producer ids starting with "a" are audio in the fake server.
const audioOfBruno = {
  id: 'a0000000-0000-4000-8000-000000000001',
  userId: bruno,
  kind: 'audio' as const,
  source: 'mic' as const,
  paused: false,
};
const cameraOfBruno = {
  id: 'c0000000-0000-4000-8000-000000000002',
  userId: bruno,
  kind: 'video' as const,
  source: 'camera' as const,
  paused: false,
};

test('callMedia: negotiates in order, sends the microphone and a three-layer camera with their sources, and connects each transport once', async () => {
  const s = setUp();
  await s.media.start();
  expect(s.errors).toEqual([]);
  expect(s.ops().slice(0, 3)).toEqual(['calls.media', 'calls.createTransport', 'calls.createTransport']);
  expect(s.calls.filter((each) => each.op === 'calls.createTransport').map((each) => each.body.direction)).toEqual(['send', 'recv']);
  const produced = s.calls.filter((each) => each.op === 'calls.produce');
  expect(produced.map((each) => [each.body.kind, each.body.source])).toEqual([
    ['audio', 'mic'],
    ['video', 'camera'],
  ]);
  expect(produced[0]?.body.transportId).toBe(s.transports[0]?.id);
  expect(produced[1]?.body.rtpParameters).toMatchObject({ encodings: [{}, {}, {}] });
  expect(s.calls.filter((each) => each.op === 'calls.connectTransport').map((each) => each.body.transportId)).toEqual([
    s.transports[0]?.id,
  ]);
  expect(s.last()?.local.mic).toBeDefined();
  expect(s.last()?.local.camera).toBeDefined();
});

test('callMedia: a voice call sends no camera', async () => {
  const s = setUp(false);
  await s.media.start();
  expect(s.calls.filter((each) => each.op === 'calls.produce').map((each) => each.body.source)).toEqual(['mic']);
  expect(s.last()?.local.camera).toBeUndefined();
});

test('callMedia: consumes the others’ producers (not its own), resumes each, and closes a consumer whose producer is gone', async () => {
  const s = setUp();
  await s.media.start();
  const mine = { id: 'a0000000-0000-4000-8000-0000000000ff', userId: me, kind: 'audio' as const, source: 'mic' as const, paused: false };
  await s.media.sync({ epoch: 'e1', producers: [mine, audioOfBruno, cameraOfBruno] });
  const consumed = s.calls.filter((each) => each.op === 'calls.consume');
  expect(consumed.map((each) => each.body.producerId)).toEqual([audioOfBruno.id, cameraOfBruno.id]);
  expect(consumed[0]?.body.transportId).toBe(s.transports[1]?.id);
  const resumed = s.calls.filter((each) => each.op === 'calls.setConsumer');
  expect(resumed.map((each) => each.body.paused)).toEqual([false, false]);
  expect(s.last()?.remote.map((each) => [each.userId, each.source, each.kind])).toEqual([
    [bruno, 'mic', 'audio'],
    [bruno, 'camera', 'video'],
  ]);
  // The same list again consumes nothing more; a paused producer shows paused.
  await s.media.sync({ epoch: 'e1', producers: [audioOfBruno, { ...cameraOfBruno, paused: true }] });
  expect(s.calls.filter((each) => each.op === 'calls.consume')).toHaveLength(2);
  expect(s.last()?.remote.find((each) => each.source === 'camera')?.paused).toBe(true);
  // The camera goes: its consumer closes (its track ends) and its tile with it.
  const cameraTrack = s.last()?.remote.find((each) => each.source === 'camera')?.track;
  await s.media.sync({ epoch: 'e1', producers: [audioOfBruno] });
  expect(s.last()?.remote.map((each) => each.source)).toEqual(['mic']);
  expect(cameraTrack?.readyState).toBe('ended');
});

test('callMedia: a new epoch drops the old router’s transports and negotiates again from calls.media, sending the same tracks', async () => {
  const s = setUp();
  await s.media.start();
  await s.media.sync({ epoch: 'e1', producers: [audioOfBruno] });
  const micBefore = s.last()?.local.mic;
  s.setEpoch('e2');
  await s.media.sync({ epoch: 'e2', producers: [audioOfBruno] });
  expect(s.ops().filter((op) => op === 'calls.media')).toHaveLength(2);
  expect(s.transports).toHaveLength(4);
  expect(s.transports[0]?.closed).toBe(true);
  expect(s.transports[1]?.closed).toBe(true);
  expect(s.calls.filter((each) => each.op === 'calls.produce')).toHaveLength(4);
  expect(s.calls.filter((each) => each.op === 'calls.consume')).toHaveLength(2);
  expect(s.last()?.local.mic).toBe(micBefore);
});

test('callMedia: renegotiate (a new socket in the call) makes new transports on the same router and sends the same tracks', async () => {
  const s = setUp();
  await s.media.start();
  await s.media.sync({ epoch: 'e1', producers: [audioOfBruno] });
  await s.media.renegotiate();
  expect(s.ops().filter((op) => op === 'calls.media')).toHaveLength(2);
  expect(s.transports.slice(0, 2).every((transport) => transport.closed)).toBe(true);
  expect(s.calls.filter((each) => each.op === 'calls.consume')).toHaveLength(2);
});

test('callMedia: once the router is lost with its node, a failing transport restarts no ICE; the new epoch negotiates anew', async () => {
  const s = setUp();
  await s.media.start();
  s.media.lost();
  ((s.transports[1] as types.Transport).handler as FakeHandler).setConnectionState('failed');
  await Bun.sleep(50);
  expect(s.calls.filter((each) => each.op === 'calls.restartIce')).toEqual([]);
  s.setEpoch('e2');
  await s.media.sync({ epoch: 'e2', producers: [audioOfBruno] });
  expect(s.ops().filter((op) => op === 'calls.media')).toHaveLength(2);
});

test('callMedia: a transport that disconnects or fails restarts ICE with the SFU’s new parameters', async () => {
  const s = setUp();
  await s.media.start();
  const recv = s.transports[1] as types.Transport;
  (recv.handler as FakeHandler).setConnectionState('failed');
  await expect.poll(() => s.calls.filter((each) => each.op === 'calls.restartIce').map((each) => each.body.transportId)).toEqual([recv.id]);
  ((s.transports[0] as types.Transport).handler as FakeHandler).setConnectionState('connected');
  expect(s.calls.filter((each) => each.op === 'calls.restartIce')).toHaveLength(1);
});

test('callMedia: mute and camera off pause the producers on the server; a screen share is produced as screen, its sound as screenAudio, both closed when stopped', async () => {
  const s = setUp();
  await s.media.start();
  await s.media.setMuted(true);
  await s.media.setCameraOff(true);
  const paused = s.calls.filter((each) => each.op === 'calls.setProducer');
  expect(paused.map((each) => each.body.paused)).toEqual([true, true]);
  expect(s.last()?.local).toMatchObject({ muted: true, cameraOff: true });
  await s.media.setMuted(false);
  expect(s.calls.filter((each) => each.op === 'calls.setProducer').at(-1)?.body.paused).toBe(false);

  await s.media.shareScreen();
  const produced = s.calls.filter((each) => each.op === 'calls.produce').map((each) => [each.body.source, each.body.kind]);
  expect(produced.slice(-2)).toEqual([
    ['screen', 'video'],
    ['screenAudio', 'audio'],
  ]);
  expect(s.last()?.local.screen).toBeDefined();
  await s.media.stopScreen();
  expect(s.calls.filter((each) => each.op === 'calls.closeProducer')).toHaveLength(2);
  expect(s.last()?.local.screen).toBeUndefined();
  expect(s.errors).toEqual([]);
});

test('callMedia: a tile’s size picks the simulcast layer once per change', async () => {
  const s = setUp();
  await s.media.start();
  await s.media.sync({ epoch: 'e1', producers: [audioOfBruno, cameraOfBruno] });
  await s.media.setSize(cameraOfBruno.id, 200);
  await s.media.setSize(cameraOfBruno.id, 250);
  await s.media.setSize(cameraOfBruno.id, 1200);
  await s.media.setSize(audioOfBruno.id, 1200);
  const layers = s.calls.filter((each) => each.op === 'calls.setConsumer' && each.body.spatialLayer !== undefined);
  expect(layers.map((each) => each.body.spatialLayer)).toEqual([0, 2]);
  expect([layerFor(320), layerFor(321), layerFor(640), layerFor(641)]).toEqual([0, 1, 1, 2]);
});

test('callMedia: close stops the local tracks and closes the transports; nothing runs after', async () => {
  const s = setUp();
  await s.media.start();
  const mic = s.last()?.local.mic as unknown as FakeTrack;
  s.media.close();
  expect(mic.readyState).toBe('ended');
  expect(s.transports.every((each) => each.closed)).toBe(true);
  const before = s.calls.length;
  await s.media.sync({ epoch: 'e1', producers: [audioOfBruno] });
  expect(s.calls.length).toBe(before);
});

test('callMedia: quality from receiver statistics: loss over the interval and the round trip', () => {
  const report = (lost: number, received: number, rtt?: number) =>
    new Map<string, Record<string, unknown>>([
      ['in', { type: 'inbound-rtp', packetsLost: lost, packetsReceived: received }],
      ['pair', { type: 'candidate-pair', nominated: true, currentRoundTripTime: rtt }],
    ]);
  const start = readCounters(report(0, 1000, 0.02));
  expect(start).toEqual({ packetsLost: 0, packetsReceived: 1000, roundTripTime: 0.02 });
  expect(qualityOf(undefined, start)).toBe('good');
  expect(qualityOf(start, readCounters(report(5, 1995, 0.02)))).toBe('good');
  expect(qualityOf(start, readCounters(report(50, 1950, 0.02)))).toBe('fair');
  expect(qualityOf(start, readCounters(report(200, 1800, 0.02)))).toBe('poor');
  expect(qualityOf(start, readCounters(report(0, 2000, 0.3)))).toBe('fair');
  expect(qualityOf(start, readCounters(report(0, 2000, 0.8)))).toBe('poor');
});
