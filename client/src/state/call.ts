// Calls on this device: the calls ringing the user (`call.incoming` on `user:<id>`, gone at
// `call.cancelled` or when answered here; read from the call history whenever the user's topic
// is joined, for a device opened from a call's push or back after a gap), and the one call this
// device is in. While in a call it follows `call:<id>` (`call.changed` carries the whole call,
// `call.speaker` who speaks; a reset reads it again with `calls.get`; joined again after a
// reconnect, the device takes its place in the call back and negotiates its media again), hands
// `media` to the media session (callMedia.ts, loaded when the first call starts:
// mediasoup-client stays out of the first screen's bundle), reads each
// participant's connection quality every few seconds, and leaves when the user hangs up, when the
// call ends, or when it no longer counts this device among those in it. One call at a time.
import { createRoot } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import type { EventFrame, SignalFrame, TopicState } from '../../../protocol/client.ts';
import { t } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages/en.ts';
import type { CallMedia, Capture, LocalMedia, MediaOptions, Quality, RemoteTrack, Signalling } from './callMedia.ts';
import { actions, state as app, errorText } from './store.ts';

export type Call = CallResponse<'calls.get'>;

interface Session {
  sync: CallMedia['sync'];
  renegotiate: CallMedia['renegotiate'];
  lost: CallMedia['lost'];
  setMuted: CallMedia['setMuted'];
  setCameraOff: CallMedia['setCameraOff'];
  switchMicrophone: CallMedia['switchMicrophone'];
  switchCamera: CallMedia['switchCamera'];
  shareScreen: CallMedia['shareScreen'];
  stopScreen: CallMedia['stopScreen'];
  setSize: CallMedia['setSize'];
  quality: CallMedia['quality'];
  start: CallMedia['start'];
  close: CallMedia['close'];
}

export interface CallDeps extends Signalling {
  me(): string | undefined;
  subscribe(
    topic: string,
    onEvent: (event: EventFrame) => void,
    options: { onReset: () => void; onState: (state: TopicState) => void; onSignal: (signal: SignalFrame) => void },
  ): () => void;
  onUserEvent(listener: (event: EventFrame) => void): () => void;
  /** Runs `listener` each time the user's topic is joined: on connecting and after each reconnect. */
  onUserJoined(listener: () => void): () => void;
  media(options: Omit<MediaOptions, 'capture' | 'device'>): Promise<Session>;
  onError(error: unknown): void;
  /** The call this device was in ended (declined, missed, busy…): say so. */
  onEnded(call: Call): void;
  /** How often the quality indicators are read (ms); 0 never. */
  qualityEveryMs: number;
}

export interface CallState {
  /** The call this device is in. */
  current: Call | undefined;
  /** Calls ringing the user, on every device of theirs. */
  incoming: Call[];
  /** Who speaks now in the current call. */
  speaker: string | null;
  local: LocalMedia;
  remote: RemoteTrack[];
  quality: Record<string, Quality>;
  /** Shown as a small floating tile while the user is elsewhere in the app. */
  minimized: boolean;
  /** Busy starting, answering or joining. */
  pending: boolean;
}

/** What the caller is told when a call ends before anyone talked. */
const ENDED_TEXT: Partial<Record<NonNullable<Call['endReason']>, MessageKey>> = {
  busy: 'calls.endedBusy',
  declined: 'calls.endedDeclined',
  missed: 'calls.endedMissed',
};

/** How many of the newest calls a device reads when it connects, for those still ringing it. */
const CATCH_UP_CALLS = 5;

const NO_LOCAL: LocalMedia = { mic: undefined, camera: undefined, screen: undefined, muted: false, cameraOff: false };

/** Whether the user takes part in `call` now. */
function joined(call: Call, userId: string | undefined): boolean {
  return call.state !== 'ended' && call.participants.some((each) => each.userId === userId && each.state === 'joined');
}

