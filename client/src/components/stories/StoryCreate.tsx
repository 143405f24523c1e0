// Posting a story: a photo or a video from the device (uploaded as soon as it is picked, the way
// the post composer does, and shown once ready), text on it (each with a colour, placed by
// dragging it on the preview or with its two sliders), who sees it (friends by default), an
// optional hashtag, an optional poll or question sticker, posting as one of the user's pets and
// linking one of their posts (StoryPostPicker). A video longer than a story plays
// is refused by the server (STORY_TOO_LONG); the user may then have it cut into 60 s clips, one
// story each, by asking again with `split` (the first answer stored nothing, so the same
// clientId is used).
import { Camera } from 'lucide-solid';
import { createSignal, For, type JSX, lazy, Show } from 'solid-js';
import { ProtocolError } from '../../../../protocol/client.ts';
import { STORY_AUDIENCES, STORY_COLORS, STORY_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import type { Post } from '../../state/posts.ts';
import { actions, errorText } from '../../state/store.ts';
import type { Story } from '../../state/stories.ts';
import { createUploadList } from '../../state/uploads.ts';
import { Dialog } from '../Dialog.tsx';
import { InputField, SelectField } from '../Field.tsx';
import { ErrorAlert } from '../FormFooter.tsx';
import { FilePicker } from '../media/FilePicker.tsx';
import { MediaView } from '../media/MediaView.tsx';
import { clock } from '../media/sources.ts';
import { UploadStatus } from '../media/UploadStatus.tsx';
import { PostAsField } from '../PostAsField.tsx';
import { Button } from '../ui/Button.tsx';
import { OverlayText } from './StoryOverlays.tsx';
import { StoryPostPicker } from './StoryPostPicker.tsx';

const StoryCamera = lazy(() => import('./StoryCamera.tsx'));

type Audience = (typeof STORY_AUDIENCES)[number];
type Color = (typeof STORY_COLORS)[number];
interface Overlay {
  text: string;
  x: number;
  y: number;
  color: Color;
}
type StickerKind = 'none' | 'poll' | 'question';

const clamp = (value: number) => Math.min(1, Math.max(0, value));

function OverlayEditor(props: { index: number; overlay: Overlay; onChange: (overlay: Overlay) => void; onRemove: () => void }) {
  const id = () => `story-overlay-${props.index}`;
  const percent = (value: number) => Math.round(value * 100);
  return (
    <fieldset class="story-overlay-editor" data-testid="story-overlay-editor">
      <legend>{t('stories.textNumber', { number: props.index + 1 })}</legend>
      <InputField
        id={`${id()}-text`}
        label={t('stories.text')}
        value={props.overlay.text}
        maxlength={STORY_LIMITS.overlayChars}
        dir="auto"
        onInput={(text) => props.onChange({ ...props.overlay, text })}
      />
      <div class="story-colors" role="radiogroup" aria-label={t('stories.color')}>
        <For each={[...STORY_COLORS]}>
          {(color) => (
            <label class={`story-swatch color-${color}`} title={t(`stories.color.${color}`)}>
              <input
                type="radio"
                class="visually-hidden"
                name={`${id()}-color`}
                checked={props.overlay.color === color}
                onChange={() => props.onChange({ ...props.overlay, color })}
              />
              <span class="visually-hidden">{t(`stories.color.${color}`)}</span>
            </label>
          )}
        </For>
      </div>
      <div class="pair">
        <label class="story-slider">
          {t('stories.across')}
          <input
            type="range"
            dir="ltr"
            min={0}
            max={100}
            value={percent(props.overlay.x)}
            onInput={(event) => props.onChange({ ...props.overlay, x: Number(event.currentTarget.value) / 100 })}
          />
        </label>
        <label class="story-slider">
          {t('stories.down')}
          <input
            type="range"
            dir="ltr"
            min={0}
            max={100}
            value={percent(props.overlay.y)}
            onInput={(event) => props.onChange({ ...props.overlay, y: Number(event.currentTarget.value) / 100 })}
          />
        </label>
      </div>
      <Button variant="ghost" size="sm" onClick={() => props.onRemove()}>
        {t('stories.removeText')}
      </Button>
    </fieldset>
  );
}

export default function StoryCreate(props: { onClose: () => void; onShared: (stories: Story[]) => void }): JSX.Element {
  const media = createUploadList(1);
  /** The camera is open (StoryCamera.tsx): what it takes is uploaded as a picked file is. */
  const [camera, setCamera] = createSignal(false);
  const [overlays, setOverlays] = createSignal<Overlay[]>([]);
  const [audience, setAudience] = createSignal<Audience>('friends');
  const [hashtag, setHashtag] = createSignal('');
  const [sticker, setSticker] = createSignal<StickerKind>('none');
  const [prompt, setPrompt] = createSignal('');
  const [options, setOptions] = createSignal(['', '']);
  const [petId, setPetId] = createSignal('');
  const [linked, setLinked] = createSignal<Post | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [tooLong, setTooLong] = createSignal<number | undefined>();
  const clientId = crypto.randomUUID();
  const upload = () => media.uploads()[0];
  const ready = () => (upload()?.state.phase === 'ready' ? upload()?.state.media : undefined);
  let stage: HTMLDivElement | undefined;

  const change = (at: number, overlay: Overlay) => setOverlays((all) => all.map((each, index) => (index === at ? overlay : each)));

  /** Dragging a text over the preview moves it with the finger or the mouse. */
  const drag = (at: number) => (event: PointerEvent) => {
    if (stage === undefined) return;
    const element = event.currentTarget as HTMLElement;
    element.setPointerCapture?.(event.pointerId);
    const move = (moved: PointerEvent) => {
      const area = (stage as HTMLDivElement).getBoundingClientRect();
      const overlay = overlays()[at];
      if (overlay === undefined || area.width === 0) return;
      change(at, { ...overlay, x: clamp((moved.clientX - area.left) / area.width), y: clamp((moved.clientY - area.top) / area.height) });
    };
    const stop = () => {
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', stop);
      element.removeEventListener('pointercancel', stop);
    };
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', stop);
    element.addEventListener('pointercancel', stop);
  };

  const share = async (split: boolean) => {
    const item = ready();
    if (item === undefined) {
      setFailure(t(upload() === undefined ? 'stories.pickFirst' : 'media.waitUploads'));
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const texts = overlays()
      .map((overlay) => ({ ...overlay, text: overlay.text.trim() }))
      .filter((overlay) => overlay.text !== '');
    try {
      const { stories } = await actions.call('stories.create', {
        mediaId: item.id,
        audience: audience(),
        clientId,
        ...(texts.length === 0 ? {} : { overlays: texts }),
        ...(hashtag().trim() === '' ? {} : { hashtag: hashtag().trim() }),
        ...(sticker() === 'poll'
          ? { sticker: { kind: 'poll' as const, question: prompt().trim(), options: options().map((each) => each.trim()) } }
          : {}),
        ...(sticker() === 'question' ? { sticker: { kind: 'question' as const, prompt: prompt().trim() } } : {}),
        ...(petId() === '' ? {} : { asPetId: petId() }),
        ...(linked() === undefined ? {} : { linkPostId: linked()?.id }),
        ...(split ? { split: true } : {}),
      });
      actions.toast(t('stories.shared', { count: stories.length }));
      props.onShared(stories);
    } catch (error) {
      if (!split && error instanceof ProtocolError && error.code === 'STORY_TOO_LONG') {
        setTooLong(Number((error.details as { durationMs?: number } | undefined)?.durationMs ?? STORY_LIMITS.videoMs + 1000));
      } else {
        setTooLong(undefined);
        setFailure(errorText(error));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('stories.createTitle')} onClose={props.onClose} testId="story-create">
      <form
        class="story-create"
        onSubmit={(event) => {
          event.preventDefault();
          void share(false);
        }}
      >
        <Show
          when={upload()}
          fallback={
            <Show
              when={camera()}
              fallback={
                <div class="story-pick">
                  <FilePicker label={t('stories.pick')} accept="image/*,video/*" onFiles={(files) => media.add(files)} />
                  <Button variant="secondary" icon={Camera} onClick={() => setCamera(true)}>
                    {t('stories.camera')}
                  </Button>
                </div>
              }
            >
              <StoryCamera
                onFile={(file) => {
                  setCamera(false);
                  media.add([file]);
                }}
                onClose={() => setCamera(false)}
              />
            </Show>
          }
        >
          {(current) => (
            <Show
              when={ready()}
              fallback={<ul class="uploads">{<UploadStatus upload={current()} onRemove={() => media.remove(current())} />}</ul>}
            >
              {(item) => (
                <div class="story-preview" ref={stage} data-testid="story-preview">
                  <MediaView id={item().id} layout="full" alt={t('stories.previewAlt')} />
                  <For each={overlays()}>
                    {(overlay, at) => (
                      <Show when={overlay.text.trim() !== ''}>
                        <span class="story-drag" onPointerDown={drag(at())}>
                          <OverlayText overlay={overlay} mentions={[]} />
                        </span>
                      </Show>
                    )}
                  </For>
                </div>
              )}
            </Show>
          )}
        </Show>
        <Show when={upload()}>
          <div class="row">
            <Button variant="ghost" size="sm" onClick={() => media.clear()}>
              {t('stories.another')}
            </Button>
            <Show when={overlays().length < STORY_LIMITS.overlays}>
              <Button
                variant="secondary"
                size="sm"
                onClick={() => setOverlays((all) => [...all, { text: '', x: 0.5, y: 0.3 + 0.1 * (all.length % 5), color: 'white' }])}
              >
                {t('stories.addText')}
              </Button>
            </Show>
          </div>
        </Show>
        <For each={overlays()}>
          {(overlay, at) => (
            <OverlayEditor
              index={at()}
              overlay={overlay}
              onChange={(changed) => change(at(), changed)}
              onRemove={() => setOverlays((all) => all.filter((_, index) => index !== at()))}
            />
          )}
        </For>
        <div class="pair">
          <SelectField
            id="story-audience"
            label={t('stories.audience')}
            value={audience()}
            onChange={(value) => setAudience(value as Audience)}
          >
            <For each={[...STORY_AUDIENCES]}>{(each) => <option value={each}>{t(`stories.audience.${each}`)}</option>}</For>
          </SelectField>
          <SelectField
            id="story-sticker"
            label={t('stories.sticker')}
            value={sticker()}
            onChange={(value) => setSticker(value as StickerKind)}
          >
            <option value="none">{t('stories.sticker.none')}</option>
            <option value="poll">{t('stories.sticker.poll')}</option>
            <option value="question">{t('stories.sticker.question')}</option>
          </SelectField>
        </div>
        <Show when={sticker() !== 'none'}>
          <fieldset class="poll-editor">
            <legend>{t(sticker() === 'poll' ? 'stories.sticker.poll' : 'stories.sticker.question')}</legend>
            <InputField
              id="story-prompt"
              label={t(sticker() === 'poll' ? 'stories.pollQuestion' : 'stories.questionPrompt')}
              value={prompt()}
              maxlength={STORY_LIMITS.promptChars}
              required
              dir="auto"
              onInput={setPrompt}
            />
            <Show when={sticker() === 'poll'}>
              <For each={options()}>
                {(option, at) => (
                  <InputField
                    id={`story-option-${at()}`}
                    label={t('composer.option', { number: at() + 1 })}
                    value={option}
                    maxlength={STORY_LIMITS.optionChars}
                    required
                    dir="auto"
                    onInput={(value) => setOptions((all) => all.map((each, index) => (index === at() ? value : each)))}
                  />
                )}
              </For>
              <div class="row">
                <Show when={options().length < STORY_LIMITS.pollOptions.max}>
                  <Button variant="secondary" size="sm" onClick={() => setOptions((all) => [...all, ''])}>
                    {t('composer.addOption')}
                  </Button>
                </Show>
                <Show when={options().length > STORY_LIMITS.pollOptions.min}>
                  <Button variant="ghost" size="sm" onClick={() => setOptions((all) => all.slice(0, -1))}>
                    {t('stories.removeOption')}
                  </Button>
                </Show>
              </div>
            </Show>
          </fieldset>
        </Show>
        <InputField id="story-hashtag" label={t('stories.hashtag')} value={hashtag()} maxlength={100} dir="auto" onInput={setHashtag} />
        <PostAsField id="story-pet" value={petId()} onChange={setPetId} />
        <StoryPostPicker value={linked()} onChange={setLinked} />
        <Show when={tooLong()}>
          {(durationMs) => (
            <div class="story-too-long" role="alert">
              <p>{t('stories.tooLong', { duration: clock(durationMs()), max: clock(STORY_LIMITS.videoMs) })}</p>
              <Button variant="secondary" disabled={busy()} onClick={() => void share(true)} data-testid="story-split">
                {t('stories.split', { seconds: STORY_LIMITS.videoMs / 1000 })}
              </Button>
            </div>
          )}
        </Show>
        <ErrorAlert text={failure()} />
        <Button type="submit" disabled={busy() || media.busy() || upload() === undefined}>
          {busy() ? t('form.working') : t('stories.share')}
        </Button>
      </form>
    </Dialog>
  );
}
