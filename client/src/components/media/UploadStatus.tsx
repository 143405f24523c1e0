// One upload as forms show it: the file, a progress bar (bytes sent, then processing), what it
// became once ready, why it failed, and a button to cancel or remove it.
import { type JSX, Match, Show, Switch } from 'solid-js';
import { locale, t } from '../../i18n/index.ts';
import type { Upload } from '../../state/uploads.ts';
import { MediaView } from './MediaView.tsx';

/** "1.2 MB" in the user's language. */
function megabytes(bytes: number): string {
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(bytes / 1_000_000);
}

function uploadText(upload: Upload): string {
  const state = upload.state;
  switch (state.phase) {
    case 'sending':
      return t('media.uploading', { sent: megabytes(state.sent), total: megabytes(state.total) });
    case 'processing':
      return t('media.processing', { percent: state.progress });
    case 'ready':
      return t('media.ready');
    case 'failed':
      return t('media.failed', { reason: state.error ?? '' });
    default:
      return t('media.cancelled');
  }
}

export function UploadStatus(props: { upload: Upload; onRemove: () => void; compact?: boolean }): JSX.Element {
  const state = () => props.upload.state;
  const percent = () => (state().phase === 'sending' ? Math.round((100 * state().sent) / Math.max(1, state().total)) : state().progress);
  const kindLabel = () => t(`media.${props.upload.kind === 'reel' ? 'video' : props.upload.kind}`);
  return (
    <li class={`upload ${state().phase}`} data-testid="upload" data-phase={state().phase}>
      <Show
        when={state().phase === 'ready' && state().media}
        fallback={
          <span class="upload-kind" aria-hidden="true">
            {props.upload.kind === 'image' ? '🖼️' : props.upload.kind === 'video' ? '🎬' : '🎤'}
          </span>
        }
      >
        {(media) => <MediaView id={media().id} layout="thumb" alt={props.upload.name || kindLabel()} />}
      </Show>
      <div class="upload-info">
        <Show when={!props.compact}>
          <small class="upload-name">{props.upload.name || kindLabel()}</small>
        </Show>
        <Switch>
          <Match when={state().phase === 'sending' || state().phase === 'processing'}>
            <progress max={100} value={percent()} aria-label={`${kindLabel()}: ${uploadText(props.upload)}`} />
            <small class="hint" role="status" data-testid="upload-status">
              {uploadText(props.upload)}
            </small>
          </Match>
          <Match when={state().phase === 'failed'}>
            <small class="error" role="alert" data-testid="upload-status">
              {uploadText(props.upload)}
            </small>
          </Match>
          <Match when={state().phase === 'ready'}>
            <small class="hint" data-testid="upload-status">
              {uploadText(props.upload)}
            </small>
          </Match>
        </Switch>
      </div>
      <button
        type="button"
        class="link"
        aria-label={
          state().phase === 'sending' || state().phase === 'processing'
            ? t('media.cancel', { name: props.upload.name || kindLabel() })
            : t('media.remove', { name: props.upload.name || kindLabel() })
        }
        onClick={() => {
          props.upload.cancel();
          props.onRemove();
        }}
      >
        ×
      </button>
    </li>
  );
}
