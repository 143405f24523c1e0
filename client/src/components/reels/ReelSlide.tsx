// One page of the reels player, a screen tall. Only the reel on screen and its two neighbours
// hold a video (`near`); the others are a placeholder of the same height with the cover, so the
// page keeps its scroll height without a player each. On the one on screen: a tap pauses or plays
// (the very first tap only turns sound on), a double tap likes it with a burst of a heart (never
// takes a like back), and a swipe toward the inline start (left; right in Arabic and Urdu) opens
// the author's profile. The post's counts follow `post:<id>` while it is on screen.
import { useNavigate } from '@solidjs/router';
import { Heart, Play } from 'lucide-solid';
import { createEffect, createSignal, For, type JSX, on, onCleanup, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { EventFrame } from '../../../../protocol/client.ts';
import { direction, t } from '../../i18n/index.ts';
import { mediaItem } from '../../state/media.ts';
import type { Post } from '../../state/posts.ts';
import type { ReelItem } from '../../state/reels.ts';
import { actions } from '../../state/store.ts';
import { follow } from '../../state/topics.ts';
import { thumbOf } from '../media/sources.ts';
import { toggleReaction } from '../ReactionBar.tsx';
import { ReelActions } from './ReelActions.tsx';
import { ReelInfo } from './ReelInfo.tsx';
import { ReelVideo } from './ReelVideo.tsx';

/** Two taps closer than this are a double tap; a single tap waits this long to be sure. */
const DOUBLE_TAP_MS = 280;
const TAP_MOVE_PX = 12;
const SWIPE_PX = 60;
const HEART_MS = 900;

const interactive = (target: EventTarget | null) =>
  (target as HTMLElement | null)?.closest('a, button, input, textarea, select, summary, details, [role="dialog"]') != null;

export function ReelSlide(props: {
  item: ReelItem;
  index: number;
  /** How many pages away from the one on screen (0: this one). */
  distance: number;
  paused: boolean;
  muted: boolean;
  leaving: boolean;
  onPlayed: (ms: number) => void;
  onEnded: () => void;
  /** A single tap: pause or play (or, the first time, sound on). */
  onTap: () => void;
  onDoubleTap: () => void;
  onNotInterested: () => void;
  onBusy: (busy: boolean) => void;
  onMutedByBrowser: () => void;
  onBlocked: () => void;
}): JSX.Element {
  const navigate = useNavigate();
  const [post, setPost] = createStore<Post>(structuredClone(props.item.reel.post));
  const [hearts, setHearts] = createSignal<{ id: number; x: number; y: number }[]>([]);
  const name = () => post.author.displayName || post.author.username;
  const current = () => props.distance === 0;
  const media = () => {
    const item = mediaItem(props.item.reel.mediaId);
    return item?.status === 'ready' ? item : undefined;
  };

  // Counts and edits while it is on screen.
  createEffect(
    on(
      () => current(),
      (current) => {
        if (!current) return;
        const onEvent = (event: EventFrame) => {
          if (event.name !== 'post.counts') return;
          const counts = event.body as { reactions: Post['reactions']; comments: number; shares: number };
          setPost({ reactions: counts.reactions, comments: counts.comments, shares: counts.shares });
        };
        onCleanup(follow(`post:${post.id}`, onEvent));
      },
    ),
  );

  const like = (x: number, y: number) => {
    const id = Date.now() + Math.random();
    setHearts((all) => [...all, { id, x, y }]);
    setTimeout(() => setHearts((all) => all.filter((heart) => heart.id !== id)), HEART_MS);
    if (post.myReaction !== null) return;
    void toggleReaction(
      {
        counts: post.reactions,
        mine: post.myReaction,
        onChange: (reactions, myReaction) => setPost({ reactions, myReaction }),
        send: (kind) => actions.call('posts.react', { postId: post.id, kind }),
      },
      'like',
    );
  };

  let press: { x: number; y: number; at: number } | undefined;
  let lastTap = 0;
  let single: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(single));
  const onPointerDown = (event: PointerEvent) => {
    if (interactive(event.target)) return;
    press = { x: event.clientX, y: event.clientY, at: Date.now() };
  };
  const onPointerUp = (event: PointerEvent) => {
    const started = press;
    press = undefined;
    if (started === undefined || interactive(event.target)) return;
    const dx = event.clientX - started.x;
    const dy = event.clientY - started.y;
    if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > 2 * Math.abs(dy)) {
      // Toward the inline start: the profile comes in from the inline end, as the next page would.
      if (dx < 0 === (direction() === 'ltr')) navigate(`/u/${encodeURIComponent(post.author.username)}`);
      return;
    }
    if (Math.abs(dx) > TAP_MOVE_PX || Math.abs(dy) > TAP_MOVE_PX) return;
    const now = Date.now();
    if (now - lastTap < DOUBLE_TAP_MS) {
      clearTimeout(single);
      lastTap = 0;
      const area = (event.currentTarget as HTMLElement).getBoundingClientRect();
      like(event.clientX - area.left, event.clientY - area.top);
      props.onDoubleTap();
      return;
    }
    lastTap = now;
    clearTimeout(single);
    single = setTimeout(() => props.onTap(), DOUBLE_TAP_MS);
  };

  return (
    <section
      class={`reel-page${props.leaving ? ' leaving' : ''}`}
      aria-roledescription={t('reels.roleDescription')}
      aria-label={t('reels.reelBy', { name: name() })}
      aria-hidden={current() ? undefined : 'true'}
      inert={!current()}
      data-index={props.index}
      data-current={current() ? 'true' : 'false'}
      data-testid={`reel-${post.id}`}
    >
      <div class="reel-stage" onPointerDown={onPointerDown} onPointerUp={onPointerUp} onPointerCancel={() => (press = undefined)}>
        <Show
          when={props.distance <= 1 && media()}
          fallback={
            <div class="reel-placeholder" data-testid="reel-placeholder">
              {/* The cover, for the pages a swipe or two away (not every page of a long feed). */}
              <Show when={props.distance <= 3 ? thumbOf(props.item.reel.mediaId) : undefined}>
                {(src) => <img src={src()} alt="" loading="lazy" decoding="async" />}
              </Show>
            </div>
          }
        >
          {(item) => (
            <ReelVideo
              item={item()}
              active={current()}
              paused={props.paused}
              muted={props.muted}
              label={t('reels.reelBy', { name: name() })}
              onPlayed={props.onPlayed}
              onEnded={props.onEnded}
              onMutedByBrowser={props.onMutedByBrowser}
              onBlocked={props.onBlocked}
            />
          )}
        </Show>
        <Show when={current() && props.paused}>
          <span class="reel-paused" aria-hidden="true">
            <Play size={64} fill="currentColor" />
          </span>
        </Show>
        <For each={hearts()}>
          {(heart) => (
            <span class="reel-heart" style={{ left: `${heart.x}px`, top: `${heart.y}px` }} aria-hidden="true" data-testid="reel-heart">
              <Heart size={96} fill="currentColor" />
            </span>
          )}
        </For>
        <div class="reel-shade" aria-hidden="true" />
        <ReelInfo reel={props.item.reel} post={post} />
        <ReelActions
          post={post}
          remix={{ duet: props.item.reel.allowDuet, stitch: props.item.reel.allowStitch }}
          current={current()}
          setPost={setPost}
          onNotInterested={props.onNotInterested}
          onBusy={props.onBusy}
        />
      </div>
    </section>
  );
}
