// The call this device is in, over the app: full screen (a grid of 1–16 tiles, on a phone with one
// other person their video full and this device's camera floating in a corner; or the speaker
// view with a shared screen or whoever speaks large; the controls: mute, camera, switch camera,
// share screen, devices, hang up; the browser's picture in picture where it has one), or
// minimized to a small floating tile that stays while the user goes elsewhere in the app. The others' sound plays from audio elements kept in both, so minimizing
// never interrupts it. Loaded when the first call starts.
import {
  LayoutGrid,
  Maximize2,
  Mic,
  MicOff,
  Minimize2,
  MonitorOff,
  MonitorUp,
  PhoneOff,
  PictureInPicture2,
  Settings2,
  SquareUser,
  SwitchCamera,
  Video,
  VideoOff,
} from 'lucide-solid';
import { createEffect, createMemo, createResource, createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { call, callActions } from '../../state/call.ts';
import { actions, errorText, state } from '../../state/store.ts';
import { viewport } from '../../state/viewport.ts';
import { callDuration } from '../chat/format.ts';
import { IconButton } from '../ui/Button.tsx';
import { CallDevices } from './CallDevices.tsx';
import { CallTile } from './CallTile.tsx';
import { buildTiles, gridColumns, mainTile, type Tile } from './tiles.ts';

interface Person {
  name: string;
  avatarMediaId: string | null;
}

export default function CallView(): JSX.Element {
  const me = () => state.user?.id ?? '';
  const [chat] = createResource(
    () => call.current?.conversationId,
    (conversationId) => actions.call('chats.get', { conversationId }),
  );
  const people = createMemo(() => {
    const byId = new Map<string, Person>();
    for (const member of chat()?.members ?? [])
      byId.set(member.person.id, { name: member.person.displayName || member.person.username, avatarMediaId: member.person.avatarMediaId });
    const peer = chat()?.chat.peer;
    if (peer) byId.set(peer.id, { name: peer.displayName || peer.username, avatarMediaId: peer.avatarMediaId });
    return byId;
  });
  const person = (userId: string): Person =>
    userId === me() ? { name: t('calls.you'), avatarMediaId: null } : (people().get(userId) ?? { name: '…', avatarMediaId: null });
  const title = () => {
    const detail = chat()?.chat;
    if (detail === undefined) return '…';
    return detail.kind === 'group' ? (detail.name ?? '') : person(detail.peer?.id ?? '').name;
  };
  const tiles = createMemo(() => {
    const current = call.current;
    return current === undefined ? [] : buildTiles(current, me(), call.local, call.remote);
  });
  const remoteAudio = () => call.remote.filter((each) => each.kind === 'audio');
  return (
    <Show when={call.current}>
      <For each={remoteAudio()}>{(each) => <RemoteAudio track={each.track} />}</For>
      <Show when={!call.minimized} fallback={<MiniCall tiles={tiles()} person={person} />}>
        <FullCall tiles={tiles()} person={person} title={title()} />
      </Show>
    </Show>
  );
}

function RemoteAudio(props: { track: MediaStreamTrack }): JSX.Element {
  return (
    // biome-ignore lint/a11y/useMediaCaption: live call audio comes without captions
    <audio autoplay ref={(element) => createEffect(() => Object.assign(element, { srcObject: new MediaStream([props.track]) }))} />
  );
}

/** "Ringing…" until someone answers, then the time since. */
function CallStatus(): JSX.Element {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(timer));
  const text = () => {
    const current = call.current;
    if (current === undefined) return '';
    if (current.answeredAt === null) return t('calls.ringing');
    return callDuration(Math.max(0, Math.floor((now() - Date.parse(current.answeredAt)) / 1000)));
  };
  return (
    <span class="call-status hint" data-testid="call-status">
      {text()}
    </span>
  );
}

