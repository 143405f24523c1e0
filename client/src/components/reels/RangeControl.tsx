// A range over a timeline with two thumbs (a trim, the part of a stitch): each thumb is a slider
// for assistive technology and the keyboard (arrows by a tenth of a second, Page Up/Down by a
// second, Home/End to the ends) and follows a finger or the mouse. The range keeps its length
// within min..max by stopping the thumb that moves (compose.ts, clampRange). Time runs left to
// right in every language, as the video's own timeline does.
import { createSignal, For, type JSX } from 'solid-js';
import { clampRange, type Range, timeText } from './compose.ts';

const STEP_MS = 100;
const PAGE_MS = 1000;

type Thumb = 'start' | 'end';

export function RangeControl(props: {
  label: string;
  startLabel: string;
  endLabel: string;
  totalMs: number;
  value: Range;
  minMs: number;
  maxMs?: number;
  onChange: (range: Range, moved: Thumb) => void;
  testId?: string;
}): JSX.Element {
  let track: HTMLDivElement | undefined;
  const [dragging, setDragging] = createSignal<Thumb | undefined>();
  const percent = (ms: number) => (props.totalMs <= 0 ? 0 : (ms / props.totalMs) * 100);
  const set = (thumb: Thumb, ms: number) => {
    const wanted = thumb === 'start' ? { ...props.value, startMs: ms } : { ...props.value, endMs: ms };
    const range = clampRange(wanted, { totalMs: props.totalMs, minMs: props.minMs, maxMs: props.maxMs }, thumb);
    if (range.startMs !== props.value.startMs || range.endMs !== props.value.endMs) props.onChange(range, thumb);
  };
  const at = (thumb: Thumb) => (thumb === 'start' ? props.value.startMs : props.value.endMs);

  const key = (thumb: Thumb) => (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowLeft: -STEP_MS,
      ArrowDown: -STEP_MS,
      ArrowRight: STEP_MS,
      ArrowUp: STEP_MS,
      PageDown: -PAGE_MS,
      PageUp: PAGE_MS,
      Home: -props.totalMs,
      End: props.totalMs,
    };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    set(thumb, at(thumb) + move);
  };

  const drag = (thumb: Thumb) => (event: PointerEvent) => {
    const element = event.currentTarget as HTMLElement;
    element.setPointerCapture?.(event.pointerId);
    element.focus();
    setDragging(thumb);
    const move = (moved: PointerEvent) => {
      const area = track?.getBoundingClientRect();
      if (area === undefined || area.width === 0) return;
      set(thumb, ((moved.clientX - area.left) / area.width) * props.totalMs);
    };
    const stop = () => {
      setDragging(undefined);
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', stop);
      element.removeEventListener('pointercancel', stop);
    };
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', stop);
    element.addEventListener('pointercancel', stop);
  };

  return (
    <fieldset class="reel-range" dir="ltr" data-testid={props.testId}>
      <legend class="reel-range-label">{props.label}</legend>
      <div class="reel-range-track" ref={track}>
        <div
          class="reel-range-kept"
          style={{ left: `${percent(props.value.startMs)}%`, width: `${percent(props.value.endMs - props.value.startMs)}%` }}
        />
        <For each={['start', 'end'] as Thumb[]}>
          {(thumb) => (
            <div
              class="reel-range-thumb"
              classList={{ dragging: dragging() === thumb, [thumb]: true }}
              role="slider"
              tabIndex={0}
              aria-label={thumb === 'start' ? props.startLabel : props.endLabel}
              aria-valuemin={0}
              aria-valuemax={Math.round(props.totalMs)}
              aria-valuenow={at(thumb)}
              aria-valuetext={timeText(at(thumb))}
              aria-orientation="horizontal"
              style={{ left: `${percent(at(thumb))}%` }}
              onKeyDown={key(thumb)}
              onPointerDown={drag(thumb)}
            />
          )}
        </For>
      </div>
      <div class="reel-range-times" aria-hidden="true">
        <span>{timeText(props.value.startMs)}</span>
        <span class="reel-range-length">{timeText(props.value.endMs - props.value.startMs)}</span>
        <span>{timeText(props.value.endMs)}</span>
      </div>
    </fieldset>
  );
}
