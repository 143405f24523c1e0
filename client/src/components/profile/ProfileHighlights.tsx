// The highlights under a profile's header: a row of round covers with their titles, in the order
// the owner set (`stories.highlights`); one opens the story viewer on that highlight's stories.
// On the user's own profile a "New" item and an edit button on each highlight open the editor
// (HighlightEditor.tsx), and with two or more, "Arrange" puts earlier / later buttons under each
// (and lets a mouse drag them):
// a move shows at once and is saved with the whole new order (`stories.orderHighlights`), put
// back with a toast when that fails.
import { ArrowLeftRight, Pencil, Plus } from 'lucide-solid';
import { createSignal, For, type JSX, lazy, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import type { TrayItem } from '../../state/stories.ts';
import { thumbOf } from '../media/sources.ts';
import { Button, IconButton } from '../ui/Button.tsx';
import { dragToMove, MoveButtons, moved } from '../ui/MoveButtons.tsx';
import { type Highlight, HighlightEditor } from './HighlightEditor.tsx';

const StoryViewer = lazy(() => import('../stories/StoryViewer.tsx'));

type Person = TrayItem['author'];

function Cover(props: { mediaId: string | undefined }): JSX.Element {
  return (
    <span class="story-ring highlight-ring">
      <Show when={props.mediaId && thumbOf(props.mediaId)} fallback={<span class="highlight-cover" />}>
        {(src) => <img class="highlight-cover" src={src()} alt="" />}
      </Show>
    </span>
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
  const [arranging, setArranging] = createSignal(false);
  const canArrange = () => props.own && items().length > 1;
  const arrangingNow = () => arranging() && canArrange();
  /** Shown at once; a refusal puts back the order this move started from. */
  const move = async (from: number, to: number) => {
    const before = items();
    const after = moved(before, from, to);
    setItems(after);
    try {
      await actions.call('stories.orderHighlights', { highlightIds: after.map((highlight) => highlight.id) });
    } catch (error) {
      setItems(before);
      actions.toast(`${t('highlights.orderFailed')} ${errorText(error)}`, 'error');
    }
  };
  const drag = dragToMove((from, to) => void move(from, to));
  return (
    <Show when={props.own || items().length > 0}>
      <nav class="card highlights" aria-label={t('highlights.title')}>
        <ul class="story-row" data-testid="highlights">
          <Show when={props.own && !arrangingNow()}>
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
            {(highlight, at) => (
              <li class="story-item" {...(arrangingNow() ? drag(at) : {})}>
                <button type="button" class="story-open" onClick={() => setPlaying(highlight.id)} data-testid="highlight">
                  <Cover mediaId={highlight.cover?.mediaId} />
                  <span class="story-name">
                    <bdi>{highlight.title}</bdi>
                  </span>
                </button>
                <Show
                  when={arrangingNow()}
                  fallback={
                    <Show when={props.own}>
                      <IconButton
                        icon={Pencil}
                        class="highlight-edit"
                        label={t('highlights.edit', { title: highlight.title })}
                        onClick={() => setEditing(highlight)}
                      />
                    </Show>
                  }
                >
                  <MoveButtons
                    index={at()}
                    count={items().length}
                    earlier={t('highlights.moveEarlier', { title: highlight.title })}
                    later={t('highlights.moveLater', { title: highlight.title })}
                    onMove={(to) => void move(at(), to)}
                  />
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={canArrange()}>
          <div class="highlights-tools">
            <Button
              variant="ghost"
              size="sm"
              icon={ArrowLeftRight}
              onClick={() => setArranging((on) => !on)}
              data-testid="highlights-arrange"
            >
              {arrangingNow() ? t('highlights.arranged') : t('highlights.arrange')}
            </Button>
          </div>
        </Show>
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
