// A call's media signalling: how a client that is in a call (`calls.accept` / `calls.join` from
// this socket) sends and receives audio and video through the call's SFU router, with any WebRTC
// stack. The shapes are mediasoup's (and mediasoup-client's): RTP capabilities and parameters,
// ICE and DTLS parameters. The steps, in order:
//   1. `calls.media`: the router's RTP capabilities (load them into your device), the ICE servers
//      (STUN, and TURN with short-lived credentials) and the router's `epoch`.
//   2. `calls.createTransport` twice, `send` and `recv`: a WebRTC transport each, with the SFU's
//      ICE candidates and parameters and DTLS parameters. Your stack connects: `calls.connectTransport`
//      with your DTLS parameters, once per transport.
//   3. `calls.produce` for each track you send (`source`: mic, camera, screen, screenAudio).
//   4. For each producer of the others (the call's `media.producers`, in every `call.changed`):
//      `calls.consume` on your recv transport, then `calls.setConsumer { paused: false }` once the
//      consumer is set up on your side (it starts paused so no packet is lost before then).
// Mute, camera off: `calls.setProducer { paused }`; stopping a track (a screen share):
// `calls.closeProducer`. The layer of a simulcast video you want (from the size you show it at):
// `calls.setConsumer { spatialLayer }`. After a network change: `calls.restartIce`. When `epoch`
// changes in `call.changed` (the router moved to another node after a failure), every transport,
// producer and consumer of the old router is gone: start again at step 1.
import { CALL_MEDIA_LIMITS as L } from '../lists.ts';
import { type CallSpec, exampleFriendId, OneOf, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const exampleCallId = '0192a1b2-c3d4-7e5f-8a9b-0000000ca111';
const exampleTransportId = '5f0c3a5e-8f8b-4a4e-9c53-6b1f2d1c0a01';
const exampleProducerId = '2b8d7c11-3f0e-4d0b-8b7e-9a6c5d4e3f02';
const exampleConsumerId = '7c6b5a49-1e2d-4c3b-9a8f-0e1d2c3b4a03';

const MediaKind = OneOf(['audio', 'video'] as const);
/** What a producer carries: the microphone, the camera, a shared screen, or the shared screen's sound. */
export const PRODUCER_SOURCES = ['mic', 'camera', 'screen', 'screenAudio'] as const;
const Source = OneOf(PRODUCER_SOURCES, {
  description: 'mic and screenAudio are audio; camera and screen are video (camera only in a video call)',
});

/** A codec's or header extension's `parameters` (fmtp): names to strings or numbers. */
const Parameters = T.Record(T.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), T.Union([T.String({ maxLength: 256 }), T.Number()]), {
  maxProperties: L.parameters,
  description: `Codec parameters (fmtp), at most ${L.parameters}`,
});
const RtcpFeedback = T.Object({
  type: T.String({ minLength: 1, maxLength: 32 }),
  parameter: T.Optional(T.String({ maxLength: 32 })),
});
const MimeType = T.String({ pattern: '^(audio|video)/[A-Za-z0-9._-]{1,32}$', description: 'audio/opus, video/VP8, video/H264…' });
const PayloadType = T.Integer({ minimum: 0, maximum: 127 });
const ClockRate = T.Integer({ minimum: 1, maximum: 192_000 });
const Ssrc = T.Integer({ minimum: 0, maximum: 4_294_967_295 });
const Priority = OneOf(['very-low', 'low', 'medium', 'high'] as const);
const ExtensionUri = T.String({ minLength: 1, maxLength: 200 });

