// Writing a post: text (counted up to 5,000), who may see it, photos and videos (uploaded as
// soon as they are picked, with their progress; the post waits until they are ready), a place, a poll (2 to 10 options, one or several choices, an optional closing time), posting as
// one of the user's pets, and sharing a post with a comment. A refusal that names a field is
// shown on that field.

import { createSignal, For, type JSX, Show } from 'solid-js';
import { VISIBILITIES } from '../../../protocol/lists.ts';
import { t } from '../i18n/index.ts';
import type { Post, SharedPost, Visibility } from '../state/posts.ts';
import { actions, errorField, errorText } from '../state/store.ts';
import { createUploadList } from '../state/uploads.ts';
import { CheckField, InputField, SelectField, TextAreaField } from './Field.tsx';
import { ErrorAlert } from './FormFooter.tsx';
import { FilePicker } from './media/FilePicker.tsx';
import { UploadStatus } from './media/UploadStatus.tsx';
import { PostAsField } from './PostAsField.tsx';

const MAX_TEXT = 5000;
const MAX_OPTIONS = 10;
const MAX_MEDIA = 10;
type Area = 'text' | 'visibility' | 'mediaIds' | 'place' | 'poll' | 'petId';
const AREAS: Area[] = ['text', 'visibility', 'mediaIds', 'place', 'poll', 'petId'];

/** Which part of the form a refusal names (`poll.options` and `/poll/options/1` are the poll). */
export function areaOf(field: string | undefined): Area | undefined {
  const head = field?.split(/[./]/)[0];
  return AREAS.find((area) => area === head);
}

/** The refusal of one field, under it (the field's `aria-describedby` names its id). */
export function FieldError(props: { id: string; text: string | undefined }): JSX.Element {
  return (
    <Show when={props.text}>
      <p id={props.id} class="error" role="alert">
        {props.text}
      </p>
    </Show>
  );
}

/** A post's text with its character counter and the refusal that names it (composer, edit). */
export function PostTextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error: string | undefined;
}): JSX.Element {
  return (
    <>
      <TextAreaField
        id={props.id}
        label={props.label}
        value={props.value}
        onInput={props.onInput}
        maxlength={MAX_TEXT}
        rows={3}
        invalid={props.error !== undefined}
        describedBy={`${props.id}-count ${props.id}-error`}
      />
      <small id={`${props.id}-count`} class="hint counter">
        {t('composer.count', { count: props.value.length, max: MAX_TEXT })}
      </small>
      <FieldError id={`${props.id}-error`} text={props.error} />
    </>
  );
}

/** Who may see a post. */
export function VisibilityField(props: { id: string; value: Visibility; onChange: (value: Visibility) => void; invalid: boolean }) {
  return (
    <SelectField
      id={props.id}
      label={t('composer.visibility')}
      value={props.value}
      onChange={(value) => props.onChange(value as Visibility)}
      invalid={props.invalid}
    >
      <For each={[...VISIBILITIES]}>{(each) => <option value={each}>{t(`visibility.${each}`)}</option>}</For>
    </SelectField>
  );
}