function FullCall(props: { tiles: Tile[]; person: (userId: string) => Person; title: string }): JSX.Element {
  let screen: HTMLElement | undefined;
  const [speakerView, setSpeakerView] = createSignal(false);
  const [devices, setDevices] = createSignal(false);
  onMount(() => screen?.focus());
  const columns = () => gridColumns(props.tiles.length, viewport.wide());
  const main = () => mainTile(props.tiles, call.speaker);
  const keys = () => props.tiles.map((each) => each.key);
  const stripKeys = () => keys().filter((key) => key !== main()?.key);
  // Tiles are kept by key, not by object: each change of the call makes new tile objects, and a
  // tile made again would start its video element over (a black frame until the next picture).
  const byKey = (key: string) => props.tiles.find((each) => each.key === key);
  const tile = (each: () => Tile, compact = false) => (
    <CallTile
      tile={each()}
      name={props.person(each().userId).name}
      avatarMediaId={props.person(each().userId).avatarMediaId}
      speaking={call.speaker === each().userId && each().source === 'camera'}
      quality={each().self ? undefined : call.quality[each().userId]}
      compact={compact}
    />
  );
  const keyed = (key: string, compact = false) => <Show when={byKey(key)}>{(each) => tile(each, compact)}</Show>;
  // A phone with one other person: they fill the screen, and this device's camera floats small
  // in a corner (picture in picture), instead of two halves.
  const selfKey = () => props.tiles.find((each) => each.self && each.source === 'camera')?.key;
  const floatingSelf = () => (!viewport.wide() && props.tiles.length === 2 ? selfKey() : undefined);
  // The browser's own picture in picture (where it has one) keeps the other's video on screen
  // outside the app and the browser.
  const pictureInPicture = async () => {
    // Someone else's: the main tile when it is theirs, else the first of theirs that plays.
    const video = [main(), ...props.tiles]
      .filter((each): each is Tile => each !== undefined && !each.self)
      .map((each) =>
        screen?.querySelector<HTMLVideoElement>(
          `[data-testid="call-tile"][data-user="${each.userId}"][data-source="${each.source}"] video`,
        ),
      )
      .find((each) => (each?.videoWidth ?? 0) > 0);
    if (!video) return;
    try {
      await video.requestPictureInPicture();
    } catch (error) {
      actions.toast(errorText(error), 'error');
    }
  };
  return (
    <section ref={screen} class="call-screen" aria-labelledby="call-title" tabindex="-1" data-testid="call-screen">
      <header class="call-head">
        <div class="call-title">
          <h2 id="call-title">
            <bdi>{props.title}</bdi>
          </h2>
          <CallStatus />
        </div>
        <IconButton
          icon={speakerView() ? LayoutGrid : SquareUser}
          label={speakerView() ? t('calls.gridView') : t('calls.speakerView')}
          onClick={() => setSpeakerView(!speakerView())}
          data-testid="call-layout"
        />
        <Show when={typeof document !== 'undefined' && document.pictureInPictureEnabled}>
          <IconButton
            icon={PictureInPicture2}
            label={t('calls.pictureInPicture')}
            onClick={() => void pictureInPicture()}
            data-testid="call-pip-browser"
          />
        </Show>
        <IconButton
          icon={Minimize2}
          label={t('calls.minimize')}
          onClick={() => callActions.setMinimized(true)}
          data-testid="call-minimize"
        />
      </header>
      <Show
        when={speakerView()}
        fallback={
          <Show
            when={floatingSelf()}
            fallback={
              <div class="call-grid" style={{ '--call-columns': String(columns()) }} data-count={props.tiles.length}>
                <For each={keys()}>{(key) => keyed(key)}</For>
              </div>
            }
          >
            {(own) => (
              <div class="call-grid call-grid-floating" data-count="2">
                <For each={keys().filter((key) => key !== own())}>{(key) => keyed(key)}</For>
                <div class="call-floating-self" data-testid="call-floating-self">
                  {keyed(own(), true)}
                </div>
              </div>
            )}
          </Show>
        }
      >
        <div class="call-speaker">
          <div class="call-main">
            <Show when={main()}>{(each) => tile(each)}</Show>
          </div>
          <div class="call-strip">
            <For each={stripKeys()}>{(key) => keyed(key, true)}</For>
          </div>
        </div>
      </Show>
      <CallControls onDevices={() => setDevices(true)} />
      <Show when={devices()}>
        <CallDevices onClose={() => setDevices(false)} />
      </Show>
    </section>
  );
}

