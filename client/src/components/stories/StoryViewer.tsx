// Stories full screen, one person after another in the tray's order. Each person's active stories
// play oldest first from their first unseen one: a photo for 5 s, a video for its length (or its
// clip), with one progress bar per story. A tap on the far half goes forward and on the near half
// back (mirrored in right-to-left languages, as the arrow keys are), holding a finger or the button
// down pauses, swiping down or Escape closes. Each story shown counts as viewed once (not the
// user's own). The user's own stories show how many viewed them (the list opens from the eye) and
// can be deleted, and who voted in its poll or answered its question (StoryAnswers, whose counts
// move live); someone else's can be muted (they leave the tray). A story posted as a pet names the
// pet, by its owner. A modal dialog (Kobalte's): focus stays inside and returns to the tray when it
// closes. Given a `highlight`, it plays that highlight's stories (`stories.highlight`) from the
// first: kept past their 24 hours, not counted as views, with no reply field or mute. Given
// `archive` (the user's own stories, past ones too), it plays those from the one chosen, with
// their views and delete.
import { Dialog as Kobalte } from '@kobalte/core/dialog';
import { A } from '@solidjs/router';
import { ChevronLeft, ChevronRight, Eye, EyeOff, Pause, PawPrint, Play, Trash2, X } from 'lucide-solid';
import { createEffect, createSignal, Index, type JSX, Match, on, onCleanup, onMount, Show, Switch } from 'solid-js';
import { direction, formatRelative, t } from '../../i18n/index.ts';
import { type MediaItem, mediaItem } from '../../state/media.ts';
import { actions, errorText, state } from '../../state/store.ts';
import { answered, type Story, type TrayItem } from '../../state/stories.ts';
import { createStoryPlayer, durationOf, stepOfKey, stepOfTap } from '../../state/storyPlayer.ts';
import { Dialog } from '../Dialog.tsx';
import { Picture } from '../media/Picture.tsx';
import { fallback, SIZES, srcset } from '../media/sources.ts';
import { VideoPlayer } from '../media/VideoPlayer.tsx';
import { Avatar } from '../Person.tsx';
import { Button, IconButton } from '../ui/Button.tsx';
import { StoryAnswers } from './StoryAnswers.tsx';
import { StoryChips, StoryOverlays } from './StoryOverlays.tsx';
import { StoryReply } from './StoryReply.tsx';
import { StorySticker } from './StorySticker.tsx';
import { StoryViewers } from './StoryViewers.tsx';

type Person = TrayItem['author'];
/** A press shorter than this is a tap; longer, it only paused. */
const TAP_MS = 250;
/** A swipe down this far closes. */
const SWIPE_PX = 80;
const TICK_MS = 50;

/** The story's media once it is ready to show. */
const readyMedia = (story: Story | undefined): MediaItem | undefined => {
  if (story === undefined) return undefined;
  const item = mediaItem(story.mediaId);
  return item?.status === 'ready' ? item : undefined;
};

/** Asks for the next story's media now, so it shows at once: its image (the rendition the viewer will pick) or its video's poster. */
function preload(story: Story | undefined): void {
  const item = readyMedia(story);
  if (item === undefined) return;
  const image = new Image();
  if (item.kind === 'image') {
    image.sizes = SIZES.full;
    image.srcset = srcset(item, 'webp');
    image.src = fallback(item, 'full') ?? '';
  } else if (item.urls?.['thumb.jpg'] !== undefined) image.src = item.urls['thumb.jpg'];
}

