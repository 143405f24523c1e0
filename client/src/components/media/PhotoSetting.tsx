// One photo of a profile (the avatar or the cover): what it is now, a way to choose another (it
// uploads with its progress and is saved as soon as it is ready) and to remove it.
import { createSignal, type JSX, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import { kindOf, maxBytes, startUpload, type Upload } from '../../state/uploads.ts';
import { FilePicker } from './FilePicker.tsx';
import { MediaView } from './MediaView.tsx';
import type { Layout } from './sources.ts';
import { UploadStatus } from './UploadStatus.tsx';

export function PhotoSetting(props: {
  label: string;
  chooseLabel: string;
  removeLabel: string;
  current: string | null;
  layout: Layout;
  testId: string;
  /** Saves the new photo (null: none); a refusal is thrown. */
  save: (mediaId: string | null) => Promise<void>;
}): JSX.Element {
  const [upload, setUpload] = createSignal<Upload>();
  const [saving, setSaving] = createSignal(false);

  const apply = async (mediaId: string | null) => {
    setSaving(true);
    try {
      await props.save(mediaId);
      actions.toast(mediaId === null ? t('profile.photoRemoved') : t('profile.photoSaved'));
      return true;
    } catch (error) {
      actions.toast(errorText(error), 'error');
      return false;
    } finally {
      setSaving(false);
    }
  };

  const pick = async (files: File[]) => {
    const file = files[0];
    if (file === undefined) return;
    if (kindOf(file) !== 'image') return actions.toast(t('media.wrongType'), 'error');
    if (file.size > maxBytes('image')) return actions.toast(t('error.TOO_LARGE'), 'error');
    upload()?.cancel();
    const started = startUpload(file, 'image');
    setUpload(started);
    const media = await started.done;
    if (media === undefined || upload() !== started) return;
    if (await apply(media.id)) setUpload(undefined);
  };

  return (
    <div class={`photo-setting layout-${props.layout}`} data-testid={props.testId}>
      <strong>{props.label}</strong>
      <div class="photo-current">
        <Show when={props.current} fallback={<small class="hint">{t('profile.noPhoto')}</small>}>
          {(id) => <MediaView id={id()} layout={props.layout} alt={props.label} />}
        </Show>
      </div>
      <Show when={upload()}>
        {(current) => (
          <ul class="uploads">
            <UploadStatus upload={current()} compact onRemove={() => setUpload(undefined)} />
          </ul>
        )}
      </Show>
      <div class="actions">
        <FilePicker label={props.chooseLabel} accept="image/*" disabled={saving()} onFiles={(files) => void pick(files)} />
        <Show when={props.current !== null}>
          <button type="button" class="secondary" disabled={saving()} onClick={() => void apply(null)}>
            {props.removeLabel}
          </button>
        </Show>
      </div>
    </div>
  );
}
