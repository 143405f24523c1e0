// The call store's lifecycle against fake signalling and a fake media session: rings on
// call.incoming and stops on call.cancelled, starts and follows a call, hands each call.changed's
// media to the session, highlights the speaker, reads the call again after a reset, and leaves
// (media closed, topic left) on hang-up, at the call's end, or when this device is no longer in it.
import { createRoot } from 'solid-js';
import { expect, test } from 'vitest';
import type { EventFrame, SignalFrame, TopicState } from '../../../protocol/client.ts';
import { type Call, createCallStore } from './call.ts';

const me = '0192a1b2-c3d4-7e5f-8a9b-00000000a000';
const bruno = '0192a1b2-c3d4-7e5f-8a9b-00000000b000';
const callId = '0192a1b2-c3d4-7e5f-8a9b-0000000ca111';

const baseCall: Call = {
  id: callId,
  conversationId: '0192a1b2-c3d4-7e5f-8a9b-00000000c4a7',
  kind: 'direct',
  video: true,
  state: 'ringing',
  endReason: null,
  startedBy: me,
  participants: [
    { userId: me, state: 'joined', joinedAt: '2026-11-24T18:00:00.000Z', leftAt: null },
    { userId: bruno, state: 'ringing', joinedAt: null, leftAt: null },
  ],
  createdAt: '2026-11-24T18:00:00.000Z',
  answeredAt: null,
  endedAt: null,
  durationSeconds: null,
  media: null,
};

/** Bruno calls: this user is rung. */
const ringingMe: Call = {
  ...baseCall,
  startedBy: bruno,
  participants: [
    { userId: bruno, state: 'joined', joinedAt: '2026-11-24T18:00:00.000Z', leftAt: null },
    { userId: me, state: 'ringing', joinedAt: null, leftAt: null },
  ],
};

function setUp(answers: Record<string, (body: Record<string, unknown>) => unknown> = {}) {
  const calls: { op: string; body: Record<string, unknown> }[] = [];
  const log: string[] = [];
  let userListener: ((event: EventFrame) => void) | undefined;
  let userJoined: (() => void) | undefined;
  let topic:
    | {
        name: string;
        onEvent: (event: EventFrame) => void;
        onReset: () => void;
        onState: (state: TopicState) => void;
        onSignal: (signal: SignalFrame) => void;
      }
    | undefined;
  const synced: unknown[] = [];
  const ended: string[] = [];
  const [state, actions] = createRoot(() =>
    createCallStore({
      call: (async (op: string, body: Record<string, unknown>) => {
        calls.push({ op, body });
        const answer = answers[op];
        return answer === undefined ? structuredClone(baseCall) : answer(body);
      }) as never,
      me: () => me,
      subscribe(name, onEvent, options) {
        topic = { name, onEvent, ...options };
        log.push(`follow ${name}`);
        return () => log.push(`unfollow ${name}`);
      },
      onUserEvent(listener) {
        userListener = listener;
        return () => undefined;
      },
      onUserJoined(listener) {
        userJoined = listener;
        return () => undefined;
      },
      media: async () => ({
        start: async () => void log.push('media start'),
        sync: async (media) => void synced.push(media),
        renegotiate: async () => void log.push('media renegotiate'),
        lost: () => void log.push('media lost'),
        close: () => void log.push('media close'),
        setMuted: async () => undefined,
        setCameraOff: async () => undefined,
        switchMicrophone: async () => undefined,
        switchCamera: async () => undefined,
        shareScreen: async () => undefined,
        stopScreen: async () => undefined,
        setSize: async () => undefined,
        quality: async () => ({}),
      }),
      onError: (error) => log.push(`error ${String(error)}`),
      onEnded: (call) => ended.push(call.endReason ?? ''),
      qualityEveryMs: 0,
    }),
  );
  const event = (name: string, body: unknown) => ({ type: 'event', topic: '', name, body, epoch: 'x', seq: 1 }) as unknown as EventFrame;
  return {
    state,
    actions,
    calls,
    log,
    synced,
    ended,
    user: (name: string, body: unknown) => userListener?.(event(name, body)),
    /** The user's topic joined (connected, or back after a reconnect). */
    userJoined: () => userJoined?.(),
    changed: (call: Call) => topic?.onEvent(event('call.changed', { call })),
    signal: (name: string, body: unknown) => topic?.onSignal({ type: 'signal', topic: topic.name, name, body } as unknown as SignalFrame),
    joined: () => topic?.onState('joined'),
    reset: () => topic?.onReset(),
    /** The socket dropped and came back: the topic is joined again (its events replayed, or reset). */
    reconnect: (withReset: boolean) => {
      topic?.onState('joining');
      if (withReset) topic?.onReset();
      topic?.onState('joined');
    },
  };
}

