// The editor of one of the user's own highlights (new, or an existing one with its id): a title,
// the user's archive (`stories.archive`, page by page) to tick stories in, and the stories picked,
// in their order, on a strip where each moves earlier or later (or is dragged), can be taken out,
// and one is the cover (the first unless another is chosen). Save is `stories.saveHighlight` with the ids in order
// and the cover; an existing highlight starts from its stories (`stories.highlight`, which also
// holds those on archive pages not loaded yet) and its cover, and can be deleted after confirming
// (`stories.deleteHighlight`).
import { X } from 'lucide-solid';
import { createMemo, createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { STORY_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import type { Story } from '../../state/stories.ts';
import { Dialog } from '../Dialog.tsx';
import { LoadMore } from '../LoadMore.tsx';
import { thumbOf } from '../media/sources.ts';
import { Button, IconButton } from '../ui/Button.tsx';
import { dragToMove, MoveButtons, moved } from '../ui/MoveButtons.tsx';
import { usePages } from '../usePages.ts';

export type Highlight = CallResponse<'stories.highlights'>['items'][number];

function Thumb(props: { story: Story; alt: string }): JSX.Element {
  return (
    <Show when={thumbOf(props.story.mediaId)} fallback={<span class="highlight-thumb" />}>
      {(src) => <img class="highlight-thumb" src={src()} alt={props.alt} />}
    </Show>
  );
}

export function HighlightEditor(props: { editing?: Highlight; onClose: () => void; onSaved: (text: string) => void }): JSX.Element {
  const [title, setTitle] = createSignal(props.editing?.title ?? '');
  const [confirming, setConfirming] = createSignal(false);
  const [picked, setPicked] = createSignal<string[]>([]);
  /** The highlight's stories as saved: some may be on archive pages not loaded. */
  const [current, setCurrent] = createSignal<Story[]>([]);
  const [chosenCover, setChosenCover] = createSignal(props.editing?.cover?.storyId);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const archive = usePages((cursor) => actions.call('stories.archive', { cursor }));
  const byId = createMemo(() => new Map([...current(), ...archive.items()].map((story) => [story.id, story])));
  const selected = () => picked().flatMap((id) => byId().get(id) ?? []);
  /** The chosen cover while it is picked, else the first story. */
  const cover = () => {
    const chosen = chosenCover();
    return chosen !== undefined && picked().includes(chosen) ? chosen : picked()[0];
  };
  onMount(async () => {
    void archive.reload();
    if (props.editing === undefined) return;
    try {
      const { items } = await actions.call('stories.highlight', { highlightId: props.editing.id });
      const ids = items.map((story) => story.id);
      setCurrent(items);
      // Ticked before it came: after its stories.
      setPicked((before) => [...ids, ...before.filter((id) => !ids.includes(id))]);
    } catch (error) {
      setFailure(errorText(error));
    }
  });
  const drag = dragToMove((from, to) => setPicked((all) => moved(all, from, to)));
  const toggle = (id: string, on: boolean) => setPicked((all) => (on ? [...all, id] : all.filter((each) => each !== id)));
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await actions.call('stories.saveHighlight', {
        highlightId: props.editing?.id,
        title: title().trim(),
        storyIds: picked(),
        coverStoryId: cover(),
      });
      props.onSaved(t('highlights.saved'));
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (highlightId: string) => {
    setBusy(true);
    try {
      await actions.call('stories.deleteHighlight', { highlightId });
      props.onSaved(t('highlights.deleted'));
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={props.editing === undefined ? t('highlights.newTitle') : t('highlights.editTitle')}
      onClose={props.onClose}
      testId="highlight-editor"
    >
      <form class="stack highlight-editor" onSubmit={save}>
        <label>
          {t('highlights.name')}
          <input
            value={title()}
            maxlength={STORY_LIMITS.highlightTitleChars}
            dir="auto"
            required
            onInput={(event) => setTitle(event.currentTarget.value)}
          />
        </label>
        <fieldset class="highlight-picks">
          <legend>{t('highlights.pick')}</legend>
          <div class="highlight-archive">
            <Show when={archive.loaded() || archive.error()} fallback={<span class="media-waiting">…</span>}>
              <ul>
                <For each={archive.items()}>
                  {(story, at) => (
                    <li>
                      <label class="highlight-pick" data-testid="highlight-pick">
                        <input
                          type="checkbox"
                          checked={picked().includes(story.id)}
                          disabled={!picked().includes(story.id) && picked().length >= STORY_LIMITS.highlightStories}
                          onChange={(event) => toggle(story.id, event.currentTarget.checked)}
                        />
                        <Thumb story={story} alt={t('highlights.storyNumber', { number: at() + 1 })} />
                        <Show when={picked().indexOf(story.id) + 1 || undefined}>
                          {(order) => <span class="highlight-order">{order()}</span>}
                        </Show>
                      </label>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <LoadMore pages={archive} count={archive.items().length} empty={t('highlights.noArchive')} />
          </div>
        </fieldset>
        <Show when={selected().length > 0}>
          <fieldset class="highlight-selected">
            <legend>{t('highlights.selected')}</legend>
            <ol>
              <For each={selected()}>
                {(story, at) => (
                  <li data-testid="highlight-selected" {...drag(at)}>
                    <span class="highlight-selected-picture">
                      <Thumb story={story} alt="" />
                      <span class="highlight-order">{at() + 1}</span>
                      <IconButton
                        icon={X}
                        class="highlight-unpick"
                        label={t('highlights.unpick', { number: at() + 1 })}
                        onClick={() => toggle(story.id, false)}
                      />
                    </span>
                    <label class="highlight-cover-choice">
                      <input
                        type="radio"
                        name="highlight-cover"
                        checked={cover() === story.id}
                        aria-label={t('highlights.coverOf', { number: at() + 1 })}
                        onChange={() => setChosenCover(story.id)}
                      />
                      {t('highlights.cover')}
                    </label>
                    <MoveButtons
                      index={at()}
                      count={selected().length}
                      earlier={t('highlights.earlier', { number: at() + 1 })}
                      later={t('highlights.later', { number: at() + 1 })}
                      onMove={(to) => setPicked((all) => moved(all, at(), to))}
                    />
                  </li>
                )}
              </For>
            </ol>
          </fieldset>
        </Show>
        <Show when={failure()}>
          {(text) => (
            <p class="error" role="alert">
              {text()}
            </p>
          )}
        </Show>
        <Show when={props.editing}>
          {(editing) => (
            <Show
              when={confirming()}
              fallback={
                <Button variant="ghost" disabled={busy()} onClick={() => setConfirming(true)}>
                  {t('highlights.delete')}
                </Button>
              }
            >
              <p role="alert">{t('highlights.deleteConfirm')}</p>
              <div class="row">
                <Button variant="secondary" onClick={() => setConfirming(false)}>
                  {t('form.cancel')}
                </Button>
                <Button variant="danger" disabled={busy()} onClick={() => void remove(editing().id)}>
                  {t('highlights.delete')}
                </Button>
              </div>
            </Show>
          )}
        </Show>
        <div class="row">
          <Button variant="secondary" onClick={props.onClose}>
            {t('form.cancel')}
          </Button>
          <Button type="submit" disabled={busy() || title().trim() === '' || picked().length === 0}>
            {t('highlights.save')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
