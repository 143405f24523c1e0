// /: home, the feed. A one-line "What's new?" on top opens the composer as a sheet; the order
// switch (newest first, or ranked with "why am I seeing this"), remembered on this device; the next
// page loads as the end comes into view. New posts announced on `feed:<me>` wait behind an "N new
// posts" banner that takes no room, so nothing moves while reading; tapping it, or pulling the list
// down on a touch screen, loads the fresh first page. Each item's menu hides the post, mutes its
// author or asks for less of one of its hashtags, each undoable from the toast. A post deleted (by
// its author here, or live from elsewhere) leaves the feed. Above it all, the stories tray, kept live
// by the same `feed:<me>` subscription (`story.added`, `story.removed`).
import { ImagePlus } from 'lucide-solid';
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { Composer } from '../components/Composer.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { LoadMore } from '../components/LoadMore.tsx';
import { Avatar } from '../components/Person.tsx';
import { PostCard } from '../components/PostCard.tsx';
import { PullToRefresh } from '../components/PullToRefresh.tsx';
import { StoryTray } from '../components/stories/StoryTray.tsx';
import { IconButton } from '../components/ui/Button.tsx';
import { PostSkeleton } from '../components/ui/Skeleton.tsx';
import { usePages } from '../components/usePages.ts';
import { formatRelative, t } from '../i18n/index.ts';
import { keepList } from '../state/listMemory.ts';
import type { FeedMode, Post, Why } from '../state/posts.ts';
import { actions, errorText, state } from '../state/store.ts';
import { createTray } from '../state/stories.ts';
import { follow } from '../state/topics.ts';

type Item = CallResponse<'feed.home'>['items'][number];
const MODE_KEY = 'petamigos.feedMode';

function WhyThis(props: { why: Why }): JSX.Element {
  const lessPercent = () => Math.round(props.why.topicWeight * 100);
  return (
    <details class="why" data-testid="why">
      <summary>{t('why.title')}</summary>
      <ul>
        <li>{t(`why.relation.${props.why.relation}`)}</li>
        <li>{t('why.age', { when: formatRelative(Date.now() - props.why.ageHours * 3_600_000) })}</li>
        <li>{t('why.engagement', { count: props.why.engagement })}</li>
        <li>
          {props.why.lessOf.length === 0
            ? t('why.topicNormal')
            : t('why.topicLess', { percent: lessPercent(), tags: props.why.lessOf.map((tag) => `#${tag}`).join(', ') })}
        </li>
      </ul>
    </details>
  );
}

/** Puts items back where they were (positions in the list they were taken from). */
function putBack(items: Item[], removed: { at: number; item: Item }[]): Item[] {
  const next = items.filter((item) => !removed.some((each) => each.item.post.id === item.post.id));
  for (const { at, item } of [...removed].sort((a, b) => a.at - b.at)) next.splice(Math.min(at, next.length), 0, item);
  return next;
}