test('call store: call.incoming rings (once per call), call.cancelled stops it, an ended call does not ring', () => {
  const s = setUp();
  s.user('call.incoming', { call: baseCall });
  s.user('call.incoming', { call: baseCall });
  expect(s.state.incoming.map((each) => each.id)).toEqual([callId]);
  s.user('call.cancelled', { callId, reason: 'missed' });
  expect(s.state.incoming).toEqual([]);
  s.user('call.incoming', { call: { ...baseCall, state: 'ended' } });
  expect(s.state.incoming).toEqual([]);
});

test('call store: start calls with a new clientId, follows call:<id>, starts the media and gives it each call.changed’s media', async () => {
  const s = setUp();
  await s.actions.start(baseCall.conversationId, true);
  const started = s.calls.find((each) => each.op === 'calls.start');
  expect(started?.body).toMatchObject({ conversationId: baseCall.conversationId, video: true });
  expect(started?.body.clientId).toMatch(/^[0-9a-f-]{36}$/);
  expect(s.log).toEqual([`follow call:${callId}`, 'media start']);
  expect(s.state.current?.id).toBe(callId);
  const media = { epoch: 'e1', producers: [] };
  s.changed({ ...baseCall, state: 'active', media });
  expect(s.state.current?.state).toBe('active');
  expect(s.synced.at(-1)).toEqual(media);
  s.signal('call.speaker', { callId, userId: bruno });
  expect(s.state.speaker).toBe(bruno);
});

test('call store: accept stops the ring here and enters the call; decline stops it and tells the server', async () => {
  const s = setUp();
  s.user('call.incoming', { call: baseCall });
  await s.actions.decline(callId);
  expect(s.state.incoming).toEqual([]);
  expect(s.calls.map((each) => each.op)).toEqual(['calls.decline']);
  s.user('call.incoming', { call: baseCall });
  await s.actions.accept(callId);
  expect(s.state.incoming).toEqual([]);
  expect(s.state.current?.id).toBe(callId);
});

test('call store: the call’s end closes the media and leaves the topic', async () => {
  const s = setUp();
  await s.actions.start(baseCall.conversationId, true);
  s.changed({ ...baseCall, state: 'ended', endReason: 'declined' });
  expect(s.state.current).toBeUndefined();
  expect(s.ended).toEqual(['declined']);
  expect(s.log.slice(-2)).toEqual(['media close', `unfollow call:${callId}`]);
});

test('call store: a call.changed without this user joined (left elsewhere, removed) leaves locally', async () => {
  const s = setUp();
  await s.actions.start(baseCall.conversationId, true);
  const participants = baseCall.participants.map((each) => (each.userId === me ? { ...each, state: 'left' as const } : each));
  s.changed({ ...baseCall, state: 'active', participants });
  expect(s.state.current).toBeUndefined();
  expect(s.log).toContain('media close');
});

test('call store: each time the user’s topic is joined, the newest calls are read: one still ringing the user rings here, one that stopped ringing stops', async () => {
  const other = '0192a1b2-0000-7000-8000-00000000c0de';
  const stopped = { ...baseCall, id: other, state: 'ended' as const, endReason: 'missed' as const };
  let history = [ringingMe, stopped];
  const s = setUp({ 'calls.history': () => ({ items: history, more: false }) });
  s.user('call.incoming', { call: { ...baseCall, id: other, state: 'ringing' } });
  expect(s.state.incoming.map((each) => each.id)).toEqual([other]);
  s.userJoined();
  await expect.poll(() => s.state.incoming.map((each) => each.id)).toEqual([callId]);
  expect(s.calls.at(-1)).toEqual({ op: 'calls.history', body: { limit: 5 } });
  // Answered on another device meanwhile: no longer rings this user, so it stops here too.
  const answered = ringingMe.participants.map((each) => (each.userId === me ? { ...each, state: 'joined' as const } : each));
  history = [{ ...ringingMe, state: 'active', participants: answered }];
  s.userJoined();
  await expect.poll(() => s.state.incoming).toEqual([]);
});

test('call store: a call cancelled while the history is being read does not ring again when the stale answer arrives', async () => {
  let answer: (value: unknown) => void = () => undefined;
  const s = setUp({ 'calls.history': () => new Promise((resolve) => (answer = resolve)) });
  s.userJoined();
  s.user('call.cancelled', { callId, reason: 'ended' });
  answer({ items: [ringingMe], more: false });
  await Bun.sleep(10);
  expect(s.state.incoming).toEqual([]);
});