function CallControls(props: { onDevices: () => void }): JSX.Element {
  const [cameras, setCameras] = createSignal<string[]>([]);
  const video = () => call.current?.video === true;
  onMount(() => {
    void navigator.mediaDevices
      ?.enumerateDevices()
      .then((found) => setCameras(found.filter((each) => each.kind === 'videoinput').map((each) => each.deviceId)))
      .catch((error: unknown) => actions.toast(errorText(error), 'error'));
  });
  const nextCamera = () => {
    const current = call.local.camera?.getSettings().deviceId;
    const list = cameras();
    return list[(list.indexOf(current ?? '') + 1) % list.length];
  };
  const hangUp = () => void callActions.hangUp().catch((error: unknown) => actions.toast(errorText(error), 'error'));
  return (
    <div class="call-controls" role="toolbar" aria-label={t('calls.controls')}>
      <IconButton
        icon={call.local.muted ? MicOff : Mic}
        label={call.local.muted ? t('calls.unmute') : t('calls.mute')}
        pressed={call.local.muted}
        onClick={() => void callActions.setMuted(!call.local.muted)}
        class="call-control"
        data-testid="call-mute"
      />
      <Show when={video()}>
        <IconButton
          icon={call.local.cameraOff ? VideoOff : Video}
          label={call.local.cameraOff ? t('calls.cameraOn') : t('calls.cameraOff')}
          pressed={call.local.cameraOff}
          onClick={() => void callActions.setCameraOff(!call.local.cameraOff)}
          class="call-control"
          data-testid="call-camera"
        />
        <Show when={cameras().length > 1}>
          <IconButton
            icon={SwitchCamera}
            label={t('calls.switchCamera')}
            onClick={() => {
              const next = nextCamera();
              if (next !== undefined) void callActions.switchCamera(next);
            }}
            class="call-control"
            data-testid="call-switch-camera"
          />
        </Show>
      </Show>
      <Show when={typeof navigator.mediaDevices?.getDisplayMedia === 'function'}>
        <IconButton
          icon={call.local.screen ? MonitorOff : MonitorUp}
          label={call.local.screen ? t('calls.stopShare') : t('calls.share')}
          pressed={call.local.screen !== undefined}
          onClick={() => void (call.local.screen ? callActions.stopScreen() : callActions.shareScreen())}
          class="call-control"
          data-testid="call-share"
        />
      </Show>
      <IconButton icon={Settings2} label={t('calls.devices')} onClick={props.onDevices} class="call-control" data-testid="call-devices" />
      <IconButton
        icon={PhoneOff}
        label={t('calls.hangUp')}
        variant="danger"
        onClick={hangUp}
        class="call-control"
        data-testid="call-hang-up"
      />
    </div>
  );
}

function MiniCall(props: { tiles: Tile[]; person: (userId: string) => Person }): JSX.Element {
  const shown = () => mainTile(props.tiles, call.speaker);
  return (
    <aside class="call-mini card" aria-label={t('calls.miniWindow')} data-testid="call-mini">
      <Show when={shown()}>
        {(each) => (
          <CallTile
            tile={each()}
            name={props.person(each().userId).name}
            avatarMediaId={props.person(each().userId).avatarMediaId}
            speaking={call.speaker === each().userId}
            quality={each().self ? undefined : call.quality[each().userId]}
            compact
          />
        )}
      </Show>
      <div class="call-mini-actions">
        <IconButton
          icon={call.local.muted ? MicOff : Mic}
          label={call.local.muted ? t('calls.unmute') : t('calls.mute')}
          pressed={call.local.muted}
          onClick={() => void callActions.setMuted(!call.local.muted)}
        />
        <IconButton icon={Maximize2} label={t('calls.expand')} onClick={() => callActions.setMinimized(false)} data-testid="call-expand" />
        <IconButton
          icon={PhoneOff}
          label={t('calls.hangUp')}
          variant="danger"
          onClick={() => void callActions.hangUp().catch((error: unknown) => actions.toast(errorText(error), 'error'))}
        />
      </div>
    </aside>
  );
}
