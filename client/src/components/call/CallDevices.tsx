// The device pickers of a call: which microphone and which camera (in a video call) it sends.
// The choice replaces the track being sent, without renegotiating. Device names are the browser's.
import { createResource, For, type JSX, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { call, callActions } from '../../state/call.ts';
import { Dialog } from '../Dialog.tsx';

export function CallDevices(props: { onClose: () => void }): JSX.Element {
  const [devices] = createResource(() => navigator.mediaDevices.enumerateDevices());
  const of = (kind: MediaDeviceKind) => (devices() ?? []).filter((each) => each.kind === kind && each.deviceId !== '');
  const current = (track: MediaStreamTrack | undefined) => track?.getSettings().deviceId ?? '';
  const name = (device: MediaDeviceInfo, index: number) => device.label || `${index + 1}`;
  return (
    <Dialog title={t('calls.devices')} onClose={props.onClose} testId="call-devices-dialog">
      <label class="field">
        <span>{t('calls.microphone')}</span>
        <select value={current(call.local.mic)} onChange={(event) => void callActions.switchMicrophone(event.currentTarget.value)}>
          <For each={of('audioinput')}>{(device, index) => <option value={device.deviceId}>{name(device, index())}</option>}</For>
        </select>
      </label>
      <Show when={call.current?.video}>
        <label class="field">
          <span>{t('calls.camera')}</span>
          <select value={current(call.local.camera)} onChange={(event) => void callActions.switchCamera(event.currentTarget.value)}>
            <For each={of('videoinput')}>{(device, index) => <option value={device.deviceId}>{name(device, index())}</option>}</For>
          </select>
        </label>
      </Show>
    </Dialog>
  );
}