export function Composer(props: { shared?: Post | SharedPost; onPosted: (post: Post) => void }): JSX.Element {
  const [text, setText] = createSignal('');
  const [visibility, setVisibility] = createSignal<Visibility>('friends');
  const media = createUploadList(MAX_MEDIA);
  const [place, setPlace] = createSignal('');
  const [petId, setPetId] = createSignal('');
  const [withPoll, setWithPoll] = createSignal(false);
  const [options, setOptions] = createSignal(['', '']);
  const [multiple, setMultiple] = createSignal(false);
  const [closesAt, setClosesAt] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<{ area: Area | undefined; text: string } | undefined>();
  const prefix = props.shared === undefined ? 'composer' : 'share';
  const errorOn = (area: Area) => (failure()?.area === area ? failure()?.text : undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (media.busy()) {
      setFailure({ area: 'mediaIds', text: t('media.waitUploads') });
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const ids = media.readyIds();
    try {
      const post = await actions.call('posts.create', {
        visibility: visibility(),
        ...(text().trim() === '' ? {} : { text: text() }),
        ...(ids.length === 0 ? {} : { mediaIds: ids }),
        ...(place().trim() === '' ? {} : { place: { name: place().trim() } }),
        ...(petId() === '' ? {} : { petId: petId() }),
        ...(props.shared === undefined ? {} : { sharedPostId: props.shared.id }),
        ...(withPoll()
          ? {
              poll: {
                options: options().map((option) => option.trim()),
                multiple: multiple(),
                ...(closesAt() === '' ? {} : { closesAt: new Date(closesAt()).toISOString() }),
              },
            }
          : {}),
      });
      setText('');
      media.clear();
      setPlace('');
      setWithPoll(false);
      setOptions(['', '']);
      setClosesAt('');
      props.onPosted(post);
    } catch (error) {
      setFailure({ area: areaOf(errorField(error)), text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="composer" onSubmit={submit} aria-label={props.shared === undefined ? t('composer.title') : t('composer.shareTitle')}>
      <PostTextField
        id={`${prefix}-text`}
        label={props.shared === undefined ? t('composer.text') : t('composer.shareText')}
        value={text()}
        onInput={setText}
        error={errorOn('text')}
      />
      <div class="pair">
        <VisibilityField
          id={`${prefix}-visibility`}
          value={visibility()}
          onChange={setVisibility}
          invalid={errorOn('visibility') !== undefined}
        />
        <PostAsField id={`${prefix}-pet`} value={petId()} onChange={setPetId} invalid={errorOn('petId') !== undefined} />
      </div>
      <FieldError id={`${prefix}-pet-error`} text={errorOn('petId') ?? errorOn('visibility')} />
      <Show when={props.shared === undefined}>
        <div class="attachments-row">
          <FilePicker
            label={t('composer.attach')}
            accept="image/*,video/*"
            multiple
            disabled={media.uploads().length >= MAX_MEDIA}
            onFiles={(files) => media.add(files)}
          />
        </div>
        <Show when={media.uploads().length > 0}>
          <ul class="uploads" aria-label={t('post.media')}>
            <For each={media.uploads()}>{(upload) => <UploadStatus upload={upload} onRemove={() => media.remove(upload)} />}</For>
          </ul>
        </Show>
        <FieldError id={`${prefix}-media-error`} text={errorOn('mediaIds')} />
        <details class="more-options">
          <summary>{t('composer.more')}</summary>
          <InputField
            id={`${prefix}-place`}
            label={t('composer.place')}
            value={place()}
            onInput={setPlace}
            maxlength={100}
            invalid={errorOn('place') !== undefined}
            aria-describedby={`${prefix}-place-error`}
          />
          <FieldError id={`${prefix}-place-error`} text={errorOn('place')} />
        </details>
        <CheckField label={t('composer.addPoll')} checked={withPoll()} onChange={setWithPoll} />
        <Show when={withPoll()}>
          <fieldset class={errorOn('poll') === undefined ? 'poll-editor' : 'poll-editor invalid'} aria-describedby={`${prefix}-poll-error`}>
            <legend>{t('composer.poll')}</legend>
            <For each={options()}>
              {(option, index) => (
                <div class="row">
                  <InputField
                    id={`${prefix}-option-${index()}`}
                    label={t('composer.option', { number: index() + 1 })}
                    value={option}
                    maxlength={80}
                    required
                    onInput={(value) => setOptions((all) => all.map((each, at) => (at === index() ? value : each)))}
                  />
                  <Show when={options().length > 2}>
                    <button
                      type="button"
                      class="link"
                      aria-label={t('composer.removeOption', { number: index() + 1 })}
                      onClick={() => setOptions((all) => all.filter((_, at) => at !== index()))}
                    >
                      ×
                    </button>
                  </Show>
                </div>
              )}
            </For>
            <Show when={options().length < MAX_OPTIONS}>
              <button type="button" class="secondary" onClick={() => setOptions((all) => [...all, ''])}>
                {t('composer.addOption')}
              </button>
            </Show>
            <CheckField label={t('composer.multiple')} checked={multiple()} onChange={setMultiple} />
            <InputField
              id={`${prefix}-closes`}
              type="datetime-local"
              label={t('composer.closesAt')}
              value={closesAt()}
              onInput={setClosesAt}
            />
            <FieldError id={`${prefix}-poll-error`} text={errorOn('poll')} />
          </fieldset>
        </Show>
      </Show>
      <Show when={failure()?.area === undefined}>
        <ErrorAlert text={failure()?.text} />
      </Show>
      <button type="submit" disabled={busy()}>
        {busy() ? t('form.working') : props.shared === undefined ? t('composer.submit') : t('composer.shareSubmit')}
      </button>
    </form>
  );
}