export default function StoryViewer(props: {
  people: Person[];
  start: number;
  /** A highlight's id: its stories play instead of the person's active ones. */
  highlight?: string;
  /** The user's own stories, from their archive: these play from `from`, past ones kept to the end. */
  archive?: { stories: Story[]; from: number };
  /** Stories taken away live (`story.removed`): they leave the viewer too. */
  gone?: () => ReadonlySet<string>;
  onClose: () => void;
  onSeen: (authorId: string) => void;
  onRemoved: (authorId: string, storyId: string) => void;
  onMuted: (authorId: string) => void;
}): JSX.Element {
  const me = () => state.user?.id;
  const [people, setPeople] = createSignal(props.people);
  const [at, setAt] = createSignal(props.start);
  const [stories, setStories] = createSignal<Story[]>([]);
  const [loading, setLoading] = createSignal(true);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [viewersOf, setViewersOf] = createSignal<Story | undefined>();
  const [answersOf, setAnswersOf] = createSignal<Story | undefined>();
  const [deleting, setDeleting] = createSignal<Story | undefined>();
  /** Back into a person: start at their last story rather than their first unseen. */
  let fromTheEnd = false;
  const viewed = new Set<string>();
  const person = () => people()[at()];

  /** A person's stories, read ahead for the next person while the current one's last story plays; each read is used once. */
  const ahead = new Map<string, Promise<Story[]>>();
  const [upcoming, setUpcoming] = createSignal<Story | undefined>();
  const storiesOf = (userId: string): Promise<Story[]> => {
    const early = ahead.get(userId);
    ahead.delete(userId);
    if (props.archive !== undefined) return Promise.resolve(props.archive.stories);
    if (props.highlight !== undefined)
      return actions.call('stories.highlight', { highlightId: props.highlight }).then((page) => page.items);
    return early ?? actions.call('stories.byAuthor', { userId }).then((page) => page.items);
  };
  const readAhead = (userId: string) => {
    if (ahead.has(userId)) return;
    const reading = actions.call('stories.byAuthor', { userId }).then((page) => page.items);
    ahead.set(userId, reading);
    reading.then(
      (items) => setUpcoming(items.find((story) => !story.seen) ?? items[0]),
      // Only a head start: reading them when they come up asks again and reports a failure then.
      () => ahead.delete(userId),
    );
  };

  const nextPerson = () => {
    if (at() < people().length - 1) setAt(at() + 1);
    else props.onClose();
  };
  const player = createStoryPlayer({
    durations: () => stories().map((story) => durationOf(story, story.kind === 'video' ? readyMedia(story) : undefined)),
    onEnd: nextPerson,
    onBeforeStart: () => {
      if (at() === 0) return player.start(0);
      fromTheEnd = true;
      setAt(at() - 1);
    },
  });
  const current = () => stories()[player.index()];
  const mine = () => props.archive !== undefined || current()?.author.id === me();

  createEffect(
    on(person, async (who) => {
      if (who === undefined) return;
      setLoading(true);
      setFailure(undefined);
      setStories([]);
      try {
        const items = await storiesOf(who.id);
        if (person() !== who) return;
        if (items.length === 0) {
          // Gone meanwhile (expired, deleted, hidden): on to the next person.
          setPeople((all) => all.filter((each) => each !== who));
          if (at() >= people().length) props.onClose();
          return;
        }
        setStories(items);
        const firstUnseen = props.highlight === undefined ? items.findIndex((story) => !story.seen) : 0;
        player.start(fromTheEnd ? items.length - 1 : (props.archive?.from ?? (firstUnseen === -1 ? 0 : firstUnseen)));
        fromTheEnd = false;
      } catch (error) {
        setFailure(errorText(error));
      } finally {
        setLoading(false);
      }
    }),
  );

  // Each story shown counts once as viewed (not the user's own); the tray's ring follows.
  createEffect(
    on(current, (story) => {
      if (story === undefined || story.seen || story.author.id === me() || viewed.has(story.id) || props.highlight !== undefined) return;
      viewed.add(story.id);
      actions.call('stories.view', { storyId: story.id }).then(
        () => {
          setStories((all) => all.map((each) => (each.id === story.id ? { ...each, seen: true } : each)));
          props.onSeen(story.author.id);
        },
        (error: unknown) => actions.toast(errorText(error), 'error'),
      );
    }),
  );

  // The next story's media loads while this one plays; on the last one, the next person's first.
  createEffect(() => {
    const next = stories()[player.index() + 1];
    if (next !== undefined) return preload(next);
    const after = people()[at() + 1];
    if (stories().length > 0 && after !== undefined) readAhead(after.id);
    preload(upcoming());
  });
  createEffect(() => player.pause('loading', loading() || readyMedia(current()) === undefined));
  createEffect(() => player.pause('menu', viewersOf() !== undefined || answersOf() !== undefined || deleting() !== undefined));

  // Photos run on this clock; videos on their own (onTime).
  onMount(() => {
    let swept = 0;
    const timer = setInterval(() => {
      if (current()?.kind === 'image') player.advance(TICK_MS);
      if (Date.now() - swept < 1000) return;
      swept = Date.now();
      dropExpired(swept);
    }, TICK_MS);
    onCleanup(() => clearInterval(timer));
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name === 'story.viewed') {
          const { storyId, views } = event.body as { storyId: string; views: number };
          setStories((all) => all.map((each) => (each.id === storyId ? { ...each, views } : each)));
        }
        if (event.name === 'story.answered') {
          const { storyId, votes, answers } = event.body as { storyId: string; votes: number[] | null; answers: number | null };
          setStories((all) => all.map((each) => (each.id === storyId ? answered(each, { votes, answers }) : each)));
        }
      }),
    );
  });

  let press: { x: number; y: number; at: number } | undefined;
  const interactive = (target: EventTarget | null) => (target as HTMLElement | null)?.closest('a, button, input, textarea, form, fieldset');
  const onPointerDown = (event: PointerEvent) => {
    if (interactive(event.target)) return;
    press = { x: event.clientX, y: event.clientY, at: Date.now() };
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
    player.pause('hold', true);
  };
  const onPointerUp = (event: PointerEvent) => {
    const started = press;
    press = undefined;
    player.pause('hold', false);
    if (started === undefined) return;
    if (event.clientY - started.y > SWIPE_PX) return props.onClose();
    if (Date.now() - started.at > TAP_MS || Math.abs(event.clientX - started.x) > 20) return;
    const area = (event.currentTarget as HTMLElement).getBoundingClientRect();
    player.step(stepOfTap(event.clientX - area.left, area.width, direction()));
  };
  // Taps, holds and swipes are the pointer's ways; the keyboard has the arrows and the buttons.
  const attachStage = (element: HTMLDivElement) => {
    const cancel = () => {
      press = undefined;
      player.pause('hold', false);
    };
    const noMenu = (event: Event) => event.preventDefault();
    element.addEventListener('pointerdown', onPointerDown);
    element.addEventListener('pointerup', onPointerUp);
    element.addEventListener('pointercancel', cancel);
    element.addEventListener('contextmenu', noMenu);
    onCleanup(() => {
      element.removeEventListener('pointerdown', onPointerDown);
      element.removeEventListener('pointerup', onPointerUp);
      element.removeEventListener('pointercancel', cancel);
      element.removeEventListener('contextmenu', noMenu);
    });
  };
  const togglePause = () => player.pause('button', !player.isPausedFor('button'));
  const onKeyDown = (event: KeyboardEvent) => {
    if (interactive(event.target) && (event.target as HTMLElement).matches('input, textarea')) return;
    // Space pauses and plays, as in a video player (on a focused button it presses that button instead).
    if (event.key === ' ' && (event.target as HTMLElement | null)?.closest('button, input, textarea, select') == null) {
      event.preventDefault();
      return togglePause();
    }
    const step = stepOfKey(event.key, direction());
    if (step === undefined) return;
    event.preventDefault();
    player.step(step);
  };

  /** Takes stories out of the one playing, which goes on where it was (or the next one starts, or the next person). */
  const drop = (leaving: (story: Story) => boolean) => {
    const shown = current();
    const left = stories().filter((story) => !leaving(story));
    if (left.length === stories().length) return;
    if (left.length === 0) return nextPerson();
    const still = shown === undefined ? -1 : left.findIndex((story) => story.id === shown.id);
    const at = still === -1 ? Math.min(player.index(), left.length - 1) : still;
    setStories(left);
    if (still === -1) player.start(at);
    else player.reindex(at);
  };
  /** The server says nothing when a story expires: it leaves the open viewer at its expiresAt, as it leaves the tray. */
  const dropExpired = (now: number) =>
    props.highlight === undefined && props.archive === undefined && drop((story) => new Date(story.expiresAt).getTime() <= now);
  createEffect(
    on(
      () => props.gone?.(),
      (gone) => {
        if (gone !== undefined && gone.size > 0) drop((story) => gone.has(story.id));
      },
    ),
  );

  const replace = (story: Story) => setStories((all) => all.map((each) => (each.id === story.id ? story : each)));

  const remove = async (story: Story) => {
    setDeleting(undefined);
    try {
      await actions.call('stories.delete', { storyId: story.id });
    } catch (error) {
      actions.toast(errorText(error), 'error');
      return;
    }
    actions.toast(t('stories.deleted'));
    props.onRemoved(story.author.id, story.id);
    const left = stories().filter((each) => each.id !== story.id);
    if (left.length === 0) return nextPerson();
    const index = Math.min(player.index(), left.length - 1);
    setStories(left);
    player.start(index);
  };

  const mute = async (who: Person) => {
    const name = who.displayName || who.username;
    try {
      await actions.call('stories.mute', { userId: who.id, muted: true });
    } catch (error) {
      actions.toast(errorText(error), 'error');
      return;
    }
    props.onMuted(who.id);
    actions.toast(t('stories.muted', { name }), 'info', {
      label: t('toast.undo'),
      run: () => {
        actions.call('stories.mute', { userId: who.id, muted: false }).catch((error: unknown) => actions.toast(errorText(error), 'error'));
      },
    });
    nextPerson();
  };

  return (
    <Kobalte open modal preventScroll onOpenChange={(open) => !open && props.onClose()}>
      <Kobalte.Portal>
        <Kobalte.Overlay class="backdrop story-backdrop" />
        <Kobalte.Content class="story-viewer" data-testid="story-viewer" onKeyDown={onKeyDown}>
          <Kobalte.Title class="visually-hidden">
            {t('stories.viewerTitle', { name: person()?.displayName || person()?.username || '' })}
          </Kobalte.Title>
          <div class="story-stage" ref={attachStage} data-paused={player.paused() ? 'true' : 'false'} data-index={player.index()}>
            <div class="story-media">
              {/* Each story its own player: two clips of one video are two stories. */}
              <Show when={current()?.id ?? failure()} keyed fallback={<span class="media-waiting">…</span>}>
                {(_shown) => (
                  <Switch fallback={<span class="media-waiting">…</span>}>
                    <Match when={failure()}>{(text) => <p class="error">{text()}</p>}</Match>
                    <Match when={current()?.kind === 'image' && readyMedia(current())}>
                      {(item) => (
                        <Picture item={item()} layout="full" alt={t('stories.photo', { name: current()?.author.username ?? '' })} />
                      )}
                    </Match>
                    <Match when={current()?.kind === 'video' && readyMedia(current())}>
                      {(item) => (
                        <VideoPlayer
                          item={item()}
                          play={{
                            fromMs: current()?.clip?.startMs ?? 0,
                            get paused() {
                              return player.paused();
                            },
                            onTime: (ms) => player.playedTo(ms),
                            onEnded: () => player.step('forward'),
                          }}
                        />
                      )}
                    </Match>
                  </Switch>
                )}
              </Show>
            </div>
            <Show when={current()}>
              {(story) => (
                <div class="story-layer" data-testid={`story-${story().id}`}>
                  <StoryOverlays story={story()} />
                </div>
              )}
            </Show>
            <div class="story-top">
              <ol class="story-bars" aria-hidden="true">
                <Index each={stories()}>
                  {(_, index) => (
                    <li>
                      <span style={{ width: `${player.progress(index) * 100}%` }} />
                    </li>
                  )}
                </Index>
              </ol>
              <div class="story-head">
                <Show when={person()}>
                  {(who) => (
                    <Show
                      when={current()?.pet}
                      fallback={
                        <A href={`/u/${encodeURIComponent(who().username)}`} class="story-author">
                          <Avatar name={who().displayName || who().username} mediaId={who().avatarMediaId} />
                          <strong>
                            <bdi>{who().displayName || who().username}</bdi>
                          </strong>
                        </A>
                      }
                    >
                      {(pet) => (
                        <A href={`/pets/${pet().id}`} class="story-author" data-testid="story-pet">
                          <Avatar name={who().displayName || who().username} mediaId={who().avatarMediaId} />
                          <span class="story-as-pet">
                            <strong>
                              <PawPrint size={14} aria-hidden="true" /> <bdi>{pet().name}</bdi>
                            </strong>
                            <small>{t('stories.byOwner', { name: who().displayName || who().username })}</small>
                          </span>
                        </A>
                      )}
                    </Show>
                  )}
                </Show>
                <Show when={current()}>
                  {(story) => (
                    <small class="story-when">
                      <time datetime={story().createdAt}>{formatRelative(story().createdAt)}</time>
                    </small>
                  )}
                </Show>
                <span class="story-head-actions">
                  <IconButton
                    icon={player.isPausedFor('button') ? Play : Pause}
                    label={t('stories.pause')}
                    aria-pressed={player.isPausedFor('button')}
                    onClick={togglePause}
                    data-testid="story-pause"
                  />
                  <Show when={current() !== undefined && !mine() && props.highlight === undefined && person()}>
                    {(who) => (
                      <IconButton
                        icon={EyeOff}
                        label={t('stories.mute', { name: who().displayName || who().username })}
                        onClick={() => void mute(who())}
                      />
                    )}
                  </Show>
                  <Kobalte.CloseButton class="ui-icon-button ghost" aria-label={t('dialog.close')}>
                    <X size={22} aria-hidden="true" />
                  </Kobalte.CloseButton>
                </span>
              </div>
            </div>
            <div class="story-bottom">
              <Show when={current()}>{(story) => <StoryChips story={story()} />}</Show>
              <Show when={current()?.sticker ? current() : undefined}>
                {(story) => (
                  <StorySticker
                    story={story()}
                    mine={mine()}
                    onAnswered={replace}
                    onTyping={(on) => player.pause('typing', on)}
                    onShowAnswers={() => setAnswersOf(story())}
                  />
                )}
              </Show>
              <Show when={!mine() && props.highlight === undefined && current()}>
                {(story) => (
                  <StoryReply
                    story={story()}
                    name={story().author.displayName || story().author.username}
                    onTyping={(on) => player.pause('typing', on)}
                  />
                )}
              </Show>
              <Show when={mine() && props.highlight === undefined && current()}>
                {(story) => (
                  <div class="story-own">
                    <Button variant="ghost" size="sm" icon={Eye} onClick={() => setViewersOf(story())} data-testid="story-views">
                      {t('stories.views', { count: story().views ?? 0 })}
                    </Button>
                    <IconButton icon={Trash2} label={t('stories.delete')} onClick={() => setDeleting(story())} />
                  </div>
                )}
              </Show>
            </div>
            <div class="story-steps">
              <IconButton
                icon={direction() === 'rtl' ? ChevronRight : ChevronLeft}
                label={t('stories.previous')}
                onClick={() => player.step('back')}
              />
              <IconButton
                icon={direction() === 'rtl' ? ChevronLeft : ChevronRight}
                label={t('stories.next')}
                onClick={() => player.step('forward')}
              />
            </div>
            <Show when={player.isPausedFor('hold')}>
              <p class="story-paused" role="status">
                {t('stories.paused')}
              </p>
            </Show>
          </div>
          <Show when={viewersOf()}>
            {(story) => (
              <StoryViewers
                storyId={story().id}
                views={stories().find((each) => each.id === story().id)?.views ?? 0}
                onClose={() => setViewersOf(undefined)}
              />
            )}
          </Show>
          <Show when={answersOf()}>
            {(story) => (
              <StoryAnswers story={stories().find((each) => each.id === story().id) ?? story()} onClose={() => setAnswersOf(undefined)} />
            )}
          </Show>
          <Show when={deleting()}>
            {(story) => (
              <Dialog title={t('stories.deleteTitle')} onClose={() => setDeleting(undefined)} testId="story-delete">
                <p>{t('stories.deleteHelp')}</p>
                <div class="row">
                  <Button variant="secondary" onClick={() => setDeleting(undefined)}>
                    {t('form.cancel')}
                  </Button>
                  <Button variant="danger" onClick={() => void remove(story())}>
                    {t('stories.delete')}
                  </Button>
                </div>
              </Dialog>
            )}
          </Show>
        </Kobalte.Content>
      </Kobalte.Portal>
    </Kobalte>
  );
}