export function createCallStore(deps: CallDeps) {
  const [state, setState] = createStore<CallState>({
    current: undefined,
    incoming: [],
    speaker: null,
    local: { ...NO_LOCAL },
    remote: [],
    quality: {},
    minimized: false,
    pending: false,
  });
  let session: Session | undefined;
  let unfollow: (() => void) | undefined;
  let qualityTimer: ReturnType<typeof setInterval> | undefined;

  function ring(call: Call) {
    if (call.state === 'ended' || state.current?.id === call.id) return;
    setState('incoming', (calls) => [...calls.filter((each) => each.id !== call.id), call]);
  }
  function stopRinging(callId: string) {
    setState('incoming', (calls) => calls.filter((each) => each.id !== callId));
  }

  /** Calls that stopped ringing this user (the newest): a history read before it came never rings them again. */
  const cancelled = new Set<string>();
  deps.onUserEvent((event) => {
    if (event.name === 'call.incoming') ring((event.body as { call: Call }).call);
    if (event.name === 'call.cancelled') {
      const { callId } = event.body as { callId: string };
      cancelled.add(callId);
      if (cancelled.size > CATCH_UP_CALLS * 20) cancelled.delete(cancelled.values().next().value as string);
      stopRinging(callId);
    }
  });
  deps.onUserJoined(() => void catchUp());

  /**
   * The calls ringing the user now, read from the newest of their call history: what a device
   * opened from a call's push, or back after a gap, did not hear as `call.incoming`. Calls that
   * stopped ringing meanwhile stop ringing here.
   */
  async function catchUp() {
    let calls: Call[];
    try {
      calls = (await deps.call('calls.history', { limit: CATCH_UP_CALLS })).items;
    } catch (error) {
      deps.onError(error);
      return;
    }
    const me = deps.me();
    const ringsMe = (call: Call) =>
      call.state !== 'ended' && call.participants.some((each) => each.userId === me && each.state === 'ringing');
    for (const call of calls) {
      if (ringsMe(call) && !cancelled.has(call.id)) ring(call);
      else stopRinging(call.id);
    }
  }

  /** The call as the server sent it: kept, handed to the media, or left once over for this device. */
  function apply(call: Call) {
    if (state.current?.id !== call.id) return;
    if (!joined(call, deps.me())) {
      finish();
      if (call.state === 'ended') deps.onEnded(call);
      return;
    }
    setState('current', reconcile(call));
    void session?.sync(call.media);
  }

  async function enter(call: Call) {
    stopRinging(call.id);
    // Already over when answered (a one-to-one to someone busy ends at once): nothing to enter.
    if (!joined(call, deps.me())) {
      if (call.state === 'ended') deps.onEnded(call);
      return;
    }
    if (state.current !== undefined && state.current.id !== call.id) finish();
    if (state.current?.id === call.id) {
      apply(call);
      return;
    }
    setState({ current: call, speaker: null, remote: [], quality: {}, minimized: false, local: { ...NO_LOCAL } });
    // Joined again after the first time: the socket reconnected, and this device is a new socket
    // to the server, which must take the device's place back. A reset while joined (the call's
    // events could not be replayed) reads the call again; one while joining again is covered
    // by taking the place back.
    let topicState: TopicState = 'joining';
    let followed = false;
    unfollow = deps.subscribe(`call:${call.id}`, (event) => event.name === 'call.changed' && apply((event.body as { call: Call }).call), {
      onState: (now) => {
        topicState = now;
        if (now !== 'joined') return;
        if (followed) void reclaim(call.id);
        followed = true;
      },
      onReset: () => {
        if (topicState === 'joined') void refresh(call.id);
      },
      onSignal: (signal) => {
        if (signal.name === 'call.speaker') setState('speaker', (signal.body as { userId: string | null }).userId);
        if (signal.name === 'call.mediaLost') session?.lost();
      },
    });
    const me = deps.me() ?? '';
    const media = await deps.media({
      callId: call.id,
      video: call.video,
      me,
      signalling: deps,
      onChange: (snapshot) => {
        if (state.current?.id !== call.id) return;
        setState({ local: snapshot.local, remote: snapshot.remote });
      },
      onError: (error) => deps.onError(error),
    });
    if (state.current?.id !== call.id) {
      media.close();
      return;
    }
    session = media;
    await media.start();
    await media.sync(state.current.media);
    if (deps.qualityEveryMs > 0)
      qualityTimer = setInterval(() => {
        void media.quality().then(
          (quality) => state.current?.id === call.id && setState('quality', reconcile(quality)),
          (error: unknown) => deps.onError(error),
        );
      }, deps.qualityEveryMs);
  }

  /** Reads the call again (its events were lost): kept, or left if it no longer has this device. */
  async function refresh(callId: string) {
    try {
      apply(await deps.call('calls.get', { callId }));
    } catch (error) {
      deps.onError(error);
    }
  }

  /**
   * After a reconnect: takes this device's place in the call back from the new socket (the server
   * keeps it `CALL_RECONNECT_SECONDS` for that), then negotiates the media again; a call that
   * ended meanwhile, or no longer has this person, is left.
   */
  async function reclaim(callId: string) {
    const current = state.current;
    if (current?.id !== callId) return;
    try {
      const again = await deps.call(current.kind === 'group' ? 'calls.join' : 'calls.accept', { callId });
      // Kept without syncing the media: it is negotiated again once, just below.
      if (!joined(again, deps.me())) {
        apply(again);
        return;
      }
      setState('current', reconcile(again));
      await session?.renegotiate();
    } catch (error) {
      // Another device of this person took the place meanwhile: this one is out of the call.
      const refusal = error as { code?: string; details?: { retryAfterMs?: number } };
      if (refusal.code === 'ANSWERED_ELSEWHERE') {
        finish();
        deps.onError(error);
        return;
      }
      // Too many joins of this call a minute (a link that keeps dropping): tried again when allowed.
      if (refusal.code === 'RATE_LIMITED') {
        setTimeout(() => void reclaim(callId), refusal.details?.retryAfterMs ?? 1000);
        return;
      }
      // Refused (the call ended, or the reconnect time passed): as the call is now, left if not in it.
      let now: Call;
      try {
        now = await deps.call('calls.get', { callId });
      } catch (readError) {
        finish();
        deps.onError(readError);
        return;
      }
      if (!joined(now, deps.me())) {
        finish();
        if (now.state === 'ended') deps.onEnded(now);
        return;
      }
      deps.onError(error);
    }
  }

  /** Leaves locally: media closed, topic left; the server is told by `hangUp`. */
  function finish() {
    clearInterval(qualityTimer);
    qualityTimer = undefined;
    session?.close();
    session = undefined;
    unfollow?.();
    unfollow = undefined;
    setState({ current: undefined, speaker: null, remote: [], quality: {}, minimized: false, local: { ...NO_LOCAL } });
  }

  async function busy<T>(work: () => Promise<T>): Promise<T> {
    setState('pending', true);
    try {
      return await work();
    } finally {
      setState('pending', false);
    }
  }

  const callActions = {
    /** Calls the conversation's other members; refusals (CALL_IN_PROGRESS…) are thrown to the screen. */
    start(conversationId: string, video: boolean): Promise<void> {
      return busy(async () => {
        const call = await deps.call('calls.start', { conversationId, video, clientId: crypto.randomUUID() });
        await enter(call);
      });
    },
    accept(callId: string): Promise<void> {
      return busy(async () => enter(await deps.call('calls.accept', { callId })));
    },
    join(callId: string): Promise<void> {
      return busy(async () => enter(await deps.call('calls.join', { callId })));
    },
    async decline(callId: string): Promise<void> {
      stopRinging(callId);
      await deps.call('calls.decline', { callId });
    },
    /** Hangs up: leaves locally at once, then tells the server. */
    async hangUp(): Promise<void> {
      const call = state.current;
      if (call === undefined) return;
      finish();
      await deps.call('calls.leave', { callId: call.id });
    },
    setMuted: (muted: boolean) => session?.setMuted(muted),
    setCameraOff: (off: boolean) => session?.setCameraOff(off),
    switchMicrophone: (deviceId: string) => session?.switchMicrophone(deviceId),
    switchCamera: (deviceId: string) => session?.switchCamera(deviceId),
    shareScreen: () => session?.shareScreen(),
    stopScreen: () => session?.stopScreen(),
    setSize: (producerId: string, pixels: number) => session?.setSize(producerId, pixels),
    setMinimized(minimized: boolean) {
      setState('minimized', minimized);
    },
  };
  return [state, callActions] as const;
}

