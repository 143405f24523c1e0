// Moving an item of an ordered list one place at a time, for keyboards, screen readers and
// fingers alike: a pair of small icon buttons, "earlier" and "later" (logical, not left and
// right: their arrows are mirrored in right-to-left languages by `.move-buttons:dir(rtl)`).
// The pressed button keeps the focus while its item moves in the list, or hands it to the other
// one when the item reaches an end.
import { ChevronLeft, ChevronRight } from 'lucide-solid';
import type { JSX } from 'solid-js';
import { IconButton } from './Button.tsx';

/** A copy of `list` with the item at `from` moved to `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  next.splice(to, 0, ...next.splice(from, 1));
  return next;
}

export function MoveButtons(props: {
  index: number;
  count: number;
  /** The buttons' spoken labels, naming the item. */
  earlier: string;
  later: string;
  onMove: (to: number) => void;
  disabled?: boolean;
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
      <IconButton
        ref={earlier}
        icon={ChevronLeft}
        label={props.earlier}
        disabled={props.disabled || props.index === 0}
        onClick={() => move(-1)}
      />
      <IconButton
        ref={later}
        icon={ChevronRight}
        label={props.later}
        disabled={props.disabled || props.index >= props.count - 1}
        onClick={() => move(1)}
      />
    </span>
  );
}
