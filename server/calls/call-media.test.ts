// A call's media signalling through the protocol, on two nodes and a real mediasoup worker: the
// router made at the first `calls.media` on the call's node, transports, producers (simulcast
// video), consumers, mute and close shown to everyone in `call.changed`, and what the attacker's
// cases get: a stranger, a callee still ringing, another device of the one in the call, someone
// else's transport, producer or consumer, malformed or oversized WebRTC parameters, a camera in a
// voice call, and media after the end. No packet flows here (no DTLS peer): the browser tests do that.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, join, type Member, memberPool } from '../../test/harness/social.ts';
import type { Frame } from '../../test/harness/ws.ts';
import type { RunningNode } from '../node.ts';
import { calls } from './schema.ts';

let env: AccountsEnv;
let nodeB: RunningNode;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('call-media', { NODE_ID: 'media-a' });
  pool = memberPool(env);
  nodeB = await env.peer('media-b');
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const id = () => crypto.randomUUID();
const fingerprint = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0')).join(':');
const dtlsParameters = { role: 'client' as const, fingerprints: [{ algorithm: 'sha-256' as const, value: fingerprint }] };

const micParameters = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { minptime: 10, useinbandfec: 1 } }],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
  encodings: [{ ssrc: 11_111_111 }],
  rtcp: { cname: 'ana-cname', reducedSize: true },
};
/** Three simulcast layers of VP8, by SSRC, with RTX. */
const cameraParameters = {
  mid: '1',
  codecs: [
    { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] },
    { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
  encodings: [
    { ssrc: 22_222_221, rtx: { ssrc: 22_222_231 }, scaleResolutionDownBy: 4, maxBitrate: 150_000 },
    { ssrc: 22_222_222, rtx: { ssrc: 22_222_232 }, scaleResolutionDownBy: 2, maxBitrate: 500_000 },
    { ssrc: 22_222_223, rtx: { ssrc: 22_222_233 }, scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
  ],
  rtcp: { cname: 'ana-cname', reducedSize: true },
};

type Producer = { id: string; userId: string; kind: string; source: string; paused: boolean };
type Media = { epoch: string; producers: Producer[] } | null;
const mediaOf = (body: Record<string, unknown>) => (body.call as { media: Media }).media;

/** Two friends in a one-to-one call (Ana on node A started it, Bruno on node B answered), Ana following it. */
async function inCall(video = true): Promise<{ ana: Member; bruno: Member; callId: string }> {
  const [ana, bruno] = await Promise.all([pool.member(env.node), pool.member(nodeB)]);
  await befriend(env.node, ana, bruno);
  const { conversationId } = await ana.call('chats.send', { to: bruno.id, clientId: id(), text: '¿Videollamada?' });
  const { id: callId } = await ana.call('calls.start', { conversationId, video, clientId: id() });
  await bruno.event('call.incoming', (body) => (body.call as { id: string }).id === callId);
  await bruno.call('calls.accept', { callId });
  await Promise.all([ana.follow(`call:${callId}`), bruno.follow(`call:${callId}`)]);
  return { ana, bruno, callId };
}

/** `who`'s send transport, connected, with their microphone and simulcast camera produced. */
async function sending(who: Member, callId: string) {
  await who.call('calls.media', { callId });
  const send = await who.call('calls.createTransport', { callId, direction: 'send' });
  await who.call('calls.connectTransport', { callId, transportId: send.transportId, dtlsParameters });
  const mic = await who.call('calls.produce', {
    callId,
    transportId: send.transportId,
    kind: 'audio',
    source: 'mic',
    rtpParameters: micParameters,
  });
  const camera = await who.call('calls.produce', {
    callId,
    transportId: send.transportId,
    kind: 'video',
    source: 'camera',
    rtpParameters: cameraParameters,
  });
  return { transportId: send.transportId, micId: mic.producerId, cameraId: camera.producerId };
}

describe('call media', () => {
  test('media: the first calls.media makes the router on the call’s node; producers reach everyone in call.changed; the other side consumes a simulcast camera, resumes it and picks a layer; mute and close are shown; the end closes it all', async () => {
    const { ana, bruno, callId } = await inCall();
    const made = ana.event('call.changed', (body) => mediaOf(body) !== null);
    const media = await ana.call('calls.media', { callId });
    expect(media.epoch).toMatch(/^[0-9a-f-]{36}$/);
    expect(media.rtpCapabilities.codecs?.map((codec) => codec.mimeType)).toEqual(
      expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']),
    );
    expect(Array.isArray(media.iceServers)).toBe(true);
    expect(mediaOf(await made)).toEqual({ epoch: media.epoch, producers: [] });
    // Asked again (from the other node too): the same router.
    expect((await bruno.call('calls.media', { callId })).epoch).toBe(media.epoch);
    const [row] = await env.node.platform.database.db.select({ placement: calls.placement }).from(calls).where(eq(calls.id, callId));
    expect(row?.placement).toEqual({ node: expect.stringMatching(/^media-[ab]$/), routerId: media.epoch });

    const send = await ana.call('calls.createTransport', { callId, direction: 'send' });
    expect(send.iceCandidates.length).toBeGreaterThan(0);
    expect(send.iceCandidates[0]).toMatchObject({ ip: '127.0.0.1', address: '127.0.0.1', type: 'host' });
    expect(send.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    expect(await ana.call('calls.connectTransport', { callId, transportId: send.transportId, dtlsParameters })).toEqual({});
    expect((await ana.refused('calls.connectTransport', { callId, transportId: send.transportId, dtlsParameters })).code).toBe(
      'INVALID_INPUT',
    );
    const restarted = await ana.call('calls.restartIce', { callId, transportId: send.transportId });
    expect(restarted.iceParameters.usernameFragment).not.toBe(send.iceParameters.usernameFragment);

    const shown = bruno.event('call.changed', (body) => (mediaOf(body)?.producers.length ?? 0) === 2);
    const mic = await ana.call('calls.produce', {
      callId,
      transportId: send.transportId,
      kind: 'audio',
      source: 'mic',
      rtpParameters: micParameters,
    });
    const camera = await ana.call('calls.produce', {
      callId,
      transportId: send.transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: cameraParameters,
    });
    expect(mediaOf(await shown)?.producers).toEqual([
      { id: mic.producerId, userId: ana.id, kind: 'audio', source: 'mic', paused: false },
      { id: camera.producerId, userId: ana.id, kind: 'video', source: 'camera', paused: false },
    ]);

    const recv = await bruno.call('calls.createTransport', { callId, direction: 'recv' });
    await bruno.call('calls.connectTransport', { callId, transportId: recv.transportId, dtlsParameters });
    const consumed = await bruno.call('calls.consume', {
      callId,
      transportId: recv.transportId,
      producerId: camera.producerId,
      rtpCapabilities: media.rtpCapabilities,
    });
    expect(consumed).toMatchObject({ producerId: camera.producerId, kind: 'video', type: 'simulcast', producerPaused: false });
    expect(await bruno.call('calls.setConsumer', { callId, consumerId: consumed.consumerId, paused: false, spatialLayer: 0 })).toEqual({});
    const heard = await bruno.call('calls.consume', {
      callId,
      transportId: recv.transportId,
      producerId: mic.producerId,
      rtpCapabilities: media.rtpCapabilities,
    });
    expect(heard).toMatchObject({ kind: 'audio', type: 'simple' });

    // Camera off, then the microphone stopped: everyone sees it.
    const off = bruno.event('call.changed', (body) => mediaOf(body)?.producers.find((p) => p.source === 'camera')?.paused === true);
    await ana.call('calls.setProducer', { callId, producerId: camera.producerId, paused: true });
    await off;

    // The camera button pressed in a loop: 30 changes at once, then one more, told together (a
    // call.changed at most every 100 ms, the last with the camera as it ended), not one event per
    // press for everyone. (Requests in flight together may reach the call in any order: the last
    // press is sent alone.)
    const from = bruno.socket.frames.length;
    const toldSince = () => bruno.socket.frames.slice(from).filter((frame) => frame.type === 'event' && frame.name === 'call.changed');
    const cameraPaused = (frame: Frame | undefined) =>
      frame === undefined
        ? undefined
        : mediaOf(frame.body as Record<string, unknown>)?.producers.find((p) => p.source === 'camera')?.paused;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => ana.call('calls.setProducer', { callId, producerId: camera.producerId, paused: i % 2 === 0 })),
    );
    await ana.call('calls.setProducer', { callId, producerId: camera.producerId, paused: false });
    await expect.poll(() => cameraPaused(toldSince().at(-1)), { timeout: 10_000 }).toBe(false);
    expect(toldSince().length).toBeGreaterThanOrEqual(1);
    expect(toldSince().length).toBeLessThan(31);
    await ana.call('calls.setProducer', { callId, producerId: camera.producerId, paused: true });
    await expect.poll(() => cameraPaused(toldSince().at(-1)), { timeout: 10_000 }).toBe(true);
    const stopped = bruno.event(
      'call.changed',
      (body) =>
        mediaOf(body)
          ?.producers.map((p) => p.source)
          .join() === 'camera',
    );
    await ana.call('calls.closeProducer', { callId, producerId: mic.producerId });
    expect(mediaOf(await stopped)?.producers).toEqual([
      { id: camera.producerId, userId: ana.id, kind: 'video', source: 'camera', paused: true },
    ]);
    // Its consumer went with it.
    expect((await bruno.refused('calls.setConsumer', { callId, consumerId: heard.consumerId, paused: false })).code).toBe('NOT_FOUND');

    // A new send transport replaces the old one and what was sent on it.
    await ana.call('calls.createTransport', { callId, direction: 'send' });
    await expect.poll(async () => (await bruno.call('calls.get', { callId })).media?.producers).toEqual([]);

    const ended = await bruno.call('calls.leave', { callId });
    expect(ended).toMatchObject({ state: 'ended', media: null });
    expect((await ana.refused('calls.media', { callId })).code).toBe('CALL_ENDED');
  });

  test('media: strangers, another device, and someone else’s transport, producer or consumer get typed refusals and change nothing', async () => {
    const { ana, bruno, callId } = await inCall();
    const anaSent = await sending(ana, callId);
    const stranger = await pool.member(env.node);
    expect((await stranger.refused('calls.media', { callId })).code).toBe('NOT_FOUND');
    expect(
      (
        await stranger.refused('calls.produce', {
          callId,
          transportId: anaSent.transportId,
          kind: 'audio',
          source: 'mic',
          rtpParameters: micParameters,
        })
      ).code,
    ).toBe('NOT_FOUND');
    // Bruno's other device is not the one in the call.
    const brunoPhone = pool.keep(await join(env, env.node, bruno.user));
    expect((await brunoPhone.refused('calls.media', { callId })).code).toBe('NOT_IN_CALL');

    const { media } = { media: await bruno.call('calls.media', { callId }) };
    const brunoRecv = await bruno.call('calls.createTransport', { callId, direction: 'recv' });
    // Ana's transport, producers and (once she has one) consumers are hers alone.
    expect((await bruno.refused('calls.connectTransport', { callId, transportId: anaSent.transportId, dtlsParameters })).code).toBe(
      'NOT_FOUND',
    );
    expect((await bruno.refused('calls.restartIce', { callId, transportId: anaSent.transportId })).code).toBe('NOT_FOUND');
    expect(
      (
        await bruno.refused('calls.produce', {
          callId,
          transportId: anaSent.transportId,
          kind: 'audio',
          source: 'mic',
          rtpParameters: micParameters,
        })
      ).code,
    ).toBe('NOT_FOUND');
    // Producing on a receive transport is not producing on a send one.
    expect(
      (
        await bruno.refused('calls.produce', {
          callId,
          transportId: brunoRecv.transportId,
          kind: 'audio',
          source: 'mic',
          rtpParameters: micParameters,
        })
      ).code,
    ).toBe('NOT_FOUND');
    expect((await bruno.refused('calls.setProducer', { callId, producerId: anaSent.cameraId, paused: true })).code).toBe('NOT_FOUND');
    expect(await bruno.call('calls.closeProducer', { callId, producerId: anaSent.micId })).toEqual({});
    const anaRecv = await ana.call('calls.createTransport', { callId, direction: 'recv' });
    const brunoSent = await sending(bruno, callId);
    const anaConsumer = await ana.call('calls.consume', {
      callId,
      transportId: anaRecv.transportId,
      producerId: brunoSent.micId,
      rtpCapabilities: media.rtpCapabilities,
    });
    expect((await bruno.refused('calls.setConsumer', { callId, consumerId: anaConsumer.consumerId, paused: true })).code).toBe('NOT_FOUND');
    // Consuming on someone else's transport, or one's own producer.
    expect(
      (
        await bruno.refused('calls.consume', {
          callId,
          transportId: anaRecv.transportId,
          producerId: anaSent.cameraId,
          rtpCapabilities: media.rtpCapabilities,
        })
      ).code,
    ).toBe('NOT_FOUND');
    expect(
      await bruno.refused('calls.consume', {
        callId,
        transportId: brunoRecv.transportId,
        producerId: brunoSent.micId,
        rtpCapabilities: media.rtpCapabilities,
      }),
    ).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'producerId' } });
    // A device that cannot decode VP8 or H264 cannot receive the camera.
    expect(
      await bruno.refused('calls.consume', {
        callId,
        transportId: brunoRecv.transportId,
        producerId: anaSent.cameraId,
        rtpCapabilities: { codecs: (media.rtpCapabilities.codecs ?? []).filter((codec) => codec.kind === 'audio') },
      }),
    ).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'rtpCapabilities' } });
    // Nothing of Ana's changed.
    const now = await ana.call('calls.get', { callId });
    expect(now.media?.producers.filter((p) => p.userId === ana.id).map((p) => [p.id, p.paused])).toEqual([
      [anaSent.micId, false],
      [anaSent.cameraId, false],
    ]);
  });

  test('media: malformed, oversized or unsupported WebRTC parameters are refused (INVALID_BODY, INVALID_INPUT); a camera in a voice call and a kind that is not its source’s are INVALID_INPUT', async () => {
    const { ana, callId } = await inCall(false);
    await ana.call('calls.media', { callId });
    const send = await ana.call('calls.createTransport', { callId, direction: 'send' });
    const produce = (body: Record<string, unknown>) =>
      ana.refused('calls.produce', {
        callId,
        transportId: send.transportId,
        kind: 'audio',
        source: 'mic',
        rtpParameters: micParameters,
        ...body,
      });
    // Extra fields at any depth, too many encodings, a broken fingerprint.
    expect((await produce({ rtpParameters: { ...micParameters, codecs: [{ ...micParameters.codecs[0], evil: true }] } })).code).toBe(
      'INVALID_BODY',
    );
    expect(
      (await produce({ rtpParameters: { ...micParameters, encodings: Array.from({ length: 5 }, (_, i) => ({ ssrc: i + 1 })) } })).code,
    ).toBe('INVALID_BODY');
    expect((await produce({ rtpParameters: { ...micParameters, codecs: [] } })).code).toBe('INVALID_BODY');
    expect(
      (
        await ana.refused('calls.connectTransport', {
          callId,
          transportId: send.transportId,
          dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'not hex' }] },
        })
      ).code,
    ).toBe('INVALID_BODY');
    // Well formed, but nothing the router forwards; a payload type the codec list does not hold.
    expect(
      await produce({ rtpParameters: { ...micParameters, codecs: [{ mimeType: 'audio/G722', payloadType: 9, clockRate: 8000 }] } }),
    ).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'rtpParameters' } });
    expect(await produce({ kind: 'video', source: 'camera', rtpParameters: cameraParameters })).toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'source' },
    });
    expect(await produce({ kind: 'video', source: 'mic' })).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'kind' } });
    // None of it made a producer; a screen share is fine in a voice call.
    expect((await ana.call('calls.get', { callId })).media?.producers).toEqual([]);
    const screen = await ana.call('calls.produce', {
      callId,
      transportId: send.transportId,
      kind: 'video',
      source: 'screen',
      rtpParameters: { ...cameraParameters, encodings: [cameraParameters.encodings[2] as (typeof cameraParameters.encodings)[number]] },
    });
    expect((await ana.call('calls.get', { callId })).media?.producers.map((p) => [p.id, p.source])).toEqual([
      [screen.producerId, 'screen'],
    ]);
  });

  test('media: a member still rung gets NOT_IN_CALL; leaving a group call takes the leaver’s producers out for those who stay', async () => {
    const [ana, bruno, carla] = await Promise.all([pool.member(env.node), pool.member(nodeB), pool.member(env.node)]);
    await befriend(env.node, ana, bruno);
    await befriend(env.node, ana, carla);
    const { id: conversationId } = await ana.call('chats.createGroup', { name: 'Paseo del domingo', userIds: [bruno.id, carla.id] });
    const { id: callId } = await ana.call('calls.start', { conversationId, video: true, clientId: id() });
    // Rung but not in it yet: no media.
    expect((await carla.refused('calls.media', { callId })).code).toBe('NOT_IN_CALL');
    await Promise.all([bruno.call('calls.join', { callId }), carla.call('calls.join', { callId })]);
    await carla.follow(`call:${callId}`);
    await sending(ana, callId);
    const bruno2 = await sending(bruno, callId);
    await carla.call('calls.media', { callId });
    expect((await carla.call('calls.get', { callId })).media?.producers.map((p) => p.userId)).toEqual([ana.id, ana.id, bruno.id, bruno.id]);
    const gone = carla.event(
      'call.changed',
      (body) =>
        mediaOf(body)
          ?.producers.map((p) => p.userId)
          .join() === [ana.id, ana.id].join(),
    );
    await bruno.call('calls.leave', { callId });
    await gone;
    expect((await carla.call('calls.get', { callId })).media?.producers.some((p) => p.id === bruno2.micId)).toBe(false);
  });
});