test('call store: a reconnect refused ANSWERED_ELSEWHERE (another device of this person took the place) leaves the call here', async () => {
  const s = setUp({
    'calls.accept': () => {
      throw Object.assign(new Error('elsewhere'), { code: 'ANSWERED_ELSEWHERE' });
    },
  });
  await s.actions.start(baseCall.conversationId, true);
  s.joined();
  s.reconnect(false);
  await expect.poll(() => s.state.current).toBeUndefined();
  expect(s.log).toContain('media close');
  expect(s.log.some((line) => line.startsWith('error'))).toBe(true);
});

test('call store: a reconnect refused RATE_LIMITED (a link that keeps dropping) takes the place back once allowed', async () => {
  let refusals = 1;
  const s = setUp({
    'calls.accept': () => {
      if (refusals-- > 0) throw Object.assign(new Error('later'), { code: 'RATE_LIMITED', details: { retryAfterMs: 20 } });
      return { ...baseCall, state: 'active' };
    },
  });
  await s.actions.start(baseCall.conversationId, true);
  s.joined();
  s.reconnect(false);
  await expect.poll(() => s.log).toContain('media renegotiate');
  expect(s.calls.filter((each) => each.op === 'calls.accept')).toHaveLength(2);
  expect(s.state.current?.state).toBe('active');
});

test('call store: hang-up leaves locally and tells the server; after a reconnect (events replayed or reset) the device takes its place back and negotiates again, once', async () => {
  const s = setUp({ 'calls.accept': () => ({ ...baseCall, state: 'active' }) });
  await s.actions.start(baseCall.conversationId, true);
  s.joined();
  expect(s.calls.map((each) => each.op)).toEqual(['calls.start']);
  const syncedBefore = s.synced.length;
  s.reconnect(false);
  await expect.poll(() => s.state.current?.state).toBe('active');
  expect(s.calls.at(-1)).toEqual({ op: 'calls.accept', body: { callId } });
  await expect.poll(() => s.log).toContain('media renegotiate');
  // Negotiated once: taking the place back does not also sync the media.
  expect(s.synced.length).toBe(syncedBefore);
  s.reconnect(true);
  await expect.poll(() => s.log.filter((line) => line === 'media renegotiate').length).toBe(2);
  expect(s.calls.map((each) => each.op)).toEqual(['calls.start', 'calls.accept', 'calls.accept']);
  // The router's node died: the media stops restarting ICE until the new epoch comes.
  s.signal('call.mediaLost', { callId });
  expect(s.log).toContain('media lost');
  await s.actions.hangUp();
  expect(s.state.current).toBeUndefined();
  expect(s.calls.at(-1)).toEqual({ op: 'calls.leave', body: { callId } });
  expect(s.log).toContain('media close');
});

test('call store: a reconnect after the call ended, or past the reconnect time, leaves locally and says why', async () => {
  const s = setUp({
    'calls.accept': () => {
      throw Object.assign(new Error('over'), { code: 'CALL_ENDED' });
    },
    'calls.get': () => ({
      ...baseCall,
      state: 'ended',
      endReason: 'missed',
      participants: [{ ...baseCall.participants[0], state: 'left' }],
    }),
  });
  await s.actions.start(baseCall.conversationId, true);
  s.joined();
  s.reconnect(false);
  await expect.poll(() => s.state.current).toBeUndefined();
  expect(s.ended).toEqual(['missed']);
  expect(s.log).toContain('media close');
});

test('call store: a reset while joined (events lost, no reconnect) reads the call again and leaves if it is over; no place is taken back', async () => {
  const over = { ...baseCall, state: 'ended' as const, endReason: 'completed' as const };
  const s = setUp({ 'calls.get': () => over });
  await s.actions.start(baseCall.conversationId, true);
  s.joined();
  s.reset();
  await expect.poll(() => s.state.current).toBeUndefined();
  expect(s.calls.map((each) => each.op)).toEqual(['calls.start', 'calls.get']);
  expect(s.log).toContain('media close');
});

test('call store: a call that is over when started (the callee busy) is not entered, and the caller is told why', async () => {
  const s = setUp({ 'calls.start': () => ({ ...baseCall, state: 'ended', endReason: 'busy' }) });
  await s.actions.start(baseCall.conversationId, false);
  expect(s.state.current).toBeUndefined();
  expect(s.log).toEqual([]);
  expect(s.ended).toEqual(['busy']);
});
