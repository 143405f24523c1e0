// The row of stories at the top of home: "Your story" first (the user's avatar with a + that opens
// the create flow; the avatar plays the user's own stories when there are any), then one avatar per
// person in the tray's order with its ring (gradient: something unseen; green: an unseen story for
// close friends; grey: all seen) and the name under it. It scrolls sideways; every item is a
// button, so the keyboard reaches them all. Opening one plays that person's stories and then the
// next people's, in the row's order.
import { Plus } from 'lucide-solid';
import { createSignal, For, type JSX, lazy, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { actions, errorText, state } from '../../state/store.ts';
import { ringOf, type Tray, type TrayItem } from '../../state/stories.ts';
import { Avatar } from '../Person.tsx';

const StoryViewer = lazy(() => import('./StoryViewer.tsx'));
const StoryCreate = lazy(() => import('./StoryCreate.tsx'));

type Person = TrayItem['author'];

/** The name shown is the button's name (what a voice user says to press it); the ring's meaning follows it for screen readers. */
function StoryAvatar(props: { person: Person; ring: string; status?: string; name: string; onOpen: () => void }): JSX.Element {
  return (
    <button
      type="button"
      class="story-open"
      onClick={() => props.onOpen()}
      data-testid={`story-item-${props.person.username}`}
      data-ring={props.ring}
    >
      <span class={`story-ring ${props.ring}`}>
        <Avatar name={props.person.displayName || props.person.username} mediaId={props.person.avatarMediaId} large />
      </span>
      <span class="story-name">
        <bdi>{props.name}</bdi>
      </span>
      <Show when={props.status}>
        <span class="visually-hidden"> {props.status}</span>
      </Show>
    </button>
  );
}

export function StoryTray(props: { tray: Tray }): JSX.Element {
  const me = () => state.user?.id;
  const own = () => props.tray.items().find((item) => item.author.id === me());
  const others = () => props.tray.items().filter((item) => item.author.id !== me());
  const [self, setSelf] = createSignal<Person | undefined>();
  const [viewing, setViewing] = createSignal<{ people: Person[]; start: number } | undefined>();
  const [creating, setCreating] = createSignal(false);

  onMount(async () => {
    const id = me();
    if (id === undefined) return;
    try {
      setSelf((await actions.call('people.summaries', { ids: [id] })).items[0]);
    } catch (error) {
      actions.toast(errorText(error), 'error');
    }
  });

  const myself = (): Person =>
    own()?.author ??
    self() ?? {
      id: me() ?? '',
      username: state.user?.username ?? '',
      displayName: '',
      avatarMediaId: null,
      verified: false,
      accountType: 'personal',
      badges: [],
    };
  /** Plays from `authorId` on, through the people after them in the row. */
  const open = (authorId: string) => {
    const people = props.tray.items().map((item) => item.author);
    setViewing({
      people,
      start: Math.max(
        0,
        people.findIndex((person) => person.id === authorId),
      ),
    });
  };

  return (
    <nav class="story-tray card" aria-label={t('stories.tray')} aria-busy={props.tray.loading()}>
      <ul class="story-row" data-testid="story-tray">
        <li class="story-item">
          <StoryAvatar
            person={myself()}
            ring={own() === undefined ? 'none' : ringOf(own() as TrayItem)}
            name={t('stories.yours')}
            onOpen={() => {
              const mine = own();
              if (mine === undefined) setCreating(true);
              else open(mine.author.id);
            }}
          />
          <button
            type="button"
            class="story-add"
            aria-label={t('stories.create')}
            onClick={() => setCreating(true)}
            data-testid="story-add"
          >
            <Plus size={14} aria-hidden="true" />
          </button>
        </li>
        <For each={others()}>
          {(item) => {
            const name = () => item.author.displayName || item.author.username;
            return (
              <li class="story-item">
                <StoryAvatar
                  person={item.author}
                  ring={ringOf(item)}
                  status={t(item.unseen === 0 ? 'stories.ring.seen' : item.closeFriends ? 'stories.ring.close' : 'stories.ring.unseen')}
                  name={name()}
                  onOpen={() => open(item.author.id)}
                />
              </li>
            );
          }}
        </For>
        <Show when={props.tray.loading() && props.tray.items().length === 0}>
          <For each={[0, 1, 2, 3]}>
            {() => (
              <li class="story-item" aria-hidden="true" data-testid="story-skeleton">
                <span class="ui-skeleton circle story-skeleton" />
                <span class="ui-skeleton line short" />
              </li>
            )}
          </For>
        </Show>
        <Show when={!props.tray.loading() && others().length === 0}>
          <li class="story-empty hint" data-testid="story-empty">
            {props.tray.error() ?? t('stories.empty')}
          </li>
        </Show>
      </ul>
      <Show when={viewing()}>
        {(shown) => (
          <StoryViewer
            people={shown().people}
            start={shown().start}
            gone={props.tray.gone}
            onClose={() => setViewing(undefined)}
            onSeen={(authorId) => props.tray.seen(authorId)}
            onRemoved={(authorId) => props.tray.removed(authorId)}
            onMuted={(authorId) => props.tray.drop(authorId)}
          />
        )}
      </Show>
      <Show when={creating()}>
        <StoryCreate
          onClose={() => setCreating(false)}
          onShared={() => {
            setCreating(false);
            void props.tray.reload();
          }}
        />
      </Show>
    </nav>
  );
}
