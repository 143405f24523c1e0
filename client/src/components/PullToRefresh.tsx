// Pull to refresh, as on phones: at the top of the page, a finger dragged down past THRESHOLD_PX
// and let go runs `refresh`, with an arrow that turns while pulling and a spinner while it runs.
// Touch only (a mouse or keyboard user has the "N new posts" pill and the browser's reload); the
// page's own overscroll (Chrome's reload gesture) is turned off while this is on screen, so one
// pull does one thing. The pull follows the finger with resistance, as native lists do.
import { ArrowDown, LoaderCircle } from 'lucide-solid';
import { createSignal, type JSX, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../i18n/index.ts';

export const THRESHOLD_PX = 72;
const MAX_PX = 120;
/** How much of the finger's travel the indicator follows. */
const RESISTANCE = 0.5;

export function PullToRefresh(props: { refresh: () => Promise<void>; children: JSX.Element }): JSX.Element {
  const [pull, setPull] = createSignal(0);
  const [running, setRunning] = createSignal(false);
  const [dragging, setDragging] = createSignal(false);
  let startY: number | undefined;

  const onStart = (event: TouchEvent) => {
    startY = window.scrollY <= 0 && !running() && event.touches.length === 1 ? event.touches[0]?.clientY : undefined;
  };
  const onMove = (event: TouchEvent) => {
    if (startY === undefined) return;
    const travel = (event.touches[0]?.clientY ?? startY) - startY;
    if (travel <= 0 || window.scrollY > 0) {
      setPull(0);
      return;
    }
    setDragging(true);
    setPull(Math.min(MAX_PX, travel * RESISTANCE));
  };
  const onEnd = async () => {
    const pulled = pull();
    startY = undefined;
    setDragging(false);
    if (pulled < THRESHOLD_PX) {
      setPull(0);
      return;
    }
    setRunning(true);
    setPull(THRESHOLD_PX * 0.75);
    try {
      await props.refresh();
    } finally {
      setRunning(false);
      setPull(0);
    }
  };

  onMount(() => {
    const root = document.documentElement;
    const before = root.style.overscrollBehaviorY;
    root.style.overscrollBehaviorY = 'contain';
    window.addEventListener('touchstart', onStart, { passive: true });
    window.addEventListener('touchmove', onMove, { passive: true });
    window.addEventListener('touchend', onEnd);
    window.addEventListener('touchcancel', onEnd);
    onCleanup(() => {
      root.style.overscrollBehaviorY = before;
      window.removeEventListener('touchstart', onStart);
      window.removeEventListener('touchmove', onMove);
      window.removeEventListener('touchend', onEnd);
      window.removeEventListener('touchcancel', onEnd);
    });
  });

  return (
    <div class="pull-to-refresh" data-dragging={dragging() ? '' : undefined}>
      <div
        class="pull-indicator"
        style={{ height: `${pull()}px` }}
        data-testid="pull-indicator"
        data-ready={pull() >= THRESHOLD_PX || running() ? '' : undefined}
        aria-hidden={pull() === 0 && !running()}
      >
        <Show
          when={running()}
          fallback={
            <ArrowDown size={22} aria-hidden="true" style={{ transform: `rotate(${Math.min(1, pull() / THRESHOLD_PX) * 180}deg)` }} />
          }
        >
          <LoaderCircle size={22} class="spin" aria-hidden="true" />
        </Show>
        <span role="status">{running() ? t('feed.refreshing') : pull() >= THRESHOLD_PX ? t('feed.releaseToRefresh') : ''}</span>
      </div>
      {props.children}
    </div>
  );
}
