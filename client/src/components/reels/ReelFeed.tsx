// The reels player: a vertical list of reels one screen tall each, snapped by CSS (touch swipes,
// the mouse wheel and a trackpad move one reel at a time), and the keyboard (↓ or j next, ↑ or k
// previous, Space pause, m sound). Virtualised: only the reel on screen and its two neighbours
// have a video (attached and ready; only the one on screen plays); the rest are placeholders of
// the same height. The one on screen is the one at least 60 % visible (an IntersectionObserver),
// announced to screen readers. Muted until the first tap anywhere on it (browsers' autoplay rule),
// then sound stays on for the session. Watching is reported (state/reelWatch.ts); more reels load
// as the end nears; "not interested" slides the reel away.
import { ChevronDown, ChevronUp, Volume2, VolumeX } from 'lucide-solid';
import { createEffect, createSignal, For, type JSX, on, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { type ReelItem, type ReelPage, setSoundOn, soundOn } from '../../state/reels.ts';
import { createReelWatch } from '../../state/reelWatch.ts';
import { actions, errorText } from '../../state/store.ts';
import { viewport } from '../../state/viewport.ts';
import { Button, IconButton } from '../ui/Button.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { usePages } from '../usePages.ts';
import { ReelSlide } from './ReelSlide.tsx';

/** The page is this visible before its reel counts as on screen. */
const VISIBLE = 0.6;
/** More reels load when the one on screen is this close to the end. */
const AHEAD = 3;
const LEAVE_MS = 320;

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export function ReelFeed(props: {
  load: (cursor: string | undefined) => Promise<ReelPage>;
  /** Open at this reel (it must be in the first pages loaded). */
  startId?: string;
  /** Over the top of the player: the tabs, a back button. */
  header?: JSX.Element;
  /** Said when there is nothing to watch. */
  empty?: { title: string; text?: string };
  testId?: string;
}): JSX.Element {
  const pages = usePages(props.load, (item: ReelItem) => item.reel.post.id);
  const [current, setCurrent] = createSignal(0);
  const [paused, setPaused] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [leaving, setLeaving] = createSignal<string | undefined>();
  /** The page is hidden (another tab, the phone locked): nothing plays. */
  const [hidden, setHidden] = createSignal(typeof document !== 'undefined' && document.visibilityState === 'hidden');
  const items = pages.items;
  let scroller: HTMLDivElement | undefined;
  /** The first tap turns sound on and does nothing else. */
  let unmuting = false;

  const watch = createReelWatch({
    send: (batch) => actions.call('reels.watch', { items: batch }),
    onRefused: (error) => actions.toast(errorText(error), 'error'),
  });
  onMount(() => watch.start());
  onCleanup(() => void watch.stop());

  onMount(() => void pages.reload());

  // Open at the reel asked for, once it is loaded.
  let started = props.startId === undefined;
  createEffect(() => {
    if (started) return;
    const at = items().findIndex((item) => item.reel.post.id === props.startId);
    if (at === -1) return;
    started = true;
    setCurrent(at);
    queueMicrotask(() => scrollTo(at, false));
  });

  const shown = () => items()[current()];
  // What is on screen is reported; a new reel plays (the pause was for the one before).
  createEffect(
    on(
      () => shown()?.reel.post.id,
      (id) => {
        const item = shown();
        if (id === undefined || item === undefined) return;
        setPaused(false);
        watch.view(id, item.source);
      },
    ),
  );
  // More as the end nears.
  createEffect(() => {
    if (items().length > 0 && current() >= items().length - AHEAD && pages.hasMore() && !pages.loading() && pages.error() === undefined)
      void pages.more();
  });

  // The page at least 60 % visible is the one on screen.
  const observer =
    typeof IntersectionObserver === 'undefined'
      ? undefined
      : new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (entry.intersectionRatio < VISIBLE) continue;
              const at = Number((entry.target as HTMLElement).dataset.index);
              if (Number.isInteger(at)) setCurrent(at);
            }
          },
          { threshold: [VISIBLE] },
        );
  onCleanup(() => observer?.disconnect());
  const observe = (element: HTMLElement) => {
    observer?.observe(element);
    onCleanup(() => observer?.unobserve(element));
  };

  function scrollTo(at: number, smooth = !reducedMotion()) {
    const page = scroller?.children[at] as HTMLElement | undefined;
    if (scroller === undefined || page === undefined) return;
    scroller.scrollTo?.({ top: page.offsetTop, behavior: smooth ? 'smooth' : 'auto' });
  }
  const go = (step: 1 | -1) => {
    const at = current() + step;
    if (at < 0 || at >= items().length) return;
    setCurrent(at);
    scrollTo(at);
  };
  const togglePause = () => setPaused(!paused());
  const toggleSound = () => setSoundOn(!soundOn());

  const onKeyDown = (event: KeyboardEvent) => {
    if (busy() || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable], [role="dialog"]')) return;
    const onButton = target?.closest('button, a, summary') != null;
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        go(1);
        break;
      case 'ArrowUp':
      case 'k':
        go(-1);
        break;
      case ' ':
        // On a focused button, Space presses it.
        if (onButton) return;
        togglePause();
        break;
      case 'm':
        toggleSound();
        break;
      default:
        return;
    }
    event.preventDefault();
  };
  onMount(() => {
    const onVisibility = () => setHidden(document.visibilityState === 'hidden');
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('visibilitychange', onVisibility);
    onCleanup(() => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('visibilitychange', onVisibility);
    });
  });

  const notInterested = async (item: ReelItem) => {
    const id = item.reel.post.id;
    try {
      await actions.call('reels.notInterested', { reelId: id });
    } catch (error) {
      actions.toast(errorText(error), 'error');
      return;
    }
    actions.toast(t('reels.notInterestedDone'));
    setLeaving(id);
    setTimeout(
      () => {
        setLeaving(undefined);
        watch.leave();
        pages.setItems((all) => all.filter((each) => each.reel.post.id !== id));
        setCurrent((at) => Math.min(at, Math.max(0, items().length - 1)));
      },
      reducedMotion() ? 0 : LEAVE_MS,
    );
  };

  const announce = () => {
    const item = shown();
    if (item === undefined) return '';
    const post = item.reel.post;
    const name = post.author.displayName || post.author.username;
    return post.text === '' ? t('reels.reelBy', { name }) : t('reels.announce', { name, text: post.text });
  };

  return (
    <div
      class="reels-screen"
      data-testid={props.testId ?? 'reels'}
      onPointerDown={(event) => {
        const target = event.target as HTMLElement | null;
        if (soundOn() || target?.closest('.reels-sound') != null) return;
        setSoundOn(true);
        // A tap on the video only turns sound on; one on a button does what the button does too.
        unmuting = target?.closest('a, button, summary, input, textarea') == null;
      }}
    >
      <div class="reels-top">
        {props.header}
        <IconButton
          class="reels-sound"
          icon={soundOn() ? Volume2 : VolumeX}
          label={soundOn() ? t('reels.mute') : t('reels.unmute')}
          aria-pressed={!soundOn()}
          onClick={toggleSound}
          data-testid="reels-sound"
        />
      </div>
      <p class="visually-hidden" aria-live="polite" data-testid="reels-announce">
        {announce()}
      </p>
      <Show when={pages.loaded() || pages.error() !== undefined} fallback={<ReelSkeleton />}>
        <Show
          when={items().length > 0}
          fallback={
            <div class="reels-message">
              <Show
                when={pages.error()}
                fallback={
                  <EmptyState
                    title={props.empty?.title ?? t('reels.empty')}
                    text={props.empty?.text ?? t('reels.emptyHint')}
                    action={
                      <Button href="/create" data-testid="reels-create">
                        {t('reels.create')}
                      </Button>
                    }
                    testId="reels-empty"
                  />
                }
              >
                {(text) => <ReelError text={text()} retry={() => void pages.reload()} />}
              </Show>
            </div>
          }
        >
          <div class="reels-scroller" ref={scroller} data-testid="reels-scroller">
            <For each={items()}>
              {(item, index) => (
                <div class="reel-snap" data-index={index()} ref={observe}>
                  <ReelSlide
                    item={item}
                    index={index()}
                    distance={Math.abs(index() - current())}
                    paused={paused() || busy() || hidden()}
                    muted={!soundOn()}
                    leaving={leaving() === item.reel.post.id}
                    onPlayed={(ms) => watch.played(ms)}
                    onEnded={() => watch.completed()}
                    onTap={() => {
                      if (unmuting) unmuting = false;
                      else togglePause();
                    }}
                    onDoubleTap={() => {
                      unmuting = false;
                    }}
                    onNotInterested={() => void notInterested(item)}
                    onBusy={setBusy}
                    onMutedByBrowser={() => setSoundOn(false)}
                    onBlocked={() => setPaused(true)}
                  />
                </div>
              )}
            </For>
            <div class="reel-snap reels-end" data-testid="reels-end">
              <Show
                when={pages.error()}
                fallback={
                  <Show when={pages.hasMore()} fallback={<p class="reels-end-text">{t('reels.end')}</p>}>
                    <span class="reels-spinner" role="status" aria-label={t('reels.loading')} />
                  </Show>
                }
              >
                {(text) => <ReelError text={text()} retry={() => void pages.more()} />}
              </Show>
            </div>
          </div>
          <Show when={viewport.wide()}>
            <div class="reels-steps">
              <IconButton icon={ChevronUp} label={t('reels.previous')} onClick={() => go(-1)} disabled={current() === 0} />
              <IconButton icon={ChevronDown} label={t('reels.next')} onClick={() => go(1)} disabled={current() >= items().length - 1} />
            </div>
          </Show>
        </Show>
      </Show>
    </div>
  );
}

function ReelError(props: { text: string; retry: () => void }): JSX.Element {
  return (
    <div class="reels-error" role="alert" data-testid="reels-error">
      <p>{props.text}</p>
      <Button variant="secondary" onClick={() => props.retry()}>
        {t('reels.retry')}
      </Button>
    </div>
  );
}

function ReelSkeleton(): JSX.Element {
  return (
    <div class="reel-skeleton" role="status" aria-label={t('reels.loading')} data-testid="reels-loading">
      <span class="reel-skeleton-actions" aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </span>
      <span class="reel-skeleton-lines" aria-hidden="true">
        <span />
        <span />
      </span>
    </div>
  );
}
