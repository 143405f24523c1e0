// The message composer: a text area (Enter sends, Shift+Enter starts a new line), what it answers
// or edits above it with a way to cancel, photos and videos to attach (uploaded as soon as they
// are picked; the message waits until they are ready), a voice note recorder (the note uploads and
// goes as a message of its own once ready), and the send button. Typing is reported to `onTyping`.
// In an end-to-end encrypted conversation (`seal`), each file is encrypted here first and goes up
// as a `blob`; its key goes with the message. A send refused (`onSend` false) keeps the draft.
import { Paperclip, X } from 'lucide-solid';
import { createEffect, createSignal, For, type JSX, on, Show } from 'solid-js';
import type { SealedFile } from '../../../../protocol/e2ee.ts';
import { CHAT_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import { createUploadList, kindOf, maxBytes, startUpload, type Upload } from '../../state/uploads.ts';
import { FilePicker } from '../media/FilePicker.tsx';
import { UploadStatus } from '../media/UploadStatus.tsx';
import { IconButton } from '../ui/Button.tsx';
import { canRecord, VoiceRecorder } from './VoiceRecorder.tsx';

type Sealed = { blob: Blob; file: Omit<SealedFile, 'mediaId'> };

export function ChatComposer(props: {
  /** False when the message could not go (the draft stays). `files`: the keys of sealed attachments. */
  onSend: (text: string, attachments: string[], files: SealedFile[]) => boolean;
  /** Encrypts a file on this device (encrypted conversations). */
  seal?: (file: Blob) => Promise<Sealed>;
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
  /** The keys of the sealed uploads, by upload. */
  const sealedOf = new Map<Upload, Omit<SealedFile, 'mediaId'>>();
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
  const sealedFiles = (): SealedFile[] =>
    editing()
      ? []
      : files.uploads().flatMap((upload) => {
          const meta = sealedOf.get(upload);
          const media = upload.state.media;
          return meta !== undefined && media !== undefined && upload.state.phase === 'ready' ? [{ ...meta, mediaId: media.id }] : [];
        });
  const canSend = () => !props.disabled && !files.busy() && (text().trim() !== '' || ready().length > 0);
  const submit = () => {
    if (!canSend()) return;
    if (!props.onSend(text().trim(), ready(), sealedFiles())) return;
    setText('');
    sealedOf.clear();
    files.clear();
  };
  /** Encrypts the file here and starts its upload as a blob; undefined (with a toast) when it cannot go. */
  const sealAndUpload = async (file: Blob, seal: NonNullable<typeof props.seal>): Promise<Upload | undefined> => {
    try {
      const sealed = await seal(file);
      if (sealed.blob.size > maxBytes('blob')) {
        actions.toast(t('media.tooLarge', { size: `${maxBytes('blob') / 1024 / 1024} MB` }), 'error');
        return undefined;
      }
      const upload = startUpload(sealed.blob, 'blob');
      sealedOf.set(upload, sealed.file);
      return upload;
    } catch (error) {
      actions.toast(errorText(error), 'error');
      return undefined;
    }
  };
  const picked = async (chosen: readonly File[]) => {
    const seal = props.seal;
    if (seal === undefined) {
      files.add(chosen);
      return;
    }
    const room = CHAT_LIMITS.attachments - files.uploads().length;
    if (chosen.length > room) actions.toast(t('media.tooMany', { count: CHAT_LIMITS.attachments }), 'error');
    for (const file of chosen.slice(0, Math.max(0, room))) {
      if (kindOf(file) === undefined) {
        actions.toast(t('media.wrongType'), 'error');
        continue;
      }
      const upload = await sealAndUpload(file, seal);
      if (upload !== undefined) files.push(upload);
    }
  };
  const recorded = async (voice: Blob) => {
    const seal = props.seal;
    const upload = seal === undefined ? startUpload(voice, 'voice') : await sealAndUpload(voice, seal);
    if (upload === undefined) return;
    voices.push(upload);
    const media = await upload.done;
    if (media === undefined) return;
    const meta = sealedOf.get(upload);
    // Refused (the keys are not ready): the note stays in the list, to be removed by hand.
    if (!props.onSend('', [media.id], meta === undefined ? [] : [{ ...meta, mediaId: media.id }])) return;
    sealedOf.delete(upload);
    voices.remove(upload);
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
            <IconButton icon={X} label={context().cancelLabel} onClick={() => context().onCancel()} />
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
            icon={Paperclip}
            accept="image/*,video/*"
            multiple
            disabled={props.disabled || files.uploads().length >= CHAT_LIMITS.attachments}
            onFiles={(chosen) => void picked(chosen)}
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