/** RTP parameters of what a client sends (mediasoup's RtpParameters). */
const RtpParameters = T.Object(
  {
    mid: T.Optional(T.String({ maxLength: 16 })),
    codecs: T.Array(
      T.Object({
        mimeType: MimeType,
        payloadType: PayloadType,
        clockRate: ClockRate,
        channels: T.Optional(T.Integer({ minimum: 1, maximum: 8 })),
        parameters: T.Optional(Parameters),
        rtcpFeedback: T.Optional(T.Array(RtcpFeedback, { maxItems: L.rtcpFeedback })),
      }),
      { minItems: 1, maxItems: L.codecs },
    ),
    headerExtensions: T.Optional(
      T.Array(
        T.Object({
          uri: ExtensionUri,
          id: T.Integer({ minimum: 1, maximum: 255 }),
          encrypt: T.Optional(T.Boolean()),
          parameters: T.Optional(Parameters),
        }),
        { maxItems: L.headerExtensions },
      ),
    ),
    encodings: T.Optional(
      T.Array(
        T.Object({
          active: T.Optional(T.Boolean()),
          ssrc: T.Optional(Ssrc),
          rid: T.Optional(T.String({ pattern: '^[A-Za-z0-9_-]{1,16}$' })),
          codecPayloadType: T.Optional(PayloadType),
          rtx: T.Optional(T.Object({ ssrc: Ssrc })),
          dtx: T.Optional(T.Boolean()),
          scalabilityMode: T.Optional(T.String({ pattern: '^[A-Za-z0-9_]{1,16}$' })),
          scaleResolutionDownBy: T.Optional(T.Number({ minimum: 1, maximum: 64 })),
          maxBitrate: T.Optional(T.Integer({ minimum: 0, maximum: 100_000_000 })),
          maxFramerate: T.Optional(T.Number({ minimum: 0, maximum: 240 })),
          adaptivePtime: T.Optional(T.Boolean()),
          priority: T.Optional(Priority),
          networkPriority: T.Optional(Priority),
        }),
        { maxItems: L.encodings, description: `One per simulcast layer, at most ${L.encodings}` },
      ),
    ),
    rtcp: T.Optional(
      T.Object({
        cname: T.Optional(T.String({ maxLength: 64 })),
        reducedSize: T.Optional(T.Boolean()),
        mux: T.Optional(T.Boolean()),
      }),
    ),
    msid: T.Optional(T.String({ maxLength: 128 })),
  },
  { description: "mediasoup's RtpParameters, as mediasoup-client's `producer.rtpParameters` (or your stack's sender parameters)" },
);

/** RTP capabilities: a device's (what it can receive), or the router's (what it accepts). */
const RtpCapabilities = T.Object(
  {
    codecs: T.Optional(
      T.Array(
        T.Object({
          kind: MediaKind,
          mimeType: MimeType,
          preferredPayloadType: T.Optional(PayloadType),
          clockRate: ClockRate,
          channels: T.Optional(T.Integer({ minimum: 1, maximum: 8 })),
          parameters: T.Optional(Parameters),
          rtcpFeedback: T.Optional(T.Array(RtcpFeedback, { maxItems: L.rtcpFeedback })),
        }),
        { maxItems: L.codecs },
      ),
    ),
    headerExtensions: T.Optional(
      T.Array(
        T.Object({
          kind: MediaKind,
          uri: ExtensionUri,
          preferredId: T.Integer({ minimum: 1, maximum: 255 }),
          preferredEncrypt: T.Optional(T.Boolean()),
          direction: T.Optional(OneOf(['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const)),
        }),
        { maxItems: L.headerExtensions },
      ),
    ),
  },
  { description: "mediasoup's RtpCapabilities (mediasoup-client: `device.rtpCapabilities`)" },
);

const DtlsParameters = T.Object({
  role: T.Optional(OneOf(['auto', 'client', 'server'] as const)),
  fingerprints: T.Array(
    T.Object({
      algorithm: OneOf(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512'] as const),
      value: T.String({ pattern: '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){19,63}$', description: 'Colon-separated hex bytes' }),
    }),
    { minItems: 1, maxItems: L.fingerprints },
  ),
});

const IceParameters = T.Object({ usernameFragment: T.String(), password: T.String(), iceLite: T.Optional(T.Boolean()) });
const IceCandidate = T.Object({
  foundation: T.String(),
  priority: T.Integer(),
  ip: T.String({ description: 'The address (mediasoup 3.12 names it ip)' }),
  address: T.String({ description: 'The same address, as mediasoup-client 3.18 reads it' }),
  protocol: OneOf(['udp', 'tcp'] as const),
  port: T.Integer(),
  type: T.Literal('host'),
  tcpType: T.Optional(T.Literal('passive')),
});

const IceServer = T.Object({
  urls: T.Array(T.String()),
  username: T.Optional(T.String()),
  credential: T.Optional(
    T.String({ description: 'TURN: valid for a limited time (TURN_CREDENTIAL_TTL_SECONDS); ask calls.media again for new ones' }),
  ),
});

/** A producer of the call, as `call.changed` lists them. */
const CallProducer = T.Object({
  id: Uuid,
  userId: Uuid,
  kind: MediaKind,
  source: Source,
  paused: T.Boolean({ description: 'Muted or camera off: consuming it gives nothing until it resumes' }),
});

/** The call's media now: null while no router runs for it (before the first `calls.media`, and once ended). */
export const CallMediaState = T.Union(
  [
    T.Object({
      epoch: Uuid,
      producers: T.Array(CallProducer, { description: 'Every producer of the people in the call, theirs and yours' }),
    }),
    T.Null(),
  ],
  {
    description:
      'The router (`epoch`: when it changes, everything made on the old one is gone; negotiate again from `calls.media`) and what is being sent in the call',
  },
);

const CallTarget = { callId: Uuid };
const MEDIA_ERRORS = ['NOT_FOUND', 'NOT_IN_CALL', 'CALL_ENDED', 'CALLS_UNAVAILABLE'] as const;
const IN_CALL = 'You must be in the call from this socket (NOT_IN_CALL otherwise; NOT_FOUND for a call of a conversation you are not in).';

const exampleRtpParameters = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { minptime: 10, useinbandfec: 1 } }],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4 }],
  encodings: [{ ssrc: 1111, dtx: false }],
  rtcp: { cname: 'dYNqBaBkfd1Q', reducedSize: true },
};

