// Answering someone else's story from the viewer: a one-line reply or one tap on a quick reaction,
// sent with `stories.reply` as a message in the one-to-one conversation with its author (the
// message quotes the story). A short "Sent" confirms it; a refusal (MESSAGE_NOT_ALLOWED, …) shows
// in words under the field. The story waits while the viewer types (`onTyping`).
import { Send } from 'lucide-solid';
import { createSignal, For, type JSX, onCleanup, Show } from 'solid-js';
import { CHAT_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';
import type { Story } from '../../state/stories.ts';
import { Button, IconButton } from '../ui/Button.tsx';

const QUICK_REACTIONS = ['😍', '😂', '😮', '😢', '👏', '🔥'] as const;
const SENT_MS = 2000;

export function StoryReply(props: { story: Story; name: string; onTyping: (typing: boolean) => void }): JSX.Element {
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [sent, setSent] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  let hide: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(hide));

  const send = async (body: { text: string } | { emoji: string }) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await actions.call('stories.reply', { storyId: props.story.id, clientId: crypto.randomUUID(), ...body });
      if ('text' in body) setText('');
      setSent(true);
      clearTimeout(hide);
      hide = setTimeout(() => setSent(false), SENT_MS);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const reply = text().trim();
    if (reply !== '') void send({ text: reply });
  };

  return (
    <form class="story-reply" onSubmit={submit} data-testid="story-reply">
      <fieldset class="story-reactions" aria-label={t('stories.reactions')}>
        <For each={QUICK_REACTIONS}>
          {(emoji) => (
            <Button
              variant="ghost"
              size="sm"
              class="story-reaction"
              aria-label={t('stories.reactWith', { emoji })}
              disabled={busy()}
              onClick={() => void send({ emoji })}
            >
              {emoji}
            </Button>
          )}
        </For>
      </fieldset>
      <div class="row">
        <input
          aria-label={t('stories.replyTo', { name: props.name })}
          placeholder={t('stories.replyTo', { name: props.name })}
          maxlength={CHAT_LIMITS.messageChars}
          value={text()}
          dir="auto"
          onInput={(event) => setText(event.currentTarget.value)}
          onFocus={() => props.onTyping(true)}
          onBlur={() => props.onTyping(false)}
        />
        <IconButton
          type="submit"
          icon={Send}
          class="story-reply-send"
          label={t('stories.replySend')}
          disabled={busy() || text().trim() === ''}
        />
      </div>
      <Show when={sent()}>
        <p class="story-reply-sent" role="status">
          {t('stories.replySent')}
        </p>
      </Show>
      <Show when={failure()}>
        {(reason) => (
          <p class="error" role="alert">
            {reason()}
          </p>
        )}
      </Show>
    </form>
  );
}
