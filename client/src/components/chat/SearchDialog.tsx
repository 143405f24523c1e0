// Search within one conversation (`chats.search`, newest first); choosing a result jumps to it.
import { createSignal, For, type JSX } from 'solid-js';
import { formatRelative, t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { LoadMore } from '../LoadMore.tsx';
import { usePages } from '../usePages.ts';

export function SearchDialog(props: { conversationId: string; onClose: () => void; onJump: (seq: number) => void }): JSX.Element {
  const [query, setQuery] = createSignal('');
  const results = usePages((cursor) =>
    actions.call('chats.search', { conversationId: props.conversationId, query: query().trim(), cursor }),
  );
  return (
    <Dialog title={t('chats.search')} onClose={props.onClose} testId="chat-search">
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          if (query().trim() !== '') void results.reload();
        }}
      >
        <input
          type="search"
          maxLength={100}
          aria-label={t('chats.search')}
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <button type="submit" class="secondary">
          {t('chats.searchSubmit')}
        </button>
      </form>
      <ul class="pins" data-testid="search-results">
        <For each={results.items()}>
          {(message) => (
            <li>
              <button
                type="button"
                class="link"
                onClick={() => {
                  props.onClose();
                  props.onJump(message.seq);
                }}
              >
                {message.text}
              </button>{' '}
              <small class="hint">{formatRelative(message.createdAt)}</small>
            </li>
          )}
        </For>
      </ul>
      <LoadMore pages={results} count={results.items().length} empty={t('chats.searchNone')} />
    </Dialog>
  );
}
