// "New group": a name and the friends to start it with; `chats.createGroup` makes the caller its
// admin.
import { createSignal, type JSX } from 'solid-js';
import { CHAT_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import type { Chat } from '../../state/messageLog.ts';
import { actions, errorText } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { ErrorAlert } from '../FormFooter.tsx';
import { FriendPicker } from './FriendPicker.tsx';

export function NewGroupDialog(props: { onClose: () => void; onCreated: (chat: Chat) => void }): JSX.Element {
  const [name, setName] = createSignal('');
  const [chosen, setChosen] = createSignal<string[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onCreated(await actions.call('chats.createGroup', { name: name().trim(), userIds: chosen() }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('chats.newGroup')} onClose={props.onClose} testId="new-group">
      <form onSubmit={submit}>
        <label class="field">
          <span>{t('chats.groupName')}</span>
          <input required maxLength={CHAT_LIMITS.groupNameChars} value={name()} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <FriendPicker chosen={chosen()} onChange={setChosen} />
        <ErrorAlert text={error()} />
        <button type="submit" disabled={busy() || name().trim() === '' || chosen().length === 0}>
          {t('chats.create')}
        </button>
      </form>
    </Dialog>
  );
}
