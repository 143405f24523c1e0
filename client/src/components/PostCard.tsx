// A post wherever it is shown (feed, post page, hashtag page): who posted it (and as which pet),
// when, who may see it, whether it was edited (with the history), the text with its links, its photos
// and videos, the place, the post it shares, the poll, reactions and counts, sharing, and treats
// sent to its author (not on one's own; no count of them: the server keeps none per post). While
// the card is on screen it follows `post:<id>`: counts, poll results and edits arrive live, and
// comment events are handed to `onEvent` (the post page keeps its thread with them); saving it
// (the bookmark at the end of the action bar) follows the user's other devices. The author
// edits (text and visibility) and deletes it from its menu; both show at once and are put back
// when refused. A post deleted (here or elsewhere) or no longer visible goes through `onGone`
// (the feed drops the card, the post page shows it unavailable), else the card says so.
import { A } from '@solidjs/router';
import { Ellipsis, MessageCircle, Share2 } from 'lucide-solid';
import { createEffect, createSignal, For, type JSX, on, onCleanup, onMount, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { Dynamic } from 'solid-js/web';
import { type EventFrame, ProtocolError } from '../../../protocol/client.ts';
import { formatNumber, formatRelative, t } from '../i18n/index.ts';
import { type Post, type SharedPost, topReactions, totalReactions } from '../state/posts.ts';
import { actions, errorText, state } from '../state/store.ts';
import { follow } from '../state/topics.ts';
import { MediaView } from './media/MediaView.tsx';
import { Avatar, Badges } from './Person.tsx';
import { PollView } from './PollView.tsx';
import { DeletePostDialog, EditHistory, EditPostDialog, type PostChange, ReportDialog, ShareDialog, WhoReacted } from './PostDialogs.tsx';
import { PostText } from './PostText.tsx';
import { ReactionButton } from './ReactionButton.tsx';
import { SaveButton } from './SaveButton.tsx';
import { TipButton, TipDialog } from './treats/TipDialog.tsx';
import { ReactionEmoji } from './ui/ReactionEmoji.tsx';
import { VISIBILITY_ICON } from './ui/visibility.ts';

/** A chosen entry of a post's menu closes it. */
function closeOnChoice(menu: HTMLDetailsElement) {
  menu.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('.menu-items button') !== null) menu.open = false;
  });
}

type Open = 'none' | 'history' | 'who' | 'report' | 'share' | 'edit' | 'delete' | 'tip';

/** Author, pet, time, visibility and the edited marker. */
function Byline(props: { post: Post | SharedPost; onHistory?: () => void }): JSX.Element {
  const name = () => props.post.author.displayName || props.post.author.username;
  return (
    <div class="who">
      <A href={`/u/${encodeURIComponent(props.post.author.username)}`}>
        <strong>
          <bdi>{name()}</bdi>
        </strong>
      </A>
      <Badges badges={props.post.author.badges} />
      <Show when={props.post.pet}>
        {(pet) => (
          <span class="as-pet">
            {' · '}
            <A href={`/pets/${pet().id}`} aria-label={t('post.asPet', { pet: pet().name })}>
              🐾 {pet().name}
            </A>
          </span>
        )}
      </Show>
      <br />
      <small class="hint">
        <A href={`/posts/${props.post.id}`}>
          <time datetime={props.post.createdAt}>{formatRelative(props.post.createdAt)}</time>
        </A>
        {' · '}
        <span
          class="visibility"
          role="img"
          aria-label={t(`visibility.${props.post.visibility}`)}
          title={t(`visibility.${props.post.visibility}`)}
        >
          <Dynamic component={VISIBILITY_ICON[props.post.visibility]} size={14} aria-hidden="true" />
        </span>
        <Show when={props.post.editedAt !== null}>
          {' · '}
          <Show when={props.onHistory} fallback={t('post.edited')}>
            <button type="button" class="link" onClick={() => props.onHistory?.()}>
              {t('post.edited')}
            </button>
          </Show>
        </Show>
      </small>
    </div>
  );
}

