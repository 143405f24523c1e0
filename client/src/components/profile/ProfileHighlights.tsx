// The highlights under a profile's header: a row of round covers with their titles, in the order
// the owner set (`stories.highlights`); one opens the story viewer on that highlight's stories.
// On the user's own profile a "New" item opens the editor: a title and the user's archive
// (`stories.archive`) to pick stories from, in the order picked; Save is `stories.saveHighlight`.
// Each of the user's own highlights has an edit button: the same editor with its title and stories
// (saved with its id), and Delete after confirming (`stories.deleteHighlight`).
import { Pencil, Plus } from 'lucide-solid';
import { createSignal, For, type JSX, lazy, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { STORY_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import type { Story, TrayItem } from '../../state/stories.ts';
import { Dialog } from '../Dialog.tsx';
import { storyPicture } from '../media/sources.ts';
import { Button, IconButton } from '../ui/Button.tsx';

const StoryViewer = lazy(() => import('../stories/StoryViewer.tsx'));

type Highlight = CallResponse<'stories.highlights'>['items'][number];
type Person = TrayItem['author'];

function Cover(props: { mediaId: string | undefined }): JSX.Element {
  return (
    <span class="story-ring highlight-ring">
      <Show when={props.mediaId && storyPicture(props.mediaId)} fallback={<span class="highlight-cover" />}>
        {(src) => <img class="highlight-cover" src={src()} alt="" />}
      </Show>
    </span>
  );
}

function HighlightEditor(props: { editing?: Highlight; onClose: () => void; onSaved: (text: string) => void }): JSX.Element {
  const [title, setTitle] = createSignal(props.editing?.title ?? '');
  const [confirming, setConfirming] = createSignal(false);
  const [archive, setArchive] = createSignal<Story[] | undefined>();
  const [picked, setPicked] = createSignal<string[]>([]);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  onMount(async () => {
    try {
      const [archived, current] = await Promise.all([
        actions.call('stories.archive', {}),
        props.editing === undefined ? undefined : actions.call('stories.highlight', { highlightId: props.editing.id }),
      ]);
      if (current !== undefined) setPicked(current.items.map((story) => story.id));
      setArchive(archived.items);
    } catch (error) {
      setFailure(errorText(error));
      setArchive([]);
    }
  });
  const toggle = (id: string, on: boolean) => setPicked((all) => (on ? [...all, id] : all.filter((each) => each !== id)));
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await actions.call('stories.saveHighlight', { highlightId: props.editing?.id, title: title().trim(), storyIds: picked() });
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
          <Show when={archive()} fallback={<span class="media-waiting">…</span>}>
            {(stories) => (
              <Show when={stories().length > 0} fallback={<p class="hint">{t('highlights.noArchive')}</p>}>
                <ul>
                  <For each={stories()}>
                    {(story, at) => (
                      <li>
                        <label class="highlight-pick" data-testid="highlight-pick">
                          <input
                            type="checkbox"
                            checked={picked().includes(story.id)}
                            disabled={!picked().includes(story.id) && picked().length >= STORY_LIMITS.highlightStories}
                            onChange={(event) => toggle(story.id, event.currentTarget.checked)}
                          />
                          <Show when={storyPicture(story.mediaId)} fallback={<span class="highlight-thumb" />}>
                            {(src) => <img class="highlight-thumb" src={src()} alt={t('highlights.storyNumber', { number: at() + 1 })} />}
                          </Show>
                          <Show when={picked().indexOf(story.id) + 1 || undefined}>
                            {(order) => <span class="highlight-order">{order()}</span>}
                          </Show>
                        </label>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
        </fieldset>
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

export function ProfileHighlights(props: { person: Person; own: boolean }): JSX.Element {
  const [items, setItems] = createSignal<Highlight[]>([]);
  const [playing, setPlaying] = createSignal<string | undefined>();
  /** The editor: open for a new highlight (null) or one of the user's own. */
  const [editing, setEditing] = createSignal<Highlight | null | undefined>();
  const load = async () => {
    try {
      setItems((await actions.call('stories.highlights', { userId: props.person.id })).items);
    } catch (error) {
      actions.toast(errorText(error), 'error');
    }
  };
  onMount(load);
  return (
    <Show when={props.own || items().length > 0}>
      <nav class="card highlights" aria-label={t('highlights.title')}>
        <ul class="story-row" data-testid="highlights">
          <Show when={props.own}>
            <li class="story-item">
              <button type="button" class="story-open" onClick={() => setEditing(null)} data-testid="highlight-new">
                <span class="story-ring highlight-ring">
                  <span class="highlight-cover highlight-plus">
                    <Plus size={24} aria-hidden="true" />
                  </span>
                </span>
                <span class="story-name">{t('highlights.new')}</span>
              </button>
            </li>
          </Show>
          <For each={items()}>
            {(highlight) => (
              <li class="story-item">
                <button type="button" class="story-open" onClick={() => setPlaying(highlight.id)} data-testid="highlight">
                  <Cover mediaId={highlight.cover?.mediaId} />
                  <span class="story-name">
                    <bdi>{highlight.title}</bdi>
                  </span>
                </button>
                <Show when={props.own}>
                  <IconButton
                    icon={Pencil}
                    class="highlight-edit"
                    label={t('highlights.edit', { title: highlight.title })}
                    onClick={() => setEditing(highlight)}
                  />
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={playing()}>
          {(highlightId) => (
            <StoryViewer
              people={[props.person]}
              start={0}
              highlight={highlightId()}
              onClose={() => setPlaying(undefined)}
              onSeen={() => {}}
              onRemoved={() => {}}
              onMuted={() => {}}
            />
          )}
        </Show>
        <Show when={editing() !== undefined}>
          <HighlightEditor
            editing={editing() ?? undefined}
            onClose={() => setEditing(undefined)}
            onSaved={(text) => {
              setEditing(undefined);
              actions.toast(text);
              void load();
            }}
          />
        </Show>
      </nav>
    </Show>
  );
}