export const callMediaCalls = {
  'calls.media': {
    description: `Step 1 of the media: what your WebRTC stack needs to talk to the call's router. It makes the router if the call has none yet (on the node that holds the call; CALLS_UNAVAILABLE when that node's SFU cannot). ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS],
    request: T.Object(CallTarget),
    response: T.Object({
      epoch: Uuid,
      rtpCapabilities: RtpCapabilities,
      iceServers: T.Array(IceServer, { description: 'As RTCPeerConnection takes them' }),
    }),
    example: {
      request: { callId: exampleCallId },
      response: {
        epoch: '3a1f6c8e-5d4b-4e2a-9f1c-7b6a5d4c3b2a',
        rtpCapabilities: { codecs: [{ kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: 100, clockRate: 48000, channels: 2 }] },
        iceServers: [
          {
            urls: ['turn:turn.example.org:3478?transport=udp'],
            username: '1796688000:0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
            credential: 'q2mB…',
          },
        ],
      },
    },
  },
  'calls.createTransport': {
    description: `Step 2: a WebRTC transport on the call's router, to send (\`send\`) or to receive (\`recv\`). One of each per participant: making another of the same direction closes the old one with everything on it (what a client does to start over). ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS],
    request: T.Object({ ...CallTarget, direction: OneOf(['send', 'recv'] as const) }),
    response: T.Object({
      transportId: Uuid,
      iceParameters: IceParameters,
      iceCandidates: T.Array(IceCandidate),
      dtlsParameters: T.Object({
        role: T.Optional(T.String()),
        fingerprints: T.Array(T.Object({ algorithm: T.String(), value: T.String() })),
      }),
    }),
    example: {
      request: { callId: exampleCallId, direction: 'send' },
      response: {
        transportId: exampleTransportId,
        iceParameters: { usernameFragment: 'a7b6c5d4e3f2', password: 'p9o8i7u6y5t4r3e2w1q0', iceLite: true },
        iceCandidates: [
          {
            foundation: 'udpcandidate',
            priority: 1076302079,
            ip: '203.0.113.7',
            address: '203.0.113.7',
            protocol: 'udp',
            port: 40012,
            type: 'host',
          },
        ],
        dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD:…' }] },
      },
    },
  },
  'calls.connectTransport': {
    description: `Your side of the DTLS handshake: your DTLS parameters for one of your transports (NOT_FOUND for a transport that is not yours, or gone). Once per transport (INVALID_INPUT for a second). ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS, 'INVALID_INPUT'],
    request: T.Object({ ...CallTarget, transportId: Uuid, dtlsParameters: DtlsParameters }),
    response: T.Object({}),
    example: {
      request: {
        callId: exampleCallId,
        transportId: exampleTransportId,
        dtlsParameters: {
          role: 'client',
          fingerprints: [
            {
              algorithm: 'sha-256',
              value: '82:5A:68:3D:36:C3:0A:DE:AF:E7:32:43:D2:88:83:57:AC:2D:65:E5:80:C4:B6:FB:AF:1A:A0:21:9F:6D:0C:AD',
            },
          ],
        },
      },
      response: {},
    },
  },
  'calls.restartIce': {
    description: `After a network change (new Wi-Fi, mobile data): new ICE parameters for one of your transports; give them to your stack's ICE restart. ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS],
    request: T.Object({ ...CallTarget, transportId: Uuid }),
    response: T.Object({ iceParameters: IceParameters }),
    example: {
      request: { callId: exampleCallId, transportId: exampleTransportId },
      response: { iceParameters: { usernameFragment: 'z9y8x7w6v5u4', password: 'm1n2b3v4c5x6z7l8k9j0', iceLite: true } },
    },
  },
  'calls.produce': {
    description: `Step 3: send a track on your send transport. \`source\` says what it is: one producer per source (a new one replaces yours of that source), at most ${L.producersPerParticipant}; \`camera\` only in a video call, and audio sources must be audio, video sources video (INVALID_INPUT). Parameters the router cannot take (a codec it does not have, broken encodings) are INVALID_INPUT. Everyone in the call sees it in \`media.producers\` of the next \`call.changed\`. Send at most ${L.maxIncomingBitrate / 1_000_000} Mbit/s in all: the SFU drops beyond. ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS, 'INVALID_INPUT'],
    request: T.Object({
      ...CallTarget,
      transportId: Uuid,
      kind: MediaKind,
      source: Source,
      rtpParameters: RtpParameters,
      paused: T.Optional(T.Boolean({ description: 'Start muted' })),
    }),
    response: T.Object({ producerId: Uuid }),
    example: {
      request: {
        callId: exampleCallId,
        transportId: exampleTransportId,
        kind: 'audio',
        source: 'mic',
        rtpParameters: exampleRtpParameters,
      },
      response: { producerId: exampleProducerId },
    },
  },
  'calls.setProducer': {
    description: `Mute or unmute (camera off or on) one of your producers: the others' consumers of it stop or go on, and \`call.changed\` shows it paused. NOT_FOUND for a producer that is not yours. ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS],
    request: T.Object({ ...CallTarget, producerId: Uuid, paused: T.Boolean() }),
    response: T.Object({}),
    example: { request: { callId: exampleCallId, producerId: exampleProducerId, paused: true }, response: {} },
  },
  'calls.closeProducer': {
    description: `Stop sending one of your tracks (end a screen share): its consumers close, and it leaves \`media.producers\`. Closing one already gone answers the same. ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS],
    request: T.Object({ ...CallTarget, producerId: Uuid }),
    response: T.Object({}),
    example: { request: { callId: exampleCallId, producerId: exampleProducerId }, response: {} },
  },
  'calls.consume': {
    description: `Step 4: receive someone else's producer on your recv transport. The consumer starts paused: resume it with \`calls.setConsumer\` once your side is ready. Consuming the same producer again replaces your consumer of it. Your own producer, or one your device cannot decode (\`rtpCapabilities\` from your device), is INVALID_INPUT; NOT_FOUND for a producer that is gone. \`type\` is simulcast when the producer sends layers: choose one with \`calls.setConsumer\`. ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS, 'INVALID_INPUT'],
    request: T.Object({ ...CallTarget, transportId: Uuid, producerId: Uuid, rtpCapabilities: RtpCapabilities }),
    response: T.Object({
      consumerId: Uuid,
      producerId: Uuid,
      kind: MediaKind,
      rtpParameters: RtpParameters,
      type: OneOf(['simple', 'simulcast', 'svc'] as const),
      producerPaused: T.Boolean(),
    }),
    example: {
      request: {
        callId: exampleCallId,
        transportId: exampleTransportId,
        producerId: exampleProducerId,
        rtpCapabilities: { codecs: [{ kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: 111, clockRate: 48000, channels: 2 }] },
      },
      response: {
        consumerId: exampleConsumerId,
        producerId: exampleProducerId,
        kind: 'audio',
        rtpParameters: exampleRtpParameters,
        type: 'simple',
        producerPaused: false,
      },
    },
  },
  'calls.setConsumer': {
    description: `Resume or pause one of your consumers (pause what is off screen to save bandwidth), and for a simulcast video the layer you want: \`spatialLayer\` 0 is the smallest; the SFU sends the best it can up to it. NOT_FOUND for a consumer that is not yours. ${IN_CALL}`,
    role: 'user',
    errors: [...MEDIA_ERRORS],
    request: T.Object({
      ...CallTarget,
      consumerId: Uuid,
      paused: T.Optional(T.Boolean()),
      spatialLayer: T.Optional(T.Integer({ minimum: 0, maximum: L.encodings - 1 })),
      temporalLayer: T.Optional(T.Integer({ minimum: 0, maximum: 2 })),
    }),
    response: T.Object({}),
    example: { request: { callId: exampleCallId, consumerId: exampleConsumerId, paused: false, spatialLayer: 1 }, response: {} },
  },
} satisfies Record<string, CallSpec>;

/** The signals of the `call:<id>` topic: who speaks, and a router lost with its node. */
export const callSpeakerEvent = {
  'call.mediaLost': {
    description:
      'The node holding the call’s router died: every transport, producer and consumer on it is gone. Stop using them; a `call.changed` with a new `media.epoch` follows once the call has a router on another node (or ask `calls.media` yourself: ACTOR_UNAVAILABLE while it moves, retry), then negotiate again. A signal: not replayed.',
    body: T.Object({ callId: Uuid }),
    example: { callId: exampleCallId },
    signal: true,
  },
  'call.speaker': {
    description: 'Who speaks now (the loudest for a while: highlight them); null when nobody does. A signal: not replayed.',
    body: T.Object({ callId: Uuid, userId: T.Union([Uuid, T.Null()]) }),
    example: { callId: exampleCallId, userId: exampleFriendId },
    signal: true,
  },
} as const;
