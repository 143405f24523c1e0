// Moving an item of an ordered list one place at a time, for keyboards, screen readers and
// fingers alike: a pair of small icon buttons, "earlier" and "later" (logical, not left and
// right: their arrows are mirrored in right-to-left languages by `.move-buttons:dir(rtl)`).
// The pressed button keeps the focus while its item moves in the list, or hands it to the other
// one when the item reaches an end. With a mouse, an item can also be dragged onto another's place
// (`dragToMove`, the browser's own drag and drop).
import { ChevronLeft, ChevronRight } from 'lucide-solid';
import { createSignal, type JSX } from 'solid-js';
import { IconButton } from './Button.tsx';

/** A copy of `list` with the item at `from` moved to `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  next.splice(to, 0, ...next.splice(from, 1));
  return next;
}

/**
 * The props that make each item (`<li>`) of a list draggable onto another's place: spread
 * `drag(index)` on it; a drop calls `onMove` with where the item was and where it goes.
 */
export function dragToMove(onMove: (from: number, to: number) => void) {
  const [dragged, setDragged] = createSignal<number | undefined>();
  return (index: () => number): JSX.HTMLAttributes<HTMLLIElement> => ({
    draggable: true,
    onDragStart: (event) => {
      setDragged(index());
      if (!event.dataTransfer) return;
      event.dataTransfer.effectAllowed = 'move';
      // Firefox starts no drag without data.
      event.dataTransfer.setData('text/plain', '');
    },
    onDragOver: (event) => {
      if (dragged() !== undefined) event.preventDefault();
    },
    onDrop: (event) => {
      event.preventDefault();
      const from = dragged();
      setDragged(undefined);
      if (from !== undefined && from !== index()) onMove(from, index());
    },
    onDragEnd: () => setDragged(undefined),
  });
}

export function MoveButtons(props: {
  index: number;
  count: number;
  /** The buttons' spoken labels, naming the item. */
  earlier: string;
  later: string;
  onMove: (to: number) => void;
}): JSX.Element {
  let earlier: HTMLButtonElement | undefined;
  let later: HTMLButtonElement | undefined;
  const move = (step: -1 | 1) => {
    props.onMove(props.index + step);
    // The item's element has moved in the page, which drops the focus.
    const [pressed, other] = step < 0 ? [earlier, later] : [later, earlier];
    (pressed?.disabled ? other : pressed)?.focus();
  };
  return (
    <span class="move-buttons">
      <IconButton ref={earlier} icon={ChevronLeft} label={props.earlier} disabled={props.index === 0} onClick={() => move(-1)} />
      <IconButton ref={later} icon={ChevronRight} label={props.later} disabled={props.index >= props.count - 1} onClick={() => move(1)} />
    </span>
  );
}
