// A post's reaction button, as on the big social apps: a tap likes the post (or takes back the
// reaction given), and the six reactions open above it when the pointer rests on it, when a finger
// holds it (half a second), or from the small toggle beside it (keyboards and screen readers).
// Choosing one closes them; so do Escape and a tap elsewhere.
import { ChevronUp, ThumbsUp } from 'lucide-solid';
import { createSignal, type JSX, onCleanup, Show } from 'solid-js';
import { formatNumber, t } from '../i18n/index.ts';
import { type ReactionCounts, type ReactionKind, totalReactions } from '../state/posts.ts';
import { ReactionBar, toggleReaction } from './ReactionBar.tsx';
import { ReactionEmoji } from './ui/ReactionEmoji.tsx';

const HOLD_MS = 500;
const HOVER_MS = 450;

export function ReactionButton(props: {
  label: string;
  counts: ReactionCounts;
  mine: ReactionKind | null;
  onChange: (counts: ReactionCounts, mine: ReactionKind | null) => void;
  send: (kind: ReactionKind | null) => Promise<{ reactions: ReactionCounts; myReaction: ReactionKind | null }>;
}): JSX.Element {
  const [open, setOpen] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let held = false;
  let root: HTMLDivElement | undefined;
  const later = (ms: number, run: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  const cancel = () => clearTimeout(timer);
  onCleanup(cancel);

  const onOutside = (event: PointerEvent) => {
    if (root !== undefined && !root.contains(event.target as Node)) setOpen(false);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') setOpen(false);
  };
  const show = (value: boolean) => {
    setOpen(value);
    if (value) {
      document.addEventListener('pointerdown', onOutside);
      document.addEventListener('keydown', onKey);
    } else {
      document.removeEventListener('pointerdown', onOutside);
      document.removeEventListener('keydown', onKey);
    }
  };
  onCleanup(() => show(false));

  return (
    <div
      ref={root}
      class="reaction-button"
      onPointerEnter={(event) => event.pointerType === 'mouse' && later(HOVER_MS, () => show(true))}
      onPointerLeave={(event) => event.pointerType === 'mouse' && later(HOVER_MS, () => show(false))}
    >
      <button
        type="button"
        class={`post-action${props.mine === null ? '' : ' chosen'}`}
        aria-pressed={props.mine !== null}
        data-testid="react"
        onPointerDown={(event) => {
          if (event.pointerType === 'mouse') return;
          held = false;
          later(HOLD_MS, () => {
            held = true;
            show(true);
          });
        }}
        onPointerUp={cancel}
        onContextMenu={(event) => event.preventDefault()}
        onClick={() => {
          if (held) {
            held = false;
            return;
          }
          cancel();
          // Like, or take back whatever reaction was given.
          void toggleReaction(props, props.mine ?? 'like');
        }}
      >
        <Show when={props.mine} fallback={<ThumbsUp size={20} aria-hidden="true" />}>
          {(kind) => <ReactionEmoji kind={kind()} size={20} />}
        </Show>
        <span class="visually-hidden">{t(`reaction.${props.mine ?? 'like'}`)}</span>
        <span aria-hidden="true">{formatNumber(totalReactions(props.counts))}</span>
      </button>
      <button
        type="button"
        class="post-action more"
        aria-expanded={open()}
        aria-label={props.label}
        title={props.label}
        onClick={() => show(!open())}
      >
        <ChevronUp size={16} aria-hidden="true" />
      </button>
      <div class="reaction-tray" hidden={!open()} data-testid="reaction-tray">
        <ReactionBar
          label={props.label}
          counts={props.counts}
          mine={props.mine}
          onChange={props.onChange}
          send={props.send}
          onChosen={() => show(false)}
        />
      </div>
    </div>
  );
}