/** Text, photos and videos, and place: what a post and the post it shares both show. */
function Body(props: { post: Post | SharedPost }): JSX.Element {
  return (
    <>
      <Show when={props.post.text !== ''}>
        <PostText text={props.post.text} entities={props.post.entities} />
      </Show>
      <Show when={props.post.mediaIds.length > 0}>
        <ul class={props.post.mediaIds.length === 1 ? 'media single' : 'media'} aria-label={t('post.media')}>
          <For each={props.post.mediaIds}>
            {(id) => (
              <li>
                <MediaView id={id} layout={props.post.mediaIds.length === 1 ? 'feed' : 'tile'} />
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.post.place}>{(place) => <p class="hint place">📍 {place().name}</p>}</Show>
    </>
  );
}

export function PostCard(props: {
  post: Post;
  /** Extra entries of the post's menu (the feed's hide, mute, less of). */
  menu?: JSX.Element;
  /** Below the body (the feed's "why am I seeing this"). */
  footer?: JSX.Element;
  /** Follow the post's topic even off screen (the post page, whose thread depends on it). */
  alwaysLive?: boolean;
  onEvent?: (event: EventFrame) => void;
  onShared?: (post: Post) => void;
  /** The post was deleted or may no longer be seen; without it, the card says it is unavailable. */
  onGone?: () => void;
  /** The user saved or unsaved the post here and the server took it (the saved screen takes the card out). */
  onSaved?: (saved: boolean) => void;
}): JSX.Element {
  const [post, setPost] = createStore<Post>(structuredClone(props.post));
  const [gone, setGone] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);
  const [open, setOpen] = createSignal<Open>('none');
  const [onScreen, setOnScreen] = createSignal(typeof IntersectionObserver === 'undefined');
  let element: HTMLElement | undefined;
  const name = () => post.author.displayName || post.author.username;
  const mine = () => post.author.id === state.user?.id;

  const vanish = () => {
    setGone(true);
    props.onGone?.();
  };

  const refetch = async () => {
    try {
      setPost(reconcile(await actions.call('posts.get', { postId: post.id })));
    } catch (error) {
      vanish();
      if (!(error instanceof ProtocolError && error.code === 'NOT_FOUND')) actions.toast(errorText(error), 'error');
    }
  };

  /** Shows the change at once (the text without its links until the server answers); a refusal puts it back. */
  const edit = async (change: PostChange) => {
    const before = { text: post.text, entities: post.entities, visibility: post.visibility, editedAt: post.editedAt };
    setPost({ ...change, ...(change.text === undefined ? {} : { entities: [] }), editedAt: new Date().toISOString() });
    try {
      setPost(reconcile(await actions.call('posts.edit', { postId: post.id, ...change })));
    } catch (error) {
      setPost(before);
      throw error;
    }
  };

  /** Hides the card at once; a refusal brings it back with the reason in a toast. */
  const remove = async () => {
    setOpen('none');
    setDeleting(true);
    try {
      await actions.call('posts.delete', { postId: post.id });
    } catch (error) {
      setDeleting(false);
      actions.toast(errorText(error), 'error');
      return;
    }
    actions.toast(t('post.deleted'));
    vanish();
  };

  const onEvent = (event: EventFrame) => {
    const body = event.body as Record<string, unknown>;
    if (event.name === 'post.counts') {
      const counts = body as { reactions: Post['reactions']; comments: number; shares: number };
      setPost({ reactions: counts.reactions, comments: counts.comments, shares: counts.shares });
    } else if (event.name === 'poll.results') {
      const results = body as { options: number[]; voters: number };
      setPost('poll', (poll) =>
        poll === null
          ? poll
          : { ...poll, voters: results.voters, options: poll.options.map((each, at) => ({ ...each, votes: results.options[at] ?? 0 })) },
      );
    } else if (event.name === 'post.changed') {
      if (body.deleted === true) vanish();
      else void refetch();
    }
    props.onEvent?.(event);
  };

  onMount(() => {
    if (element === undefined || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => setOnScreen(entries.some((entry) => entry.isIntersecting)), {
      rootMargin: '200px 0px',
    });
    observer.observe(element);
    onCleanup(() => observer.disconnect());
  });
  createEffect(
    on(onScreen, (visible) => {
      if (props.alwaysLive) return;
      if (!visible) return;
      onCleanup(follow(`post:${post.id}`, onEvent, () => void refetch()));
    }),
  );

  onMount(() => {
    if (props.alwaysLive) onCleanup(follow(`post:${post.id}`, onEvent, () => void refetch()));
  });

  // Saved or unsaved on another device (or by this one: the same answer again).
  onMount(() => {
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name !== 'saved.changed') return;
        const body = event.body as { postId: string; saved: boolean };
        if (body.postId === post.id) setPost('saved', body.saved);
      }),
    );
  });

  return (
    <article
      ref={element}
      class="post"
      tabindex="-1"
      hidden={deleting()}
      data-testid={`post-${post.id}`}
      aria-label={t('post.by', { name: name() })}
    >
      <Show when={!gone()} fallback={<p class="hint">{t('post.unavailable')}</p>}>
        <header class="post-head">
          <Avatar name={name()} mediaId={post.author.avatarMediaId} />
          <Byline post={post} onHistory={() => setOpen('history')} />
          <details class="menu" ref={closeOnChoice}>
            <summary aria-label={t('post.menu', { name: name() })}>
              <Ellipsis size={20} aria-hidden="true" />
            </summary>
            <div class="menu-items">
              {props.menu}
              <Show when={mine()}>
                <button type="button" class="link" onClick={() => setOpen('edit')}>
                  {t('post.edit')}
                </button>
                <button type="button" class="link danger" onClick={() => setOpen('delete')}>
                  {t('post.delete')}
                </button>
              </Show>
              <button type="button" class="link" onClick={() => setOpen('report')}>
                {t('report.action')}
              </button>
            </div>
          </details>
        </header>
        <Body post={post} />
        <Show when={post.shared}>
          {(shared) => {
            const inner = shared();
            return 'unavailable' in inner ? (
              <p class="shared hint">{t('post.unavailable')}</p>
            ) : (
              <div class="shared" data-testid="shared-post">
                <div class="post-head">
                  <Avatar name={inner.author.displayName || inner.author.username} mediaId={inner.author.avatarMediaId} />
                  <Byline post={inner} />
                </div>
                <Body post={inner} />
              </div>
            );
          }}
        </Show>
        <Show when={post.poll}>
          {(poll) => (
            <PollView
              postId={post.id}
              poll={poll()}
              onChange={(next) => setPost('poll', next)}
              send={(positions) => actions.call('posts.vote', { postId: post.id, positions })}
            />
          )}
        </Show>
        {props.footer}
        <Show when={totalReactions(post.reactions) > 0}>
          <div class="post-stats">
            <button type="button" class="stat" data-testid="who-reacted" onClick={() => setOpen('who')}>
              <span class="visually-hidden">{t('reaction.who', { count: totalReactions(post.reactions) })}</span>
              <span class="top-reactions" aria-hidden="true">
                <For each={topReactions(post.reactions)}>{(kind) => <ReactionEmoji kind={kind} size={18} />}</For>
              </span>
              <span aria-hidden="true">{formatNumber(totalReactions(post.reactions))}</span>
            </button>
          </div>
        </Show>
        <div class="post-actions">
          <ReactionButton
            label={t('reaction.forPost', { name: name() })}
            counts={post.reactions}
            mine={post.myReaction}
            onChange={(reactions, myReaction) => setPost({ reactions, myReaction })}
            send={(kind) => actions.call('posts.react', { postId: post.id, kind })}
          />
          <A href={`/posts/${post.id}`} class="post-action" data-testid="comment-count">
            <MessageCircle size={20} aria-hidden="true" />
            <span class="visually-hidden">{t('post.comments', { count: post.comments })}</span>
            <span aria-hidden="true">{formatNumber(post.comments)}</span>
          </A>
          <button type="button" class="post-action" data-testid="share-count" onClick={() => setOpen('share')}>
            <Share2 size={20} aria-hidden="true" />
            <span class="visually-hidden">{`${t('post.share')} · ${t('post.shares', { count: post.shares })}`}</span>
            <span aria-hidden="true">{formatNumber(post.shares)}</span>
          </button>
          <Show when={!mine()}>
            <TipButton author={post.author} iconSize={20} onClick={() => setOpen('tip')} />
          </Show>
          <SaveButton
            saved={post.saved}
            onChange={(saved) => setPost('saved', saved)}
            send={(saved) => actions.call('posts.save', { postId: post.id, saved })}
            onDone={(saved) => props.onSaved?.(saved)}
          />
        </div>
      </Show>
      <Show when={open() === 'history'}>
        <EditHistory postId={post.id} current={post.text} onClose={() => setOpen('none')} />
      </Show>
      <Show when={open() === 'who'}>
        <WhoReacted target={{ postId: post.id }} onClose={() => setOpen('none')} />
      </Show>
      <Show when={open() === 'report'}>
        <ReportDialog targetKind="post" targetId={post.id} onClose={() => setOpen('none')} />
      </Show>
      <Show when={open() === 'edit'}>
        <EditPostDialog post={post} save={edit} onClose={() => setOpen('none')} />
      </Show>
      <Show when={open() === 'delete'}>
        <DeletePostDialog onDelete={() => void remove()} onClose={() => setOpen('none')} />
      </Show>
      <Show when={open() === 'share'}>
        <ShareDialog post={post} onClose={() => setOpen('none')} onShared={(created) => props.onShared?.(created)} />
      </Show>
      <Show when={open() === 'tip'}>
        <TipDialog post={post} onClose={() => setOpen('none')} />
      </Show>
    </article>
  );
}
