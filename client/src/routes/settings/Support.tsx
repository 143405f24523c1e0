// /settings/support: the reader writes to the PetAmigos team and reads the answers, which arrive
// live (`support.message` on their user topic, from any of their devices too); older messages load
// on demand. A conversation of a Pro plan shows "priority support"; a closed one says the next
// message opens another; the reader may close an open one. Without a helpdesk on the server the
// screen says so and offers no form.
import { LifeBuoy, Send } from 'lucide-solid';
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { SUPPORT_LIMITS } from '../../../../protocol/lists.ts';
import { TextAreaField } from '../../components/Field.tsx';
import { ErrorAlert } from '../../components/FormFooter.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { type SupportMessage, SupportMessageItem } from '../../components/support/SupportMessageItem.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { EmptyState } from '../../components/ui/EmptyState.tsx';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';

type Conversation = NonNullable<CallResponse<'support.history'>['conversation']>;

/** Oldest first, each message once (the reply to a send and its event both bring it). */
const merged = (before: SupportMessage[], added: SupportMessage[]) => {
  const byId = new Map(before.map((message) => [message.id, message]));
  for (const message of added) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
};

export default function Support(): JSX.Element {
  const [messages, setMessages] = createSignal<SupportMessage[]>([]);
  const [conversation, setConversation] = createSignal<Conversation | null>(null);
  const [available, setAvailable] = createSignal<boolean | undefined>();
  const [older, setOlder] = createSignal<string | null>(null);
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  // The draft's idempotency key: the same on a retry of the same message.
  let clientId = crypto.randomUUID();

  const load = async (cursor?: string) => {
    try {
      const history = await actions.call('support.history', cursor === undefined ? {} : { cursor });
      setMessages((before) => merged(before, history.page.items));
      setOlder(history.page.nextCursor);
      setAvailable(history.available);
      if (cursor === undefined) setConversation(history.conversation);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  onMount(() => {
    void load();
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name === 'support.message') {
          const { message } = event.body as { message: SupportMessage };
          setMessages((before) => merged(before, [message]));
          // A conversation opened on another device: read which it is.
          if (conversation()?.id !== message.conversationId) void load();
        } else if (event.name === 'support.closed') setConversation((event.body as { conversation: Conversation }).conversation);
      }),
    );
  });

  const send = async (event: Event) => {
    event.preventDefault();
    const written = text().trim();
    if (written === '' || busy()) return;
    setBusy(true);
    setError(undefined);
    try {
      const sent = await actions.call('support.send', { text: written, clientId });
      setConversation(sent.conversation);
      setMessages((before) => merged(before, [sent.message]));
      setText('');
      clientId = crypto.randomUUID();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const close = async () => {
    try {
      setConversation((await actions.call('support.close', {})).conversation);
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  return (
    <section class="card stack support" aria-labelledby="support-title">
      <SettingsNav />
      <h1 id="support-title">{t('support.title')}</h1>
      <p>{t('support.help')}</p>
      <Show when={conversation()?.priority === true && conversation()?.status === 'open'}>
        <p class="support-priority" data-testid="support-priority">
          <LifeBuoy class="support-priority-icon" size={16} aria-hidden="true" /> {t('support.priority')}
        </p>
      </Show>
      <Show when={available() === false}>
        <p class="hint" role="status" data-testid="support-unavailable">
          {t('support.unavailable')}
        </p>
      </Show>
      <Show when={older()}>
        {(cursor) => (
          <Button variant="ghost" size="sm" class="older" onClick={() => void load(cursor())}>
            {t('support.older')}
          </Button>
        )}
      </Show>
      <Show
        when={messages().length > 0}
        fallback={
          <Show when={available() === true}>
            <EmptyState title={t('support.empty')} />
          </Show>
        }
      >
        <ol class="messages short" aria-label={t('support.title')} aria-live="polite" data-testid="support-messages">
          <For each={messages()}>{(message) => <SupportMessageItem message={message} />}</For>
        </ol>
      </Show>
      <Show when={conversation()?.status === 'closed'}>
        <p class="hint" data-testid="support-closed">
          {t('support.closed')}
        </p>
      </Show>
      <Show when={available() === true}>
        <form class="stack" onSubmit={(event) => void send(event)} novalidate>
          <TextAreaField
            id="support-text"
            label={t('support.message')}
            value={text()}
            onInput={setText}
            maxlength={SUPPORT_LIMITS.textChars}
            rows={3}
          />
          <ErrorAlert text={error()} />
          <div class="row">
            <Button type="submit" icon={Send} disabled={busy() || text().trim() === ''}>
              {t('support.send')}
            </Button>
            <Show when={conversation()?.status === 'open'}>
              <Button variant="secondary" onClick={() => void close()}>
                {t('support.close')}
              </Button>
            </Show>
          </div>
        </form>
      </Show>
      <Show when={available() !== true}>
        <ErrorAlert text={error()} />
      </Show>
    </section>
  );
}
