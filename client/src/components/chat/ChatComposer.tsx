// The message composer: a text area (Enter sends, Shift+Enter starts a new line), what it answers
// or edits above it with a way to cancel, photos and videos to attach (uploaded as soon as they
// are picked; the message waits until they are ready), a voice note recorder (the note uploads and
// goes as a message of its own once ready), and the send button. Typing is reported to `onTyping`.
import { createEffect, createSignal, For, type JSX, on, Show } from 'solid-js';
import { CHAT_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { createUploadList, startUpload } from '../../state/uploads.ts';
import { FilePicker } from '../media/FilePicker.tsx';
import { UploadStatus } from '../media/UploadStatus.tsx';
import { canRecord, VoiceRecorder } from './VoiceRecorder.tsx';

export function ChatComposer(props: {
  onSend: (text: string, attachments: string[]) => void;
  onTyping?: () => void;
  /** "Replying to Ana" or "Editing your message", with its cancel button. */
  context?: { label: string; preview: string; cancelLabel: string; onCancel: () => void };
  /** The text to start from (the message being edited). */
  initial?: string;
  submitLabel?: string;
  disabled?: boolean;
}): JSX.Element {
  const [text, setText] = createSignal(props.initial ?? '');
  const files = createUploadList(CHAT_LIMITS.attachments);
  const voices = createUploadList(1);
  const editing = () => props.initial !== undefined;
  const [recording, setRecording] = createSignal(false);
  let area: HTMLTextAreaElement | undefined;
  createEffect(
    on(
      () => props.initial,
      (initial) => {
        setText(initial ?? '');
        area?.focus();
      },
      { defer: true },
    ),
  );
  createEffect(
    on(
      () => props.context?.label,
      () => area?.focus(),
      { defer: true },
    ),
  );
  const ready = () => (editing() ? [] : files.readyIds());
  const canSend = () => !props.disabled && !files.busy() && (text().trim() !== '' || ready().length > 0);
  const submit = () => {
    if (!canSend()) return;
    props.onSend(text().trim(), ready());
    setText('');
    files.clear();
  };
  const recorded = async (voice: Blob) => {
    const upload = startUpload(voice, 'voice');
    voices.push(upload);
    const media = await upload.done;
    if (media === undefined) return;
    voices.remove(upload);
    props.onSend('', [media.id]);
  };
  return (
    <form
      class="chat-composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Show when={props.context}>
        {(context) => (
          <div class="composer-context">
            <div>
              <strong>{context().label}</strong>
              <br />
              <small class="hint">{context().preview}</small>
            </div>
            <button type="button" class="link" aria-label={context().cancelLabel} onClick={() => context().onCancel()}>
              ×
            </button>
          </div>
        )}
      </Show>
      <Show when={files.uploads().length > 0 || voices.uploads().length > 0}>
        <ul class="uploads" aria-label={t('chats.attachments')}>
          <For each={[...files.uploads(), ...voices.uploads()]}>
            {(upload) => (
              <UploadStatus
                upload={upload}
                compact
                onRemove={() => (upload.kind === 'voice' ? voices.remove(upload) : files.remove(upload))}
              />
            )}
          </For>
        </ul>
      </Show>
      <div class="composer-row">
        <Show when={!editing() && !recording()}>
          <FilePicker
            label={t('chats.attach')}
            icon="📎"
            accept="image/*,video/*"
            multiple
            disabled={props.disabled || files.uploads().length >= CHAT_LIMITS.attachments}
            onFiles={(picked) => files.add(picked)}
          />
        </Show>
        <textarea
          ref={area}
          hidden={recording()}
          rows={1}
          maxLength={CHAT_LIMITS.messageChars}
          aria-label={t('chats.composer')}
          placeholder={t('chats.composer')}
          value={text()}
          disabled={props.disabled}
          onInput={(event) => {
            setText(event.currentTarget.value);
            if (event.currentTarget.value !== '') props.onTyping?.();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <Show when={!editing() && canRecord()}>
          <VoiceRecorder disabled={props.disabled} onRecording={setRecording} onRecorded={(voice) => void recorded(voice)} />
        </Show>
        <Show when={!recording()}>
          <button type="submit" disabled={!canSend()}>
            {props.submitLabel ?? t('chats.send')}
          </button>
        </Show>
      </div>
    </form>
  );
}
