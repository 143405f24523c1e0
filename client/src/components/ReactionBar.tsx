// The six reactions under a post or comment: choose one, change it, or tap it again to take it
// back. The counts change at once and return to what they were when the server refuses.

import { For, type JSX, Show } from 'solid-js';
import { REACTIONS } from '../../../protocol/lists.ts';
import { t } from '../i18n/index.ts';
import { type ReactionCounts, type ReactionKind, reacted, totalReactions } from '../state/posts.ts';
import { actions, errorText } from '../state/store.ts';
import { ReactionEmoji } from './ui/ReactionEmoji.tsx';

interface Reacting {
  counts: ReactionCounts;
  mine: ReactionKind | null;
  onChange: (counts: ReactionCounts, mine: ReactionKind | null) => void;
  send: (kind: ReactionKind | null) => Promise<{ reactions: ReactionCounts; myReaction: ReactionKind | null }>;
}

/** Gives `kind` (or takes it back when it is the reaction given): shown at once, undone if refused. */
export async function toggleReaction(target: Reacting, kind: ReactionKind): Promise<void> {
  const before = { counts: target.counts, mine: target.mine };
  const next = before.mine === kind ? null : kind;
  target.onChange(reacted(before.counts, before.mine, next), next);
  try {
    const answer = await target.send(next);
    target.onChange(answer.reactions, answer.myReaction);
  } catch (error) {
    target.onChange(before.counts, before.mine);
    actions.toast(errorText(error), 'error');
  }
}

export function ReactionBar(
  props: Reacting & {
    label: string;
    onWho?: () => void;
    /** After a reaction is chosen (a picker closes). */
    onChosen?: () => void;
  },
): JSX.Element {
  const react = (kind: ReactionKind) => {
    props.onChosen?.();
    return toggleReaction(props, kind);
  };
  return (
    <fieldset class="reactions">
      <legend class="visually-hidden">{props.label}</legend>
      <For each={[...REACTIONS]}>
        {(kind) => (
          <button
            type="button"
            class="reaction"
            aria-pressed={props.mine === kind}
            aria-label={t('reaction.button', { reaction: t(`reaction.${kind}`), count: props.counts[kind] })}
            title={t(`reaction.${kind}`)}
            data-kind={kind}
            onClick={() => void react(kind)}
          >
            <ReactionEmoji kind={kind} size={26} />
            <Show when={props.counts[kind] > 0}>
              <span aria-hidden="true" class="n">
                {props.counts[kind]}
              </span>
            </Show>
          </button>
        )}
      </For>
      <Show when={props.onWho !== undefined && totalReactions(props.counts) > 0}>
        <button type="button" class="link" data-testid="who-reacted" onClick={() => props.onWho?.()}>
          {t('reaction.who', { count: totalReactions(props.counts) })}
        </button>
      </Show>
    </fieldset>
  );
}
