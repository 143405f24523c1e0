// "Send in a chat": a post (or reel) to one or more friends, each in the one-to-one conversation
// with them, with an optional line of text. Each friend's message keeps its clientId for the life
// of the dialog, so sending again after a partial failure sends nobody anything twice.
import { createSignal, type JSX } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import { Field } from '../Field.tsx';
import { FormFooter } from '../FormFooter.tsx';
import { useSubmit } from '../useSubmit.ts';
import { FriendPicker } from './FriendPicker.tsx';

export function SendInChat(props: { postId: string; onSent: (count: number) => void }): JSX.Element {
  const [chosen, setChosen] = createSignal<string[]>([]);
  const [text, setText] = createSignal('');
  const keys = new Map<string, string>();
  const keyFor = (friendId: string) => {
    const known = keys.get(friendId) ?? crypto.randomUUID();
    keys.set(friendId, known);
    return known;
  };
  const [nobody, setNobody] = createSignal(false);
  const form = useSubmit(async () => {
    setNobody(chosen().length === 0);
    if (nobody()) return;
    const line = text().trim();
    await Promise.all(
      chosen().map((to) =>
        actions.call('chats.send', { to, clientId: keyFor(to), post: props.postId, ...(line === '' ? {} : { text: line }) }),
      ),
    );
    props.onSent(chosen().length);
  });
  return (
    <form class="send-in-chat" onSubmit={form.submit} data-testid="send-in-chat">
      <FriendPicker chosen={chosen()} onChange={setChosen} empty={t('chats.sendInChatNoFriends')} />
      <Field name="send-in-chat-text" label={t('chats.sendInChatText')} value={text()} onInput={setText} />
      <FormFooter
        busy={form.busy()}
        error={nobody() ? t('chats.sendInChatNobody') : form.error()}
        label={chosen().length === 0 ? t('chats.send') : t('chats.sendInChatSend', { count: chosen().length })}
      />
    </form>
  );
}
