// /chats/with/:username: a conversation with someone that may not exist yet. When it does, this
// goes to it; otherwise the first message is sent with `to` (no conversation id yet), which
// creates it, and the page moves to the new conversation. A refusal (MESSAGE_NOT_ALLOWED) shows
// why, and the message stays to retry with the same clientId.
import { useNavigate, useParams } from '@solidjs/router';
import { createResource, createSignal, type JSX, Show } from 'solid-js';
import { ChatComposer } from '../components/chat/ChatComposer.tsx';
import { PendingAttachments } from '../components/chat/MessageItem.tsx';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { Avatar } from '../components/Person.tsx';
import { t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';

export default function ChatWith(): JSX.Element {
  const params = useParams<{ username: string }>();
  const navigate = useNavigate();
  const [pending, setPending] = createSignal<{ clientId: string; text: string; attachments: string[] } | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [person] = createResource(
    () => params.username,
    async (username) => {
      const profile = await actions.call('profile.get', { username });
      const { conversationId } = await actions.call('chats.direct', { userId: profile.id });
      if (conversationId !== null) navigate(`/chats/${conversationId}`, { replace: true });
      return profile;
    },
  );
  const name = () => {
    const profile = person();
    return profile === undefined ? '' : profile.displayName || profile.username;
  };

  const deliver = async (message: { clientId: string; text: string; attachments: string[] }) => {
    const profile = person();
    if (profile === undefined) return;
    setPending(message);
    setBusy(true);
    setError(undefined);
    try {
      const sent = await actions.call('chats.send', {
        to: profile.id,
        clientId: message.clientId,
        ...(message.text === '' ? {} : { text: message.text }),
        ...(message.attachments.length === 0 ? {} : { attachments: message.attachments }),
      });
      navigate(`/chats/${sent.conversationId}`, { replace: true });
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card conversation" aria-labelledby="conversation-title" data-testid="conversation-new">
      <header class="conversation-head">
        <Avatar name={name() || '?'} mediaId={person()?.avatarMediaId ?? null} />
        <div class="who">
          <h1 id="conversation-title">{name() || '…'}</h1>
        </div>
      </header>
      <ErrorAlert text={person.error === undefined ? undefined : errorText(person.error)} />
      <Show when={person()}>
        <p class="hint">{t('chats.newConversation', { name: name() })}</p>
        <Show when={pending()}>
          {(message) => (
            <ol class="messages short">
              <li class={`bubble mine ${error() === undefined ? 'sending' : 'failed'}`} data-testid="pending-message">
                <p class="text" dir="auto">
                  {message().text}
                </p>
                <PendingAttachments ids={message().attachments} />
                <div class="meta">
                  <Show when={error()} fallback={<span>{t('chats.sending')}</span>}>
                    {(reason) => (
                      <>
                        <span role="alert" data-testid="send-error">
                          {t('chats.failed', { reason: reason() })}
                        </span>{' '}
                        <button type="button" class="link" disabled={busy()} onClick={() => void deliver(message())}>
                          {t('chats.retry')}
                        </button>
                      </>
                    )}
                  </Show>
                </div>
              </li>
            </ol>
          )}
        </Show>
        <Show when={pending() === undefined || error() !== undefined}>
          <ChatComposer
            disabled={busy()}
            onSend={(text, attachments) => {
              setError(undefined);
              void deliver({ clientId: crypto.randomUUID(), text, attachments });
              return true;
            }}
          />
        </Show>
      </Show>
    </section>
  );
}