export default function Feed(): JSX.Element {
  const [mode, setMode] = createSignal<FeedMode>(localStorage.getItem(MODE_KEY) === 'ranked' ? 'ranked' : 'chronological');
  const pages = usePages((cursor) => actions.call('feed.home', { mode: mode(), cursor }));
  const [fresh, setFresh] = createSignal<string[]>([]);
  const [composing, setComposing] = createSignal(false);
  const tray = createTray();
  let top: HTMLHeadingElement | undefined;

  onMount(() => {
    // Back from a post or a profile: the feed as it was, at the same place, not fetched again.
    keepList(() => `feed:${mode()}`, pages);
    const me = state.user?.id;
    if (me === undefined) return;
    void tray.reload();
    onCleanup(
      follow(
        `feed:${me}`,
        (event) => {
          tray.onFeedEvent(event, me);
          if (event.name !== 'feed.post') return;
          const { postId, authorId } = event.body as { postId: string; authorId: string };
          // The user's own posts from here are already on top (the composer puts them there).
          if (authorId === me || pages.items().some((item) => item.post.id === postId)) return;
          setFresh((ids) => (ids.includes(postId) ? ids : [...ids, postId]));
        },
        // Story events missed while away are not replayed: the tray is read again.
        () => void tray.reload(),
      ),
    );
  });

  // j and k move to the next and the previous post, as on Mastodon (not while typing).
  onMount(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'j' && event.key !== 'k') return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]')) return;
      const posts = [...document.querySelectorAll<HTMLElement>('ol.posts > li > article.post')];
      if (posts.length === 0) return;
      const current = posts.findIndex((post) => post.contains(document.activeElement));
      const next = current === -1 ? 0 : Math.max(0, Math.min(posts.length - 1, current + (event.key === 'j' ? 1 : -1)));
      event.preventDefault();
      posts[next]?.focus();
      posts[next]?.scrollIntoView({ block: 'start' });
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  const showFresh = async () => {
    setFresh([]);
    await pages.reload();
    top?.scrollIntoView({ block: 'start' });
    top?.focus();
  };

  const choose = (next: FeedMode) => {
    if (next === mode()) return;
    localStorage.setItem(MODE_KEY, next);
    setMode(next);
    setFresh([]);
    void pages.reload();
  };

  /** Takes items out at once; the server is asked, and the toast offers to undo. */
  const takeOut = async (which: (item: Item) => boolean, ask: (on: boolean) => Promise<unknown>, done: string): Promise<void> => {
    const removed = pages
      .items()
      .map((item, at) => ({ at, item }))
      .filter(({ item }) => which(item));
    pages.setItems((items) => items.filter((item) => !which(item)));
    try {
      await ask(true);
    } catch (error) {
      pages.setItems((items) => putBack(items, removed));
      actions.toast(errorText(error), 'error');
      return;
    }
    actions.toast(done, 'info', {
      label: t('toast.undo'),
      run: () => {
        pages.setItems((items) => putBack(items, removed));
        ask(false).catch((error: unknown) => actions.toast(errorText(error), 'error'));
      },
    });
  };

  const lessOf = async (tag: string) => {
    try {
      await actions.call('feed.lessOf', { tag, less: true });
    } catch (error) {
      actions.toast(errorText(error), 'error');
      return;
    }
    actions.toast(t('feed.lessOfDone', { tag }), 'info', {
      label: t('toast.undo'),
      run: () => {
        actions.call('feed.lessOf', { tag, less: false }).catch((error: unknown) => actions.toast(errorText(error), 'error'));
      },
    });
  };

  const menu = (post: Post) => {
    const tags = [...new Set(post.entities.filter((entity) => entity.type === 'hashtag').map((entity) => entity.value))];
    const name = post.author.displayName || post.author.username;
    return (
      <>
        <button
          type="button"
          class="link"
          onClick={() =>
            void takeOut(
              (item) => item.post.id === post.id,
              (hidden) => actions.call('feed.hide', { postId: post.id, hidden }),
              t('feed.hidden'),
            )
          }
        >
          {t('feed.hide')}
        </button>
        <Show when={post.author.id !== state.user?.id}>
          <button
            type="button"
            class="link"
            onClick={() =>
              void takeOut(
                (item) => item.post.author.id === post.author.id,
                (muted) => actions.call('feed.mute', { userId: post.author.id, muted }),
                t('feed.muted', { name }),
              )
            }
          >
            {t('feed.mute', { name })}
          </button>
        </Show>
        <For each={tags}>
          {(tag) => (
            <button type="button" class="link" onClick={() => void lessOf(tag)}>
              {t('feed.lessOf', { tag })}
            </button>
          )}
        </For>
      </>
    );
  };

  return (
    <section class="feed" aria-labelledby="feed-title">
      <h1 id="feed-title" class="visually-hidden" ref={top} tabindex="-1">
        {t('feed.title')}
      </h1>
      <StoryTray tray={tray} />
      <div class="card compose-line">
        <Avatar name={state.user?.username ?? ''} mediaId={null} />
        <button type="button" class="compose-open" onClick={() => setComposing(true)} data-testid="compose-open">
          {t('feed.compose')}
        </button>
        <IconButton icon={ImagePlus} label={t('composer.title')} onClick={() => setComposing(true)} />
      </div>
      <Show when={composing()}>
        <Dialog title={t('composer.title')} onClose={() => setComposing(false)} testId="composer-dialog">
          <Composer
            onPosted={(post) => {
              setComposing(false);
              pages.setItems((items) => [{ post }, ...items]);
            }}
          />
        </Dialog>
      </Show>
      <fieldset class="segmented">
        <legend class="visually-hidden">{t('feed.order')}</legend>
        <button type="button" aria-pressed={mode() === 'chronological'} onClick={() => choose('chronological')}>
          {t('feed.chronological')}
        </button>
        <button type="button" aria-pressed={mode() === 'ranked'} onClick={() => choose('ranked')}>
          {t('feed.ranked')}
        </button>
      </fieldset>
      <div class="new-posts">
        <Show when={fresh().length > 0}>
          <button type="button" data-testid="new-posts" onClick={() => void showFresh()}>
            {t('feed.newPosts', { count: fresh().length })}
          </button>
        </Show>
      </div>
      <PullToRefresh
        refresh={async () => {
          setFresh([]);
          await pages.reload();
        }}
      >
        <ol class="posts" aria-label={t('feed.title')}>
          <For each={pages.items()}>
            {(item) => (
              <li>
                <PostCard
                  post={item.post}
                  menu={menu(item.post)}
                  footer={item.why === undefined ? undefined : <WhyThis why={item.why} />}
                  onShared={(post) => pages.setItems((items) => [{ post }, ...items])}
                  onGone={() => pages.setItems((items) => items.filter((each) => each.post.id !== item.post.id))}
                />
              </li>
            )}
          </For>
        </ol>
      </PullToRefresh>
      <Show when={pages.loading() && pages.items().length === 0}>
        <PostSkeleton count={3} />
      </Show>
      <LoadMore pages={pages} count={pages.items().length} empty={t('feed.empty')} illustrated />
    </section>
  );
}
