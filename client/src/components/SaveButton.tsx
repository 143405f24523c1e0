// A post's Save button (a bookmark), the last of its action bar: a tap saves the post for later,
// another takes it out of the saved posts. The change shows at once and goes back, with the
// reason in a toast, when the server refuses; the card keeps it in step with the user's other
// devices (`saved.changed`).
import { Bookmark } from 'lucide-solid';
import type { JSX } from 'solid-js';
import { t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';

interface Saving {
  saved: boolean;
  onChange: (saved: boolean) => void;
  send: (saved: boolean) => Promise<{ saved: boolean }>;
  /** After the server took the change (the saved screen takes an unsaved post out). */
  onDone?: (saved: boolean) => void;
}

/** Saves or unsaves: shown at once, undone if refused. */
async function toggleSaved(target: Saving): Promise<void> {
  const before = target.saved;
  target.onChange(!before);
  let answer: { saved: boolean };
  try {
    answer = await target.send(!before);
  } catch (error) {
    target.onChange(before);
    actions.toast(errorText(error), 'error');
    return;
  }
  target.onChange(answer.saved);
  target.onDone?.(answer.saved);
}

export function SaveButton(props: Saving): JSX.Element {
  const label = () => t(props.saved ? 'post.saved' : 'post.save');
  return (
    <button
      type="button"
      class={`post-action${props.saved ? ' chosen' : ''}`}
      aria-pressed={props.saved}
      title={label()}
      data-testid="save"
      onClick={() => void toggleSaved(props)}
    >
      <Bookmark size={20} fill={props.saved ? 'currentColor' : 'none'} aria-hidden="true" />
      <span class="visually-hidden">{label()}</span>
    </button>
  );
}