/** The browser's devices: the microphone with echo cancellation, the camera at 720p, any screen. */
const browserCapture: Capture = {
  async microphone(deviceId) {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, ...(deviceId === undefined ? {} : { deviceId: { exact: deviceId } }) },
    });
    return stream.getAudioTracks()[0] as MediaStreamTrack;
  },
  async camera(deviceId) {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, ...(deviceId === undefined ? {} : { deviceId: { exact: deviceId } }) },
    });
    return stream.getVideoTracks()[0] as MediaStreamTrack;
  },
  // The browser offers to share the sound too (a tab's, or the system's where it can).
  async screen() {
    // Not the system's own sound where it would be offered: it holds the others' voices, which
    // would go back to them as an echo.
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: true,
      audio: true,
      systemAudio: 'exclude',
    } as DisplayMediaStreamOptions);
    return { video: stream.getVideoTracks()[0] as MediaStreamTrack, audio: stream.getAudioTracks()[0] };
  },
};

export const [call, callActions] = createRoot(() =>
  createCallStore({
    call: (op, body) => actions.call(op, body),
    me: () => app.user?.id,
    subscribe(topic, onEvent, options) {
      const handle = actions.socket()?.subscribe(topic, onEvent, options);
      return () => void handle?.unsubscribe();
    },
    onUserEvent: (listener) => actions.onUserEvent(listener),
    onUserJoined: (listener) => actions.onUserJoined(listener),
    async media(options) {
      const { CallMedia } = await import('./callMedia.ts');
      return new CallMedia({ ...options, capture: browserCapture });
    },
    onError: (error) => actions.toast(errorText(error), 'error'),
    onEnded(ended) {
      const key = ENDED_TEXT[ended.endReason ?? 'completed'];
      if (key !== undefined) actions.toast(t(key));
    },
    qualityEveryMs: 3000,
  }),
);

// A tab closed or reloaded in a call hangs up on its way out (best effort: the frame may not
// leave in time), rather than leaving its person `joined` with nobody there.
if (typeof window !== 'undefined')
  window.addEventListener('pagehide', () => {
    if (call.current !== undefined) void callActions.hangUp().catch((error: unknown) => actions.toast(errorText(error), 'error'));
  });
